using System.Text.Json.Nodes;
using AlumniNetwork.Infra.Tests.Arm;
using AlumniNetwork.Infra.Tests.Checks;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>
/// Each check can fail: a copy of the compiled template with one thing broken must be reported by the check that
/// guards it. Without this, a check that silently matched nothing would pass forever.
/// </summary>
[Collection(CompiledInfrastructureDefinition.Name)]
public sealed class BrokenTemplateTests(CompiledInfrastructure infrastructure)
{
    // Built-in role ids from the platform's published list (learn.microsoft.com/azure/role-based-access-control/built-in-roles);
    // roles the app must not hold, so they are not in infra/built-in-roles.json.
    private const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";

    // The id this repository once typed for Monitoring Metrics Publisher; no built-in role has it.
    private const string MistypedMonitoringMetricsPublisher = "3913510d-42f4-4642-8b2d-c8d13a4bc6d7";

    private static readonly Dictionary<string, Breakage> Breakages = new(StringComparer.Ordinal)
    {
        ["storage allows shared keys"] = new(t => Properties(t, ResourceTypes.StorageAccount)["allowSharedKeyAccess"] = true, InfrastructureChecks.Storage),
        ["storage allows public blobs"] = new(t => Properties(t, ResourceTypes.StorageAccount)["allowBlobPublicAccess"] = true, InfrastructureChecks.Storage),
        ["storage accepts TLS 1.0"] = new(t => Properties(t, ResourceTypes.StorageAccount)["minimumTlsVersion"] = "TLS1_0", InfrastructureChecks.Storage),
        ["app allows http"] = new(t => Properties(t, ResourceTypes.Site)["httpsOnly"] = false, InfrastructureChecks.FunctionApp),
        ["app accepts TLS 1.0"] = new(t => Properties(t, ResourceTypes.Site)["siteConfig"]!["minTlsVersion"] = "1.0", InfrastructureChecks.FunctionApp),
        ["app sets ftpsState, which Flex rejects"] = new(t => Properties(t, ResourceTypes.Site)["siteConfig"]!["ftpsState"] = "Disabled", InfrastructureChecks.FunctionApp),
        ["app has an ftp publishing policy"] = new(t => Raw(t, ResourceTypes.PublishingCredentialsPolicy)["name"] = "[format('{0}/{1}', parameters('name'), 'ftp')]", InfrastructureChecks.FunctionApp),
        ["instance limit allows less than the platform minimum"] = new(t => t["parameters"]!["maximumInstanceCount"]!["minValue"] = 1, InfrastructureChecks.ScaleLimits),
        ["instance limit allows more than the platform maximum"] = new(t => t["parameters"]!["maximumInstanceCount"]!["maxValue"] = 2000, InfrastructureChecks.ScaleLimits),
        ["instance limit below the platform minimum"] = new(t => t["parameters"]!["maximumInstanceCount"]!["defaultValue"] = 10, InfrastructureChecks.ScaleLimits),
        ["app has no identity"] = new(t => Raw(t, ResourceTypes.Site).Remove("identity"), InfrastructureChecks.FunctionApp),
        ["app is not a custom handler"] = new(t => Properties(t, ResourceTypes.Site)["functionAppConfig"]!["runtime"]!["name"] = "dotnet-isolated", InfrastructureChecks.FunctionApp),
        ["app allows basic-auth publishing"] = new(t => Properties(t, ResourceTypes.PublishingCredentialsPolicy)["allow"] = true, InfrastructureChecks.FunctionApp),
        ["plan is not Flex Consumption"] = new(t => Raw(t, ResourceTypes.ServerFarm)["sku"]!["name"] = "Y1", InfrastructureChecks.FunctionApp),
        ["service bus allows SAS keys"] = new(t => Properties(t, ResourceTypes.ServiceBusNamespace)["disableLocalAuth"] = false, CheckServiceBus),
        ["welcome-invitations queue missing"] = new(t => t["variables"]!["queues"] = new JsonArray("some-other-queue"), CheckServiceBus),
        ["queue retries forever"] = new(t => Properties(t, ResourceTypes.ServiceBusQueue)["maxDeliveryCount"] = 2000, CheckServiceBus),
        ["service bus connection uses a key"] = new(t => AppSettings(t).Remove("ServiceBusConnection__credential"), CheckConnections),
        ["key vault without purge protection"] = new(t => Properties(t, ResourceTypes.KeyVault)["enablePurgeProtection"] = false, InfrastructureChecks.KeyVault),
        ["key vault with access policies"] = new(t => Properties(t, ResourceTypes.KeyVault)["enableRbacAuthorization"] = false, InfrastructureChecks.KeyVault),
        ["secret from a plain parameter"] = new(t => Properties(t, ResourceTypes.KeyVaultSecret)["value"] = "hunter2", InfrastructureChecks.KeyVault),
        ["setting names an impossible secret"] = new(t => AppSettings(t)["SendGrid__ApiKey"] = "@Microsoft.KeyVault(VaultName=kv;SecretName=SendGrid__ApiKey)", InfrastructureChecks.KeyVault),
        ["secret written under another name"] = new(t => Raw(t, ResourceTypes.KeyVaultSecret)["name"] = "[format('{0}/{1}', parameters('name'), 'sendgrid-apikey')]", InfrastructureChecks.KeyVault),
        ["key vault audit log switched off"] = new(t => Properties(t, ResourceTypes.DiagnosticSetting)["logs"]![0]!["enabled"] = false, InfrastructureChecks.KeyVaultAuditLog),
        ["key vault logs only policy evaluations"] = new(t => Properties(t, ResourceTypes.DiagnosticSetting)["logs"] = new JsonArray(new JsonObject { ["category"] = "AzurePolicyEvaluationDetails", ["enabled"] = true }), InfrastructureChecks.KeyVaultAuditLog),
        ["key vault audit log sent nowhere"] = new(t => Properties(t, ResourceTypes.DiagnosticSetting).Remove("workspaceId"), InfrastructureChecks.KeyVaultAuditLog),
        ["no diagnostic setting on the key vault"] = new(t => Raw(t, ResourceTypes.DiagnosticSetting)["type"] = "Microsoft.Insights/somethingElse", InfrastructureChecks.KeyVaultAuditLog),
        ["api key in plain text"] = new(t => AppSettings(t)["SendGrid__ApiKey"] = "SG.plain-text-key", InfrastructureChecks.SecretSettings),
        ["webhook secret in plain text"] = new(t => AppSettings(t)["Hris__WebhookSecrets__0"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", InfrastructureChecks.SecretSettings),
        ["required setting missing"] = new(t => AppSettings(t).Remove("Company__Name"), CheckRequiredSettings),
        ["setting a function waits for is missing"] = new(t => AppSettings(t).Remove("SendGrid__EventWebhookPublicKey"), CheckRequiredSettings),
        ["active link key has no key"] = new(t => AppSettings(t)["Links__ActiveKeyId"] = "k2", CheckRequiredSettings),
        ["host storage by connection string"] = new(t => AppSettings(t)["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=https;AccountName=x", InfrastructureChecks.HostSettings),
        ["app runs as Development"] = new(t => AppSettings(t)["ASPNETCORE_ENVIRONMENT"] = "Development", InfrastructureChecks.HostSettings),
        ["newsletter schedule of five fields"] = new(t => AppSettings(t)["NewsletterSchedule"] = "0 10 1-7 * Mon", InfrastructureChecks.HostSettings),
        ["newsletter schedule that skips years"] = new(t => AppSettings(t)["NewsletterSchedule"] = "0 0 10 29 2 *", InfrastructureChecks.HostSettings),
        ["newsletter schedule that fires hourly"] = new(t => AppSettings(t)["NewsletterSchedule"] = "0 0 * * * *", InfrastructureChecks.HostSettings),
        ["newsletter schedule with a day that never comes"] = new(t => AppSettings(t)["NewsletterSchedule"] = "0 0 10 30 2 *", InfrastructureChecks.HostSettings),
        ["identity granted Contributor"] = new(t => Properties(t, ResourceTypes.RoleAssignment)["roleDefinitionId"] = RoleDefinition(Contributor), InfrastructureChecks.RoleAssignments),
        ["role granted on the resource group"] = new(t => Raw(t, ResourceTypes.RoleAssignment).Remove("scope"), InfrastructureChecks.RoleAssignments),
        ["role id typed instead of taken from the table"] = new(t => RoleAssignment(t, "Monitoring Metrics Publisher")["roleDefinitionId"] = RoleDefinition(MistypedMonitoringMetricsPublisher), InfrastructureChecks.RoleAssignments),
        ["service bus trigger cannot read queue metrics"] = new(t => RoleAssignment(t, "Azure Service Bus Data Owner")["roleDefinitionId"] = RoleDefinition(ServiceBusDataReceiver), InfrastructureChecks.RoleAssignments),
        ["console sign-in off"] = new(t => AuthSettings(t)["platform"]!["enabled"] = false, CheckConsoleSignIn),
        ["console open to anonymous users"] = new(t => AuthSettings(t)["globalValidation"]!["unauthenticatedClientAction"] = "AllowAnonymous", CheckConsoleSignIn),
        ["console pages excluded from sign-in"] = new(t => AuthSettings(t)["globalValidation"]!["excludedPaths"] = new JsonArray("/api/*"), CheckConsoleSignIn),
        ["webhook behind sign-in"] = new(t => AuthSettings(t)["globalValidation"]!["excludedPaths"] = new JsonArray("/api/alumni/*", "/api/manage/*", "/api/console/signed-out"), CheckConsoleSignIn),
        ["sign-in without a client secret"] = new(t => AuthSettings(t)["identityProviders"]!["azureActiveDirectory"]!["registration"]!.AsObject().Remove("clientSecretSettingName"), CheckConsoleSignIn),
        ["app url output missing"] = new(t => ((JsonObject)t["outputs"]!).Remove("appUrl"), InfrastructureChecks.Outputs),
    };

    public static TheoryData<string> BreakageNames() => new(Breakages.Keys);

    [Theory]
    [MemberData(nameof(BreakageNames))]
    public void BrokenTemplate_IsReported(string breakage)
    {
        var template = infrastructure.LoadTemplate();
        Breakages[breakage].Apply(template);

        var problems = Breakages[breakage].Check(infrastructure.Evaluate(template));

        Assert.NotEmpty(problems.Items);
    }

    private static Problems CheckServiceBus(ArmDeployment deployment) => InfrastructureChecks.ServiceBus(deployment, []);

    private static Problems CheckConnections(ArmDeployment deployment) => InfrastructureChecks.ServiceBusConnections(deployment, []);

    private static Problems CheckConsoleSignIn(ArmDeployment deployment) => InfrastructureChecks.ConsoleSignIn(deployment, AppCode.HttpRoutes());

    private static Problems CheckRequiredSettings(ArmDeployment deployment) =>
        InfrastructureChecks.RequiredSettings(deployment, AppCode.ProvidedSettingNames(), AppCode.StorageAlternatives());

    private static string RoleDefinition(string id) => $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{id}')]";

    /// <summary>The properties of the role assignment whose role id is looked up under <paramref name="role"/>.</summary>
    private static JsonObject RoleAssignment(JsonObject template, string role) => ArmDeployment.RawResources(template)
        .Where(resource => resource["type"]?.GetValue<string>() == ResourceTypes.RoleAssignment)
        .Select(resource => (JsonObject)resource["properties"]!)
        .First(properties => properties["roleDefinitionId"]!.GetValue<string>().Contains(role, StringComparison.Ordinal));

    private static JsonObject Raw(JsonObject template, string type) =>
        ArmDeployment.RawResources(template).First(resource => resource["type"]?.GetValue<string>() == type);

    private static JsonObject Properties(JsonObject template, string type) => (JsonObject)Raw(template, type)["properties"]!;

    /// <summary>
    /// The fixed app settings as an object a breakage can change. The template writes them as one expression,
    /// <c>union(createObject('name', value, …), toObject(…companyMailDomains…))</c>; the fixed part is turned back into
    /// an object of expressions (the per-domain settings are left out: no breakage concerns them).
    /// </summary>
    private static JsonObject AppSettings(JsonObject template)
    {
        var resource = SiteConfigResource(template, "appsettings");
        if (resource["properties"] is JsonValue expression)
        {
            var union = ArmExpressionEvaluator.Arguments(expression.GetValue<string>()[1..^1]);
            var members = ArmExpressionEvaluator.Arguments(union[0]);
            var settings = new JsonObject();
            for (var i = 0; i < members.Count; i += 2)
            {
                var name = members[i];
                var literal = name.Length >= 2 && name[0] == '\'' && name[^1] == '\'' && !name[1..^1].Contains('\'', StringComparison.Ordinal);
                settings[literal ? name[1..^1] : $"[{name}]"] = $"[{members[i + 1]}]";
            }

            resource["properties"] = settings;
        }

        return (JsonObject)resource["properties"]!;
    }

    private static JsonObject AuthSettings(JsonObject template) => SiteConfig(template, "authsettingsV2");

    private static JsonObject SiteConfig(JsonObject template, string name) => (JsonObject)SiteConfigResource(template, name)["properties"]!;

    private static JsonObject SiteConfigResource(JsonObject template, string name) => ArmDeployment.RawResources(template)
        .First(resource => resource["type"]?.GetValue<string>() == ResourceTypes.SiteConfig && resource["name"]!.GetValue<string>().Contains($"'{name}'", StringComparison.Ordinal));

    private sealed record Breakage(Action<JsonObject> Apply, Func<ArmDeployment, Problems> Check);
}
