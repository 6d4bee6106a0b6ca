// Log Analytics workspace and the workspace-based Application Insights component that the Functions host
// and the app itself (OpenTelemetry, ADR 0013) send telemetry to. Local (instrumentation-key) auth is off: ingestion
// needs an Entra token, which both get with the app's managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Days Log Analytics keeps data. Logs carry ids only, never personal data.')
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

@description('Log Analytics workspace resource id: the destination of the resources\' diagnostic settings.')
output workspaceId string = workspace.id

@description('Application Insights component name.')
output appInsightsName string = appInsights.name

@description('Connection string: an endpoint and an instrumentation key, not a credential once local auth is off.')
output connectionString string = appInsights.properties.ConnectionString
