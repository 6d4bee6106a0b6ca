namespace AlumniNetwork.Functions.Hosting.Configuration;

/// <summary>
/// Thrown at start-up when required configuration is missing or still an unresolved Key Vault reference; the message
/// names every such setting (never its value).
/// </summary>
public sealed class MissingConfigurationException(IReadOnlyList<string> missing, IReadOnlyList<string> unresolved) : Exception(Describe(missing, unresolved))
{
    public IReadOnlyList<string> Missing { get; } = missing;

    /// <summary>Settings whose value is an unresolved <c>@Microsoft.KeyVault(...)</c> reference.</summary>
    public IReadOnlyList<string> Unresolved { get; } = unresolved;

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unresolved)
    {
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add("required settings are missing: " + Named(missing));
        }

        if (unresolved.Count > 0)
        {
            parts.Add("settings hold an unresolved Key Vault reference (the secret does not exist yet, or the app's identity cannot read it): " + Named(unresolved));
        }

        return $"The app cannot start: {string.Join("; ", parts)}. Set them in app settings (Key Vault references for secrets, "
            + "then restart the app) or, locally, in appsettings.Development.json.";
    }

    private static string Named(IEnumerable<string> keys) =>
        string.Join(", ", keys.Select(key => $"{key} (app setting {RequiredSettings.AppSettingName(key)})"));
}

public static class StartupCheck
{
    /// <summary>
    /// Fails fast, before the app listens, naming every missing setting and every unresolved Key Vault reference at once.
    /// A setting in <see cref="RequiredSettings.FunctionSettings"/> never fails the start: it switches off its function;
    /// nor does one in <see cref="RequiredSettings.PlatformSettings"/>, which only the platform reads.
    /// </summary>
    public static void EnsureRequiredSettings(IConfiguration configuration, IHostEnvironment environment)
    {
        var missing = RequiredSettings.Names.Where(key => string.IsNullOrWhiteSpace(configuration[key])).ToList();
        if (RequiredSettings.StorageAlternatives.All(key => string.IsNullOrWhiteSpace(configuration[key])))
        {
            missing.Add(string.Join(" or ", RequiredSettings.StorageAlternatives));
        }

        var activeKey = configuration["Links:ActiveKeyId"];
        if (!string.IsNullOrWhiteSpace(activeKey) && string.IsNullOrWhiteSpace(configuration[$"Links:Keys:{activeKey}"]))
        {
            missing.Add($"Links:Keys:{activeKey}");
        }

        if (!environment.IsDevelopment() && string.IsNullOrWhiteSpace(configuration["AdminAuth:Authority"]))
        {
            missing.Add("AdminAuth:Authority");
        }

        // Every setting, not only the required ones: a rotation slot (Hris:WebhookSecrets:1, Links:Keys:k2) that points at a
        // secret nobody created must stop the start with this message, not fail later as a malformed key.
        var unresolved = configuration.AsEnumerable()
            .Where(setting => RequiredSettings.IsUnresolvedKeyVaultReference(setting.Value)
                && !RequiredSettings.FunctionSettings.ContainsKey(setting.Key)
                && !RequiredSettings.PlatformSettings.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
            .Select(setting => setting.Key)
            .Order(StringComparer.Ordinal)
            .ToList();

        if (missing.Count > 0 || unresolved.Count > 0)
        {
            throw new MissingConfigurationException(missing, unresolved);
        }
    }
}
