namespace AlumniNetwork.Functions.Hosting.Configuration;

/// <summary>Thrown at start-up when required configuration is missing; the message names every missing setting.</summary>
public sealed class MissingConfigurationException(IReadOnlyList<string> missing) : Exception(
    "The app cannot start: required settings are missing: " +
    string.Join(", ", missing.Select(key => $"{key} (app setting {key.Replace(":", "__", StringComparison.Ordinal)})")) +
    ". Set them in app settings (Key Vault references for secrets) or, locally, in appsettings.Development.json.")
{
    public IReadOnlyList<string> Missing { get; } = missing;
}

public static class StartupCheck
{
    /// <summary>Fails fast, before the app listens, naming every missing setting at once.</summary>
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

        if (missing.Count > 0)
        {
            throw new MissingConfigurationException(missing);
        }
    }
}
