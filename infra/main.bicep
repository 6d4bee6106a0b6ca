// The whole Azure deployment of the alumni network backend, into one resource group:
//   az deployment group create -g <resource-group> -f infra/main.bicep -p infra/main.parameters.json
// See docs/deploy.md for secrets, publishing the app and webhook registration, and
// docs/adr/0004-infrastructure-as-code.md for why it is shaped this way.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------
// Parameters

@description('Azure region for every resource. Must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Short prefix of every resource name: lower-case letters and digits, e.g. alumni.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'alumni'

@description('Environment name in resource names and tags, e.g. prod or stg.')
@minLength(2)
@maxLength(8)
param environmentName string = 'prod'

@description('Company display name used in mails and pages.')
param companyName string

@description('Postal address of the sender, printed in every promotional email (Act on Specified Electronic Mail).')
param senderPostalAddress string

@description('Enquiry contact (email address or URL) printed in every promotional email.')
param enquiryContact string

@description('IANA time zone id of the company (Asia/Tokyo, not JST); an id the server does not know stops the app at start-up.')
param companyTimeZone string = 'Asia/Tokyo'

@description('Locale for alumni who have none recorded: ja-JP or en-US, the languages the app writes.')
@allowed([
  'ja-JP'
  'en-US'
])
param companyDefaultLocale string = 'ja-JP'

@description('Public base URL of the app for signed links, scheme and host only; a path stops the app at start-up. Empty: the Function app\'s default host name. A custom host (https://alumni.example.co.jp) needs a TLS-terminating proxy in front, such as Azure Front Door: Flex Consumption holds no certificates (docs/deploy.md, section 8).')
param publicBaseUrl string = ''

@description('Sender address of every mail: a SendGrid verified sender or an address on an authenticated domain.')
param senderEmail string

@description('Sender display name of every mail.')
param senderName string

@description('The company\'s own mail domains (Company__MailDomains__0..n; subdomains count), e.g. [\'example.co.jp\']: staff event invitations, collaboration requesters, recruiter mailboxes and newsletter test sends must be at one of them. Required: the app-settings set a deployment writes replaces any setting added by hand, and the app\'s fallback (the sender\'s domain) is wrong when the sender is on another domain (mail.example.co.jp) or a public provider.')
@minLength(1)
param companyMailDomains string[]

@description('Entra tenant that issues admin tokens (AdminAuth__Authority).')
param tenantId string = tenant().tenantId

@description('App ID URI of the admin app registration (e.g. api://contoso-alumni-admin): the audience of its v1.0 access tokens, which a registration issues by default (AdminAuth__Audience).')
param adminAudience string

@description('Application (client) id of the admin app registration: the audience of its v2.0 access tokens (AdminAuth__ClientId), and the HR admin console signs in with it (App Service built-in authentication).')
param adminClientId string

@description('How long a console sign-in lasts (hh:mm:ss) before Entra ID is asked again.')
param consoleSessionLifetime string = '08:00:00'

@description('NCRONTAB (six fields, UTC) of the DispatchDueWork timer.')
param dispatchSchedule string = '0 * * * * *'

@description('NCRONTAB (six fields, UTC) of the daily PurgeExpiredData retention timer.')
param retentionSchedule string = '0 30 3 * * *'

@description('NCRONTAB (six fields) of when the month\'s newsletter is due, in the company\'s time zone (companyTimeZone), not UTC: the app reads it on ComposeNewsletter\'s five-minute tick. Default: the first Monday of the month at 10:00 company time.')
param newsletterSchedule string = '0 0 10 1-7 * Mon'

@description('NCRONTAB (six fields, UTC) of the daily RunSurveyWaves timer. Default: 00:30 UTC, 09:30 in Tokyo.')
param surveyWaveSchedule string = '0 30 0 * * *'

@description('Whether Key Vault answers on its public endpoint. Disabled needs a virtual network and private endpoint first.')
@allowed([
  'Enabled'
  'Disabled'
])
param keyVaultPublicNetworkAccess string = 'Enabled'

@description('Storage replication. Prefer Standard_ZRS where the region offers it: the tables are the only copy of the data.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Flex Consumption instance memory in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Flex Consumption maximum instance count: 40 (the platform\'s lowest maximum) to 1000; see modules/functionapp.bicep.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Days Log Analytics keeps telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Time to live of a Service Bus message before it is dead-lettered (ISO 8601 duration).')
param messageTimeToLive string = 'P14D'

@secure()
@description('SendGrid API key. Empty (the default): the secret is not written; set it in Key Vault after deployment.')
param sendGridApiKey string = ''

@secure()
@description('HRIS webhook signing secret (whsec_<base64>). Empty: set it in Key Vault after deployment.')
param hrisWebhookSecret string = ''

@secure()
@description('Link-signing key k1 (32+ random bytes, base64). Empty: set it in Key Vault after deployment.')
param linkSigningKey string = ''

@secure()
@description('SendGrid signed event webhook public key. Empty: set it in Key Vault after deployment.')
param sendGridEventWebhookPublicKey string = ''

@secure()
@description('Pseudonym key (32+ random bytes, base64) for suppressions and erasure tombstones. Empty: set it in Key Vault after deployment.')
param pseudonymKey string = ''

// ---------------------------------------------------------------------------------------------------------------
// Names and shared values

// Every Service Bus queue a Functions/*/function.json names (serviceBusTrigger or serviceBus binding queueName).
// Add a queue here when you add a function that uses one; Tests/Infra.Tests fails until you do.
var queues = [
  'welcome-invitations'
  'campaign-plans'
  'campaign-batches'
  'event-mail'
  'opening-interests'
  'rehires'
  'collaboration-mail'
  'conflict-checks'
  'erasure-takebacks'
]

// Secrets in Key Vault, referenced by the app settings. Names are what operators type in `az keyvault secret set`.
var secretNames = {
  sendGridApiKey: 'sendgrid-api-key'
  hrisWebhookSecret0: 'hris-webhook-secret-0'
  linkSigningKeyK1: 'link-signing-key-k1'
  sendGridEventWebhookPublicKey: 'sendgrid-event-webhook-public-key'
  pseudonymKey: 'pseudonym-key'
}

// The console sign-in's client secret (docs/deploy.md, "The HR admin console"); set by the operator, read by the platform.
var consoleClientSecretName = 'console-client-secret'
var consoleClientSecretSetting = 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, namePrefix, environmentName))
var baseName = '${namePrefix}-${environmentName}'
var tags = {
  application: 'alumni-network'
  environment: environmentName
}

var identityName = 'id-${baseName}'
var storageAccountName = take(
  toLower('st${replace(namePrefix, '-', '')}${replace(environmentName, '-', '')}${resourceToken}'),
  24
)
var deploymentContainerName = 'app-package'
var serviceBusNamespaceName = 'sb-${baseName}-${resourceToken}'
var keyVaultName = take('kv-${namePrefix}-${resourceToken}', 24)
var workspaceName = 'log-${baseName}'
var appInsightsName = 'appi-${baseName}'
var planName = 'plan-${baseName}'
var functionAppName = 'func-${baseName}-${resourceToken}'

// ---------------------------------------------------------------------------------------------------------------
// Resources

// The identity the app runs as: storage, Service Bus, Key Vault and telemetry all authenticate with it.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: workspaceName
    appInsightsName: appInsightsName
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: storageAccountName
    deploymentContainerName: deploymentContainerName
    skuName: storageSkuName
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    tags: tags
    name: serviceBusNamespaceName
    queueNames: queues
    defaultMessageTimeToLive: messageTimeToLive
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: keyVaultName
    tenantId: subscription().tenantId
    publicNetworkAccess: keyVaultPublicNetworkAccess
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    secretNames: secretNames
    sendGridApiKey: sendGridApiKey
    hrisWebhookSecret: hrisWebhookSecret
    linkSigningKey: linkSigningKey
    sendGridEventWebhookPublicKey: sendGridEventWebhookPublicKey
    pseudonymKey: pseudonymKey
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  params: {
    principalId: identity.properties.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // The app must be able to read its storage and Key Vault references the moment its settings land.
  dependsOn: [
    roleAssignments
  ]
  params: {
    location: location
    tags: tags
    planName: planName
    name: functionAppName
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    keyVaultName: keyVault.outputs.name
    secretNames: secretNames
    appInsightsConnectionString: monitoring.outputs.connectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    companyName: companyName
    senderPostalAddress: senderPostalAddress
    enquiryContact: enquiryContact
    companyTimeZone: companyTimeZone
    companyDefaultLocale: companyDefaultLocale
    publicBaseUrl: publicBaseUrl
    senderEmail: senderEmail
    senderName: senderName
    companyMailDomains: companyMailDomains
    adminTenantId: tenantId
    adminAudience: adminAudience
    adminClientId: adminClientId
    dispatchSchedule: dispatchSchedule
    retentionSchedule: retentionSchedule
    newsletterSchedule: newsletterSchedule
    surveyWaveSchedule: surveyWaveSchedule
    consoleSignInSetting: consoleClientSecretSetting
    consoleSignInVaultEntry: consoleClientSecretName
  }
}

module auth 'modules/auth.bicep' = {
  name: 'auth'
  params: {
    functionAppName: functionApp.outputs.name
    tenantId: tenantId
    clientId: adminClientId
    signInSettingName: consoleClientSecretSetting
    allowedAudiences: [
      adminAudience
    ]
    sessionLifetime: consoleSessionLifetime
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs

@description('Base URL of the app; HTTP functions are under /api.')
output appUrl string = 'https://${functionApp.outputs.defaultHostName}'

@description('Function app name (for az functionapp deploy).')
output functionAppName string = functionApp.outputs.name

@description('Storage account name.')
output storageAccountName string = storage.outputs.name

@description('Service Bus namespace name.')
output serviceBusNamespaceName string = serviceBus.outputs.name

@description('Key Vault name (for az keyvault secret set).')
output keyVaultName string = keyVault.outputs.name

@description('Application Insights component name.')
output appInsightsName string = monitoring.outputs.appInsightsName
