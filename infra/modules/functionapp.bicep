// The Function app: a Flex Consumption plan running our ASP.NET Core app as a custom handler (docs: the Functions
// host owns triggers and bindings and calls the app over HTTP). Every connection is identity-based through the
// user-assigned managed identity; every secret is a Key Vault reference, never a value.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Flex Consumption plan name.')
param planName string

@description('Function app name, globally unique (it is the default host name).')
param name string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity (for DefaultAzureCredential and the host\'s identity-based connections).')
param identityClientId string

@description('Storage account of the host (AzureWebJobsStorage) and of the app\'s tables.')
param storageAccountName string

@description('Blob endpoint of that account, ending with a slash.')
param storageBlobEndpoint string

@description('Table endpoint of that account, ending with a slash.')
param storageTableEndpoint string

@description('Blob container the plan deploys the app package from.')
param deploymentContainerName string

@description('Service Bus host name, e.g. <namespace>.servicebus.windows.net.')
param serviceBusFullyQualifiedNamespace string

@description('Key Vault holding the secrets the app settings reference.')
param keyVaultName string

@description('Names of the secrets in that vault.')
param secretNames {
  sendGridApiKey: string
  hrisWebhookSecret0: string
  linkSigningKeyK1: string
  sendGridEventWebhookPublicKey: string
  pseudonymKey: string
}

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

// Flex Consumption accepts 40 to 1000 ("The lowest maximum scale is currently 40. The highest currently supported
// value is 1000": learn.microsoft.com/azure/azure-functions/flex-consumption-plan, Considerations, checked 2026-11-29).
@description('Upper bound on instances the plan scales out to: 40 (the platform\'s lowest maximum) to 1000.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Company display name used in mails and pages.')
param companyName string

@description('Postal address of the sender, printed in every promotional email.')
param senderPostalAddress string

@description('Enquiry contact printed in every promotional email.')
param enquiryContact string

@description('IANA time zone of the company, e.g. Asia/Tokyo.')
param companyTimeZone string

@description('Default locale for alumni who have none: ja-JP or en-US.')
@allowed([
  'ja-JP'
  'en-US'
])
param companyDefaultLocale string

@description('Public base URL of the app for signed links, scheme and host only (no path). Empty: https://<default host name>.')
param publicBaseUrl string

@description('Sender address of every mail (a SendGrid verified sender or authenticated domain).')
param senderEmail string

@description('Sender display name of every mail.')
param senderName string

@description('The company\'s own mail domains (Company__MailDomains__0..n).')
@minLength(1)
param companyMailDomains string[]

@description('Entra tenant that issues admin tokens.')
param adminTenantId string

@description('App ID URI of the admin registration: the audience of Entra\'s v1.0 access tokens (a registration\'s default).')
param adminAudience string

@description('Application (client) id of the admin registration: the audience of Entra\'s v2.0 access tokens.')
param adminClientId string

@description('NCRONTAB (six fields, UTC) of the DispatchDueWork timer.')
param dispatchSchedule string

@description('NCRONTAB (six fields, UTC) of the PurgeExpiredData timer; the host resolves %RetentionSchedule% from app settings.')
param retentionSchedule string

@description('NCRONTAB (six fields) of when the month\'s newsletter is due, in the company\'s time zone; read by the app on ComposeNewsletter\'s fixed tick, not by the host.')
param newsletterSchedule string

@description('NCRONTAB (six fields, UTC) of the RunSurveyWaves timer; the host resolves %SurveyWaveSchedule% from app settings.')
param surveyWaveSchedule string

@description('App setting the console sign-in (auth.bicep) reads its client secret from.')
param consoleSignInSetting string

@description('Key Vault secret holding the console sign-in\'s client secret.')
param consoleSignInVaultEntry string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      // No ftpsState: a Flex Consumption site has no FTP endpoint and the platform rejects the property there.
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

// Publishing goes through Entra ID (az functionapp deploy to the SCM endpoint); user-name/password publishing there
// is off. Only the 'scm' policy: a Flex Consumption site has no FTP endpoint, so there is no 'ftp' policy to set.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// The whole app-settings set: a deployment replaces it, so settings added by hand are lost on the next one.
// Company__MailDomains__0..n come from the companyMailDomains array (one indexed setting per domain, as the app binds a list).
// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not set: Flex Consumption rejects them and takes
// the runtime from functionAppConfig.runtime instead.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union({
    // Host storage and identity-based connections.
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
    ServiceBusConnection__credential: 'managedidentity'
    ServiceBusConnection__clientId: identityClientId
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    // The app (Functions/Hosting/Configuration/RequiredSettings.cs lists what it cannot start without).
    ASPNETCORE_ENVIRONMENT: 'Production'
    DOTNET_ENVIRONMENT: 'Production'
    LocalTriggerHost__Enabled: 'false'
    Company__Name: companyName
    Company__TimeZone: companyTimeZone
    Company__DefaultLocale: companyDefaultLocale
    Company__PublicBaseUrl: empty(publicBaseUrl) ? 'https://${functionApp.properties.defaultHostName}' : publicBaseUrl
    Storage__TableServiceUri: storageTableEndpoint
    Hris__WebhookSecrets__0: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.hrisWebhookSecret0})'
    Links__ActiveKeyId: 'k1'
    Links__Keys__k1: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.linkSigningKeyK1})'
    SendGrid__ApiKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.sendGridApiKey})'
    SendGrid__FromEmail: senderEmail
    SendGrid__FromName: senderName
    SendGrid__EventWebhookPublicKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.sendGridEventWebhookPublicKey})'
    AdminAuth__Authority: '${environment().authentication.loginEndpoint}${adminTenantId}/v2.0'
    AdminAuth__Audience: adminAudience
    AdminAuth__ClientId: adminClientId
    DispatchSchedule: dispatchSchedule
    RetentionSchedule: retentionSchedule
    NewsletterSchedule: newsletterSchedule
    SurveyWaveSchedule: surveyWaveSchedule
    Privacy__PseudonymKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.pseudonymKey})'
    Outreach__PostalAddress: senderPostalAddress
    Outreach__EnquiryContact: enquiryContact
    '${consoleSignInSetting}': '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${consoleSignInVaultEntry})'
  }, toObject(range(0, length(companyMailDomains)), i => 'Company__MailDomains__${i}', i => companyMailDomains[i]))
}

@description('Function app name.')
output name string = functionApp.name

@description('Default host name, e.g. <name>.azurewebsites.net.')
output defaultHostName string = functionApp.properties.defaultHostName
