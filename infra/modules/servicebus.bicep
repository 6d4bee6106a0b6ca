// Service Bus namespace and its queues. Local (SAS key) auth is off: the app connects with its managed identity.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Service Bus namespace name, globally unique.')
@minLength(6)
@maxLength(50)
param name string

@description('Queue names. Every queueName that a Functions/*/function.json names must be in this list (the infrastructure tests check it).')
param queueNames string[]

@description('How long an undelivered message lives before it is dead-lettered (ISO 8601).')
param defaultMessageTimeToLive string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

// Retry policy lives here, not in code: the host abandons a message when our handler fails, Service Bus redelivers
// it up to maxDeliveryCount times (the lock is renewed by the host), then dead-letters it.
resource queues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for queueName in queueNames: {
    parent: namespace
    name: queueName
    properties: {
      maxDeliveryCount: 10
      lockDuration: 'PT1M'
      defaultMessageTimeToLive: defaultMessageTimeToLive
      deadLetteringOnMessageExpiration: true
      maxSizeInMegabytes: 1024
      enablePartitioning: false
      requiresSession: false
    }
  }
]

@description('Service Bus namespace name.')
output name string = namespace.name

@description('Host name clients connect to, e.g. <name>.servicebus.windows.net.')
output fullyQualifiedNamespace string = parseUri(namespace.properties.serviceBusEndpoint).host
