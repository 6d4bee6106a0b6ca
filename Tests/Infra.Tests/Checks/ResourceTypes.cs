namespace AlumniNetwork.Infra.Tests.Checks;

public static class ResourceTypes
{
    public const string StorageAccount = "Microsoft.Storage/storageAccounts";
    public const string BlobContainer = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string TableService = "Microsoft.Storage/storageAccounts/tableServices";
    public const string ServerFarm = "Microsoft.Web/serverfarms";
    public const string Site = "Microsoft.Web/sites";
    public const string SiteConfig = "Microsoft.Web/sites/config";
    public const string PublishingCredentialsPolicy = "Microsoft.Web/sites/basicPublishingCredentialsPolicies";
    public const string ServiceBusNamespace = "Microsoft.ServiceBus/namespaces";
    public const string ServiceBusQueue = "Microsoft.ServiceBus/namespaces/queues";
    public const string KeyVault = "Microsoft.KeyVault/vaults";
    public const string KeyVaultSecret = "Microsoft.KeyVault/vaults/secrets";
    public const string RoleAssignment = "Microsoft.Authorization/roleAssignments";
    public const string RoleDefinition = "Microsoft.Authorization/roleDefinitions";
    public const string LogAnalyticsWorkspace = "Microsoft.OperationalInsights/workspaces";
    public const string ApplicationInsights = "Microsoft.Insights/components";
    public const string DiagnosticSetting = "Microsoft.Insights/diagnosticSettings";
    public const string UserAssignedIdentity = "Microsoft.ManagedIdentity/userAssignedIdentities";
}
