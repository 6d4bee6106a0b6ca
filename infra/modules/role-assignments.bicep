// Every role the app's managed identity holds, each scoped to the one resource it is for. Nothing is granted at
// resource-group or subscription scope, and no management-plane role (Contributor, Owner) is granted at all.
// Role ids come from ../built-in-roles.json, the one table of built-in role ids (copied from the platform's published
// list, with each role's name beside its id); nothing here types an id. The infrastructure tests grant exactly that table.

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param principalId string

@description('Storage account the app and the Functions host use.')
param storageAccountName string

@description('Service Bus namespace the app sends to and receives from.')
param serviceBusNamespaceName string

@description('Key Vault holding the app\'s secrets.')
param keyVaultName string

@description('Application Insights component the host sends telemetry to with Entra auth.')
param appInsightsName string

var roles = loadJsonContent('../built-in-roles.json').roles

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Storage Blob Data Owner: the host's AzureWebJobsStorage (leases, keys, timer state) and the deployment container.
resource storageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, principalId, roles['Storage Blob Data Owner'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Storage Blob Data Owner'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Table Data Contributor: the app's state (alumni, consents, work items, sends ledger, ...) and the host's
// diagnostic events. No Storage Queue Data Contributor: the host needs queues on AzureWebJobsStorage only for blob
// triggers (none here), and the app's messages go through Service Bus (learn.microsoft.com, "Connecting to host
// storage with an identity").
resource storageTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, principalId, roles['Storage Table Data Contributor'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Storage Table Data Contributor'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Azure Service Bus Data Owner: the serviceBus output bindings send, the serviceBusTrigger functions receive, and the
// platform's scale monitoring for the trigger reads queue metrics, which Data Sender and Data Receiver do not allow
// (without it scaling sees no messages). The Functions Service Bus docs list Data Owner for triggers and the official
// Flex Consumption Service Bus samples grant it; it covers sending and receiving, so no separate Sender or Receiver.
resource serviceBusDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: serviceBus
  name: guid(serviceBus.id, principalId, roles['Azure Service Bus Data Owner'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Azure Service Bus Data Owner'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault Secrets User: resolving the @Microsoft.KeyVault(...) app settings. Read only; no list, no write.
resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, roles['Key Vault Secrets User'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Key Vault Secrets User'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Monitoring Metrics Publisher: telemetry ingestion with Entra auth, because the component has local auth off.
resource monitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, principalId, roles['Monitoring Metrics Publisher'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['Monitoring Metrics Publisher'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
