using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Newsletters;
using System.Text.RegularExpressions;
using AlumniNetwork.Infra.Tests.Arm;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests.Checks;

/// <summary>
/// The rules the deployment must keep, as functions from an evaluated deployment to its problems. Tests assert
/// there are none for infra/main.bicep, and that each rule does report a deliberately broken copy.
/// </summary>
public static partial class InfrastructureChecks
{
    /// <summary>
    /// The roles the app's identity must hold, by the name <see cref="BuiltInRoles"/> lists them under, and the resource
    /// type each is scoped to. Ids come from that table only.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RequiredRoles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // The host's storage (AzureWebJobsStorage: leases, keys, timers) and the deployment container.
        ["Storage Blob Data Owner"] = ResourceTypes.StorageAccount,
        // The app's state and the host's diagnostic events. No queue role: no blob trigger, messages are on Service Bus.
        ["Storage Table Data Contributor"] = ResourceTypes.StorageAccount,
        // Send, receive, and the trigger's scale monitoring, which reads queue metrics.
        ["Azure Service Bus Data Owner"] = ResourceTypes.ServiceBusNamespace,
        // Resolving the @Microsoft.KeyVault(...) app settings.
        ["Key Vault Secrets User"] = ResourceTypes.KeyVault,
        // Telemetry with Entra auth (Application Insights has local auth off).
        ["Monitoring Metrics Publisher"] = ResourceTypes.ApplicationInsights,
    };

    /// <summary>
    /// Bounds of <c>functionAppConfig.scaleAndConcurrency.maximumInstanceCount</c> on Flex Consumption: "The lowest maximum
    /// scale is currently 40. The highest currently supported value is 1000." (learn.microsoft.com/azure/azure-functions/
    /// flex-consumption-plan, Considerations; checked 2026-11-29).
    /// </summary>
    public static readonly (int Min, int Max) FlexMaximumInstanceCount = (40, 1000);

    /// <summary>Queues the tests require even before any function.json names them.</summary>
    public static readonly IReadOnlyList<string> KnownQueues = ["welcome-invitations"];

    /// <summary>Settings whose names look secret but whose values are not credentials.</summary>
    public static readonly IReadOnlySet<string> PlainValueAllowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        // Endpoint plus instrumentation key; with local auth off, ingestion also needs an Entra token.
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
    };

    public static readonly IReadOnlyList<string> RequiredOutputs =
        ["appUrl", "functionAppName", "storageAccountName", "serviceBusNamespaceName", "keyVaultName", "appInsightsName"];

    public static Problems Storage(ArmDeployment deployment)
    {
        var problems = new Problems();
        var storage = problems.OnlyOne(deployment, ResourceTypes.StorageAccount);
        problems.Expect(storage, "kind", "StorageV2");
        problems.Expect(storage, "properties.allowSharedKeyAccess", false);
        problems.Expect(storage, "properties.allowBlobPublicAccess", false);
        problems.Expect(storage, "properties.minimumTlsVersion", "TLS1_2");
        problems.Expect(storage, "properties.supportsHttpsTrafficOnly", true);
        problems.Require(deployment.OfType(ResourceTypes.BlobContainer).Count > 0, "no blob container for the deployment package");
        problems.Require(deployment.OfType(ResourceTypes.TableService).Count > 0, "no table service");
        foreach (var container in deployment.OfType(ResourceTypes.BlobContainer))
        {
            problems.Expect(container, "properties.publicAccess", "None");
        }

        return problems;
    }

    public static Problems FunctionApp(ArmDeployment deployment)
    {
        var problems = new Problems();
        var plan = problems.OnlyOne(deployment, ResourceTypes.ServerFarm);
        problems.Expect(plan, "sku.name", "FC1");
        problems.Expect(plan, "sku.tier", "FlexConsumption");
        problems.Expect(plan, "properties.reserved", true);

        problems.OnlyOne(deployment, ResourceTypes.UserAssignedIdentity);
        var site = problems.OnlyOne(deployment, ResourceTypes.Site);
        if (site is not null)
        {
            var kind = ArmExpressionEvaluator.Render(site.Body["kind"]);
            problems.Require(kind.Contains("functionapp", StringComparison.OrdinalIgnoreCase) && kind.Contains("linux", StringComparison.OrdinalIgnoreCase),
                $"{site}: kind is '{kind}', expected a Linux function app");
            var identityType = ArmExpressionEvaluator.Render(Problems.At(site.Body, "identity.type"));
            problems.Require(identityType.Contains("UserAssigned", StringComparison.OrdinalIgnoreCase),
                $"{site}: identity.type is '{identityType}', expected a user-assigned managed identity");
        }

        problems.Expect(site, "properties.httpsOnly", true);
        problems.Expect(site, "properties.siteConfig.minTlsVersion", "1.2");
        // A Flex Consumption site has no FTP endpoint; the platform rejects ftpsState there.
        problems.Require(site is null || Problems.At(site.Body, "properties.siteConfig.ftpsState") is null,
            $"{site}: siteConfig.ftpsState is set; Flex Consumption rejects it (there is no FTP endpoint)");
        problems.ExpectPresent(site, "identity.userAssignedIdentities");
        problems.ExpectPresent(site, "properties.keyVaultReferenceIdentity");
        problems.Expect(site, "properties.functionAppConfig.runtime.name", "custom");
        problems.Expect(site, "properties.functionAppConfig.runtime.version", "1.0");
        problems.Expect(site, "properties.functionAppConfig.deployment.storage.type", "blobContainer");
        problems.Expect(site, "properties.functionAppConfig.deployment.storage.authentication.type", "UserAssignedIdentity");
        problems.ExpectPresent(site, "properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId");
        problems.ExpectPresent(site, "properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB");
        problems.ExpectPresent(site, "properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount");

        if (site is not null)
        {
            var packageUrl = ArmExpressionEvaluator.Render(Problems.At(site.Body, "properties.functionAppConfig.deployment.storage.value"));
            var containers = deployment.OfType(ResourceTypes.BlobContainer).Select(container => container.LeafName).ToList();
            problems.Require(containers.Any(container => packageUrl.EndsWith(container, StringComparison.Ordinal)),
                $"{site}: deployment storage '{packageUrl}' is not one of the blob containers ({string.Join(", ", containers)})");
        }

        var policies = deployment.OfType(ResourceTypes.PublishingCredentialsPolicy);
        var scm = policies.FirstOrDefault(p => p.LeafName == "scm");
        problems.Require(scm is not null, "no basicPublishingCredentialsPolicies 'scm': basic-auth publishing is not pinned off");
        problems.Expect(scm, "properties.allow", false);
        foreach (var policy in policies.Where(p => p.LeafName != "scm"))
        {
            problems.Add($"{policy}: Flex Consumption has no FTP or other basic-auth publishing endpoint than 'scm'; remove it");
        }

        return problems;
    }

    /// <summary>maximumInstanceCount stays within what Flex Consumption accepts, in the value and in the parameter's bounds.</summary>
    public static Problems ScaleLimits(ArmDeployment deployment)
    {
        var problems = new Problems();
        var (min, max) = FlexMaximumInstanceCount;
        var parameter = deployment.Template["parameters"]?["maximumInstanceCount"];
        problems.Require(parameter is not null, "main.bicep has no maximumInstanceCount parameter");
        if (parameter is not null)
        {
            problems.Require(ArmExpressionEvaluator.TryGetInt(parameter["minValue"], out var low) && low >= min,
                $"parameter maximumInstanceCount allows values below {min} (minValue {Problems.Show(parameter["minValue"])}), the lowest maximum Flex Consumption accepts");
            problems.Require(ArmExpressionEvaluator.TryGetInt(parameter["maxValue"], out var high) && high <= max,
                $"parameter maximumInstanceCount allows values above {max} (maxValue {Problems.Show(parameter["maxValue"])}), the highest Flex Consumption supports");
        }

        foreach (var site in deployment.OfType(ResourceTypes.Site))
        {
            var value = Problems.At(site.Body, "properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount");
            problems.Require(ArmExpressionEvaluator.TryGetInt(value, out var count) && count >= min && count <= max,
                $"{site}: maximumInstanceCount is {Problems.Show(value)}, expected {min} to {max}");
        }

        return problems;
    }

    public static Problems ServiceBus(ArmDeployment deployment, IEnumerable<string> queuesTheFunctionsUse)
    {
        var problems = new Problems();
        var serviceBus = problems.OnlyOne(deployment, ResourceTypes.ServiceBusNamespace);
        problems.Expect(serviceBus, "sku.name", "Standard");
        problems.Expect(serviceBus, "properties.disableLocalAuth", true);
        problems.Expect(serviceBus, "properties.minimumTlsVersion", "1.2");

        var queues = deployment.OfType(ResourceTypes.ServiceBusQueue);
        var names = queues.Select(queue => queue.LeafName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        problems.Require(queues.Count > 0, "no Service Bus queue at all");
        foreach (var queue in queuesTheFunctionsUse.Concat(KnownQueues).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            problems.Require(names.Contains(queue),
                $"queue '{queue}' is used by the functions but not provisioned (have: {string.Join(", ", names.Order())}); add it to 'queues' in infra/main.bicep");
        }

        foreach (var queue in queues)
        {
            problems.Expect(queue, "properties.maxDeliveryCount", 10);
            problems.Expect(queue, "properties.lockDuration", "PT1M");
            problems.Expect(queue, "properties.deadLetteringOnMessageExpiration", true);
            var ttl = ArmExpressionEvaluator.Render(Problems.At(queue.Body, "properties.defaultMessageTimeToLive"));
            problems.Require(ttl.StartsWith('P'), $"{queue}: defaultMessageTimeToLive '{ttl}' is not an ISO 8601 duration");
        }

        return problems;
    }

    /// <summary>Every Service Bus connection the bindings name is configured for the managed identity.</summary>
    public static Problems ServiceBusConnections(ArmDeployment deployment, IReadOnlyList<ServiceBusBinding> bindings)
    {
        var problems = new Problems();
        var settings = AppSettings(deployment, problems);
        var connections = bindings.Select(binding => binding.Connection)
            .DefaultIfEmpty("ServiceBusConnection")
            .Distinct(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            RequireSetting(problems, settings, $"{connection}__fullyQualifiedNamespace");
            RequireSetting(problems, settings, $"{connection}__credential", "managedidentity");
            RequireSetting(problems, settings, $"{connection}__clientId");
        }

        return problems;
    }

    public static Problems KeyVault(ArmDeployment deployment)
    {
        var problems = new Problems();
        var vault = problems.OnlyOne(deployment, ResourceTypes.KeyVault);
        problems.Expect(vault, "properties.enableRbacAuthorization", true);
        problems.Expect(vault, "properties.enableSoftDelete", true);
        problems.Expect(vault, "properties.enablePurgeProtection", true);
        problems.ExpectPresent(vault, "properties.publicNetworkAccess");
        if (vault is not null && Problems.At(vault.Body, "properties.accessPolicies") is JsonArray { Count: > 0 })
        {
            problems.Add($"{vault}: access policies are set; access is Azure RBAC only");
        }

        var secrets = deployment.OfType(ResourceTypes.KeyVaultSecret);
        foreach (var secret in secrets)
        {
            var value = ArmExpressionEvaluator.Render(Problems.At(secret.Body, "properties.value"));
            problems.Require(value.Contains(ArmExpressionEvaluator.SecureParameterMarker, StringComparison.Ordinal),
                $"{secret}: the value does not come from a @secure() parameter");
        }

        // Settings may reference secrets the operator adds later (rotation), but never an impossible name, and
        // every secret the template writes must be read by some setting (a mismatch is a typo on one side).
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in AppSettings(deployment, problems))
        {
            if (KeyVaultSecretName(ArmExpressionEvaluator.Render(value)) is { } secretName)
            {
                referenced.Add(secretName);
                problems.Require(KeyVaultSecretName().IsMatch(secretName),
                    $"app setting {name} references '{secretName}', which is not a valid Key Vault secret name (letters, digits, hyphens)");
            }
        }

        foreach (var secret in secrets)
        {
            problems.Require(referenced.Contains(secret.LeafName),
                $"{secret}: no app setting references secret '{secret.LeafName}' (referenced: {string.Join(", ", referenced.Order())})");
        }

        return problems;
    }

    /// <summary>
    /// The vault's audit log (AuditEvent: every secret read, with the identity that made it) goes to the Log Analytics
    /// workspace through a diagnostic setting on the vault, by the audit category group (or allLogs, which holds it).
    /// </summary>
    public static Problems KeyVaultAuditLog(ArmDeployment deployment)
    {
        var problems = new Problems();
        var onVault = deployment.OfType(ResourceTypes.DiagnosticSetting)
            .Where(setting => ArmExpressionEvaluator.Render(setting.Body["scope"]).Contains(ResourceTypes.KeyVault, StringComparison.OrdinalIgnoreCase))
            .ToList();
        problems.Require(onVault.Count > 0, $"no {ResourceTypes.DiagnosticSetting} is scoped to the Key Vault: nobody can tell who read a secret");
        foreach (var setting in onVault)
        {
            var audit = (Problems.At(setting.Body, "properties.logs") as JsonArray ?? []).OfType<JsonObject>().Any(log =>
                ArmExpressionEvaluator.Render(log["categoryGroup"]) is "audit" or "allLogs" && ArmExpressionEvaluator.Render(log["enabled"]) == "True");
            problems.Require(audit, $"{setting}: the audit category group is not enabled");
            var workspace = ArmExpressionEvaluator.Render(Problems.At(setting.Body, "properties.workspaceId"));
            problems.Require(workspace.Contains("workspace", StringComparison.OrdinalIgnoreCase),
                $"{setting}: logs do not go to the Log Analytics workspace (workspaceId {workspace})");
        }

        return problems;
    }

    /// <summary>No secret in plain text: secret-like settings are Key Vault references; no setting carries a secure parameter.</summary>
    public static Problems SecretSettings(ArmDeployment deployment)
    {
        var problems = new Problems();
        foreach (var (name, value) in AppSettings(deployment, problems))
        {
            var text = ArmExpressionEvaluator.Render(value);
            if (text.Contains(ArmExpressionEvaluator.SecureParameterMarker, StringComparison.Ordinal))
            {
                problems.Add($"app setting {name} carries a secure parameter's value ({text}); store it in Key Vault and reference it");
            }

            if (IsSecretLike(name) && !PlainValueAllowed.Contains(name))
            {
                problems.Require(KeyVaultReference().IsMatch(Opaque(text)),
                    $"app setting {name} looks secret but its value is not a @Microsoft.KeyVault(...) reference: {text}");
            }
        }

        return problems;
    }

    public static Problems RequiredSettings(ArmDeployment deployment, IReadOnlyList<string> requiredNames, IReadOnlyList<string> storageAlternatives)
    {
        var problems = new Problems();
        var settings = AppSettings(deployment, problems);
        foreach (var name in requiredNames)
        {
            RequireSetting(problems, settings, AppCode.ToAppSettingName(name));
        }

        var alternatives = storageAlternatives.Select(AppCode.ToAppSettingName).ToList();
        problems.Require(alternatives.Any(name => settings.TryGetValue(name, out var value) && ArmExpressionEvaluator.Render(value).Length > 0),
            $"none of the storage settings is provided: {string.Join(", ", alternatives)}");

        // The active link-signing key must exist, or no signed link can be issued.
        if (settings.TryGetValue("Links__ActiveKeyId", out var activeKeyId))
        {
            var keySetting = $"Links__Keys__{ArmExpressionEvaluator.Render(activeKeyId)}";
            problems.Require(settings.ContainsKey(keySetting),
                $"Links__ActiveKeyId is '{ArmExpressionEvaluator.Render(activeKeyId)}' but there is no {keySetting} setting");
        }

        return problems;
    }

    /// <summary>The host and the app connect with the user-assigned identity; the production switches are set.</summary>
    public static Problems HostSettings(ArmDeployment deployment)
    {
        var problems = new Problems();
        var settings = AppSettings(deployment, problems);
        RequireSetting(problems, settings, "AzureWebJobsStorage__accountName");
        RequireSetting(problems, settings, "AzureWebJobsStorage__credential", "managedidentity");
        RequireSetting(problems, settings, "AzureWebJobsStorage__clientId");
        RequireSetting(problems, settings, "AZURE_CLIENT_ID");
        RequireSetting(problems, settings, "APPLICATIONINSIGHTS_CONNECTION_STRING");
        RequireSetting(problems, settings, "ASPNETCORE_ENVIRONMENT", "Production");
        RequireSetting(problems, settings, "DOTNET_ENVIRONMENT", "Production");
        RequireSetting(problems, settings, "LocalTriggerHost__Enabled", "false");
        RequireSetting(problems, settings, "Company__DefaultLocale");
        RequireSetting(problems, settings, "AdminAuth__Authority");
        RequireSetting(problems, settings, "AdminAuth__ClientId");
        RequireSetting(problems, settings, "SendGrid__EventWebhookPublicKey");

        // A connection string (with its account key) for the host's storage, or runtime settings Flex rejects.
        foreach (var forbidden in new[] { "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE" })
        {
            problems.Require(!settings.ContainsKey(forbidden), $"app setting {forbidden} must not be set on this Flex Consumption, identity-based app");
        }

        var clientIds = new[] { "AzureWebJobsStorage__clientId", "ServiceBusConnection__clientId", "AZURE_CLIENT_ID" }
            .Where(settings.ContainsKey)
            .Select(name => ArmExpressionEvaluator.Render(settings[name]))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        problems.Require(clientIds.Count <= 1, $"the client id settings name different identities: {string.Join(" | ", clientIds)}");

        if (settings.TryGetValue("AdminAuth__Authority", out var authority))
        {
            problems.Require(ArmExpressionEvaluator.Render(authority).EndsWith("/v2.0", StringComparison.Ordinal),
                $"AdminAuth__Authority '{ArmExpressionEvaluator.Render(authority)}' is not an Entra v2.0 authority");
        }

        // DispatchSchedule is read by the host (%DispatchSchedule% in function.json), which wants six fields.
        if (settings.TryGetValue("DispatchSchedule", out var dispatch))
        {
            var fields = ArmExpressionEvaluator.Render(dispatch).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            problems.Require(fields.Length == 6, $"DispatchSchedule '{ArmExpressionEvaluator.Render(dispatch)}' is not a six-field NCRONTAB expression");
        }

        // NewsletterSchedule is read by the app, which refuses to start unless its options validate: the same validation here.
        if (settings.TryGetValue(nameof(NewsletterOptions.NewsletterSchedule), out var newsletter))
        {
            var options = new NewsletterOptions { NewsletterSchedule = ArmExpressionEvaluator.Render(newsletter) };
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
            foreach (var result in results)
            {
                problems.Add($"NewsletterSchedule '{options.NewsletterSchedule}' {result.ErrorMessage}");
            }
        }

        var insights = deployment.OfType(ResourceTypes.ApplicationInsights);
        if (insights.Any(component => JsonNode.DeepEquals(Problems.At(component.Body, "properties.DisableLocalAuth"), true)))
        {
            RequireSetting(problems, settings, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
            if (settings.TryGetValue("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", out var authentication))
            {
                problems.Require(ArmExpressionEvaluator.Render(authentication).Contains("Authorization=AAD", StringComparison.Ordinal),
                    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING does not ask for Entra (AAD) authorization");
            }
        }

        return problems;
    }

    /// <summary>
    /// The console signs in through App Service built-in authentication with Entra ID (ADR 0018): on, required, over
    /// HTTPS, with a fixed session lifetime and a client secret from Key Vault; every HTTP function outside the console
    /// is excluded (webhooks, signed-link pages and the JSON API could not follow a sign-in), and no console page is,
    /// except the page shown after signing out.
    /// </summary>
    public static Problems ConsoleSignIn(ArmDeployment deployment, IReadOnlyList<string> httpRoutes)
    {
        var problems = new Problems();
        var auth = deployment.OfType(ResourceTypes.SiteConfig).Where(c => c.LeafName == "authsettingsV2").ToList();
        problems.Require(auth.Count == 1, $"expected exactly one authsettingsV2 (App Service built-in authentication), found {auth.Count}");
        var settings = auth.FirstOrDefault();
        problems.Expect(settings, "properties.platform.enabled", true);
        problems.Expect(settings, "properties.globalValidation.requireAuthentication", true);
        problems.Expect(settings, "properties.globalValidation.unauthenticatedClientAction", "RedirectToLoginPage");
        problems.Expect(settings, "properties.identityProviders.azureActiveDirectory.enabled", true);
        problems.Expect(settings, "properties.login.cookieExpiration.convention", "FixedTime");
        problems.Expect(settings, "properties.login.tokenStore.enabled", false);
        problems.Expect(settings, "properties.httpSettings.requireHttps", true);
        if (settings is null)
        {
            return problems;
        }

        var issuer = ArmExpressionEvaluator.Render(Problems.At(settings.Body, "properties.identityProviders.azureActiveDirectory.registration.openIdIssuer"));
        problems.Require(issuer.EndsWith("/v2.0", StringComparison.Ordinal), $"{settings}: issuer '{issuer}' is not an Entra v2.0 issuer");
        var secretSetting = ArmExpressionEvaluator.Render(Problems.At(settings.Body, "properties.identityProviders.azureActiveDirectory.registration.clientSecretSettingName"));
        var appSettings = AppSettings(deployment, problems);
        problems.Require(appSettings.TryGetValue(secretSetting, out var secret) && KeyVaultReference().IsMatch(Opaque(ArmExpressionEvaluator.Render(secret))),
            $"{settings}: the client secret setting '{secretSetting}' is not an app setting holding a Key Vault reference (without it, sign-in falls back to the implicit flow)");

        var excluded = (Problems.At(settings.Body, "properties.globalValidation.excludedPaths") as JsonArray ?? [])
            .Select(p => ArmExpressionEvaluator.Render(p)).ToList();
        bool IsExcluded(string path) => excluded.Any(e => e.EndsWith("/*", StringComparison.Ordinal) ? path.StartsWith(e[..^1], StringComparison.Ordinal) : path == e);
        foreach (var route in httpRoutes.Select(r => "/api/" + r))
        {
            var console = route.StartsWith("/api/console/", StringComparison.Ordinal);
            problems.Require(console ? !IsExcluded("/api/console/alumni") && !IsExcluded("/api/console/home") : IsExcluded(route),
                console
                    ? $"console pages ({route}) are excluded from sign-in (excludedPaths: {string.Join(", ", excluded)})"
                    : $"{route} needs no platform sign-in but is not in excludedPaths ({string.Join(", ", excluded)})");
        }

        problems.Require(IsExcluded("/api/console/signed-out"), "the page shown after signing out (/api/console/signed-out) must be excluded from sign-in");
        return problems;
    }

    public static Problems RoleAssignments(ArmDeployment deployment)
    {
        var problems = new Problems();
        problems.Require(deployment.OfType(ResourceTypes.RoleDefinition).Count == 0, "the template defines custom roles; use built-in ones");

        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assignment in deployment.OfType(ResourceTypes.RoleAssignment))
        {
            var roleDefinitionId = ArmExpressionEvaluator.Render(Problems.At(assignment.Body, "properties.roleDefinitionId"));
            var guids = GuidPattern().Matches(roleDefinitionId).Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (guids.Count != 1)
            {
                problems.Add($"{assignment}: cannot tell which role '{roleDefinitionId}' is");
                continue;
            }

            if (BuiltInRoles.NameOf(guids[0]) is not { } role)
            {
                problems.Add($"{assignment}: role id {guids[0]} is not in infra/built-in-roles.json, the table of the platform's built-in role ids");
                continue;
            }

            if (!RequiredRoles.TryGetValue(role, out var scopeType))
            {
                problems.Add($"{assignment}: {role} is not a role the app may hold");
                continue;
            }

            granted.Add(role);
            var scope = ArmExpressionEvaluator.Render(assignment.Body["scope"]);
            problems.Require(scope.Contains($"'{scopeType}'", StringComparison.OrdinalIgnoreCase),
                $"{assignment}: {role} is scoped to '{(scope.Length == 0 ? "the resource group" : scope)}', expected one {scopeType}");
            problems.Expect(assignment, "properties.principalType", "ServicePrincipal");
        }

        foreach (var role in RequiredRoles.Keys)
        {
            problems.Require(BuiltInRoles.Table.ContainsKey(role), $"infra/built-in-roles.json has no id for {role}");
            problems.Require(granted.Contains(role), $"the app's identity is not granted {role}");
        }

        return problems;
    }

    public static Problems Monitoring(ArmDeployment deployment)
    {
        var problems = new Problems();
        problems.OnlyOne(deployment, ResourceTypes.LogAnalyticsWorkspace);
        var insights = problems.OnlyOne(deployment, ResourceTypes.ApplicationInsights);
        problems.ExpectPresent(insights, "properties.WorkspaceResourceId");
        return problems;
    }

    public static Problems Outputs(ArmDeployment deployment)
    {
        var problems = new Problems();
        var outputs = deployment.Outputs();
        foreach (var name in RequiredOutputs)
        {
            problems.Require(outputs.ContainsKey(name), $"output '{name}' is missing");
        }

        if (outputs.TryGetValue("appUrl", out var appUrl))
        {
            problems.Require(ArmExpressionEvaluator.Render(appUrl).StartsWith("https://", StringComparison.Ordinal),
                $"output appUrl '{ArmExpressionEvaluator.Render(appUrl)}' is not an https URL");
        }

        return problems;
    }

    /// <summary>
    /// A name looks secret when one of its <c>__</c>-separated parts mentions a key, secret, password, token or
    /// connection string: <c>SendGrid__ApiKey</c>, <c>Hris__WebhookSecrets__0</c>, <c>Links__Keys__k1</c>, but not
    /// <c>Links__ActiveKeyId</c>.
    /// </summary>
    public static bool IsSecretLike(string name) => name
        .Split("__")
        .Select(part => part.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant())
        .Any(part => part.Contains("APIKEY", StringComparison.Ordinal)
            || part.Contains("SECRET", StringComparison.Ordinal)
            || part.Contains("PASSWORD", StringComparison.Ordinal)
            || part.Contains("TOKEN", StringComparison.Ordinal)
            || part.Contains("CONNECTIONSTRING", StringComparison.Ordinal)
            || part.EndsWith("KEY", StringComparison.Ordinal)
            || part.EndsWith("KEYS", StringComparison.Ordinal));

    /// <summary>The secret a <c>@Microsoft.KeyVault(VaultName=...;SecretName=...)</c> setting names, or null for any other value.</summary>
    public static string? KeyVaultSecretName(string settingValue) =>
        KeyVaultReference().Match(Opaque(settingValue)) is { Success: true } reference && reference.Groups["secret"].Success
            ? reference.Groups["secret"].Value
            : null;

    /// <summary>GUID literals in Bicep source: role ids belong in infra/built-in-roles.json, never typed in a template.</summary>
    public static IReadOnlyList<string> TypedGuids(string bicepSource) =>
        GuidPattern().Matches(bicepSource).Select(m => m.Value).ToList();

    /// <summary>The app settings: the sites/config 'appsettings' resource plus any siteConfig.appSettings entries.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> AppSettings(ArmDeployment deployment, Problems problems)
    {
        var settings = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var config in deployment.OfType(ResourceTypes.SiteConfig).Where(c => c.LeafName == "appsettings"))
        {
            foreach (var (name, value) in config.Properties)
            {
                settings[name] = value;
            }
        }

        foreach (var site in deployment.OfType(ResourceTypes.Site))
        {
            foreach (var entry in Problems.At(site.Body, "properties.siteConfig.appSettings") as JsonArray ?? [])
            {
                settings[ArmExpressionEvaluator.Render(entry?["name"])] = entry?["value"];
            }
        }

        if (settings.Count == 0)
        {
            problems.Add("the Function app has no app settings");
        }

        return settings;
    }

    /// <summary>Replaces each value only a deployment knows (⟪...⟫, possibly nested) with a plain placeholder.</summary>
    private static string Opaque(string text)
    {
        string previous;
        do
        {
            previous = text;
            text = InnermostUnresolved().Replace(text, "DEPLOYMENT-VALUE");
        }
        while (text != previous);

        return text;
    }

    private static void RequireSetting(Problems problems, IReadOnlyDictionary<string, JsonNode?> settings, string name, string? expected = null)
    {
        if (!settings.TryGetValue(name, out var value) || ArmExpressionEvaluator.Render(value).Length == 0)
        {
            problems.Add($"app setting {name} is missing or empty");
        }
        else if (expected is not null && ArmExpressionEvaluator.Render(value) != expected)
        {
            problems.Add($"app setting {name} is '{ArmExpressionEvaluator.Render(value)}', expected '{expected}'");
        }
    }

    [GeneratedRegex(@"^@Microsoft\.KeyVault\((VaultName=[^;()]+;SecretName=(?<secret>[^;()]+)(;SecretVersion=[^;()]+)?|SecretUri=[^()]+)\)$")]
    private static partial Regex KeyVaultReference();

    [GeneratedRegex("\u27EA[^\u27EA\u27EB]*\u27EB")]
    private static partial Regex InnermostUnresolved();

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex KeyVaultSecretName();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();
}
