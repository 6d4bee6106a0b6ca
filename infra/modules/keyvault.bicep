// Key Vault for the app's secrets. Access is Azure RBAC only (no access policies). A secret is created only when
// its parameter is given; otherwise the operator sets it after deployment (docs/deploy.md), and a later deployment
// without the parameter leaves the secret as it is.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Key Vault name: 3-24 letters, digits and hyphens, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Entra tenant that owns the vault.')
param tenantId string

@description('Whether the vault answers on its public endpoint. The Function app reaches Key Vault over the public endpoint unless it is joined to a virtual network with a private endpoint, so Disabled needs that network work first.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Resource id of the Log Analytics workspace that receives the vault\'s audit log.')
param logAnalyticsWorkspaceId string

@description('Secret names, shared with the app settings that reference them.')
param secretNames {
  sendGridApiKey: string
  hrisWebhookSecret0: string
  linkSigningKeyK1: string
  sendGridEventWebhookPublicKey: string
  pseudonymKey: string
}

@secure()
@description('SendGrid API key (Mail Send permission). Empty: set it after deployment.')
param sendGridApiKey string

@secure()
@description('HRIS Standard Webhooks signing secret, whsec_<base64>. Empty: set it after deployment.')
param hrisWebhookSecret string

@secure()
@description('Link-signing key k1: 32 or more random bytes, base64. Empty: set it after deployment.')
param linkSigningKey string

@secure()
@description('SendGrid signed event webhook public key (base64 DER). Empty: set it after deployment.')
param sendGridEventWebhookPublicKey string

@secure()
@description('Pseudonym key: 32 or more random bytes, base64. Never rotate it without migrating suppressions and tombstones. Empty: set it after deployment.')
param pseudonymKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

// The audit category group carries AuditEvent: every data-plane operation, each secret read included, with the identity
// that made it. Without this setting nobody can tell who read a secret. The group name and this API version are those of
// Microsoft's built-in policy "Enable logging by category group for Key vaults to Log Analytics"; the
// stable API versions have no categoryGroup. No metrics: request counts answer no question about six secrets.
resource auditLog 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'audit-to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

resource sendGridApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: secretNames.sendGridApiKey
  properties: {
    value: sendGridApiKey
    contentType: 'text/plain'
  }
}

resource hrisWebhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(hrisWebhookSecret)) {
  parent: vault
  name: secretNames.hrisWebhookSecret0
  properties: {
    value: hrisWebhookSecret
    contentType: 'text/plain'
  }
}

resource linkSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(linkSigningKey)) {
  parent: vault
  name: secretNames.linkSigningKeyK1
  properties: {
    value: linkSigningKey
    contentType: 'text/plain'
  }
}

resource sendGridEventWebhookPublicKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sendGridEventWebhookPublicKey)) {
  parent: vault
  name: secretNames.sendGridEventWebhookPublicKey
  properties: {
    value: sendGridEventWebhookPublicKey
    contentType: 'text/plain'
  }
}

resource pseudonymKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(pseudonymKey)) {
  parent: vault
  name: secretNames.pseudonymKey
  properties: {
    value: pseudonymKey
    contentType: 'text/plain'
  }
}

@description('Key Vault name.')
output name string = vault.name
