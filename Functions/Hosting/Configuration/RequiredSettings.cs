namespace AlumniNetwork.Functions.Hosting.Configuration;

/// <summary>
/// The configuration keys the app cannot start without, and those that switch off a single function instead. One list,
/// read by the start-up check and by the infrastructure tests that prove the Bicep deployment provides every one of them
/// and that docs/deploy.md asks for each secret before the app is first published.
/// </summary>
public static class RequiredSettings
{
    /// <summary>
    /// Keys in configuration form (<c>Section:Key</c>); app settings spell them <c>Section__Key</c>. The timers' schedules
    /// are among them: the Functions host resolves <c>%DispatchSchedule%</c> in function.json from app settings only, never
    /// from the app's JSON files, so only appsettings.Development.json (for the local trigger host) gives them values, and
    /// outside Development a missing app setting fails the start instead of leaving a timer that never runs.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Company:Name",
        "Company:PublicBaseUrl",
        "Hris:WebhookSecrets:0",
        "Links:ActiveKeyId",
        "SendGrid:ApiKey",
        "SendGrid:FromEmail",
        "SendGrid:FromName",
        "AdminAuth:Audience",
        "DispatchSchedule",
        "RetentionSchedule",
        "SurveyWaveSchedule",
        "Outreach:PostalAddress",
        "Outreach:EnquiryContact",
        "Privacy:PseudonymKey",
    ];

    /// <summary>Storage is required too, but either form satisfies it.</summary>
    public static IReadOnlyList<string> StorageAlternatives { get; } =
    [
        "Storage:ConnectionString",
        "Storage:TableServiceUri",
    ];

    /// <summary>
    /// Settings the app starts without, each beside the one function it switches off while it is missing or still an
    /// unresolved Key Vault reference. SendGrid shows its event-webhook key only once the webhook points at the running
    /// app, so the key arrives after the first publish (docs/deploy.md, step 6).
    /// </summary>
    public static IReadOnlyDictionary<string, string> FunctionSettings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["SendGrid:EventWebhookPublicKey"] = "SendGridEvents",
    };

    /// <summary>
    /// Settings the platform reads and the app never does: the console sign-in's client secret belongs to App Service
    /// built-in authentication. An unresolved reference there breaks only the console sign-in, so it does not stop the
    /// start (HRIS intake and mail go on); a warning at start names it.
    /// </summary>
    public static IReadOnlyList<string> PlatformSettings { get; } =
    [
        "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET",
    ];

    /// <summary><c>Section:Key</c> as the app setting (environment variable) <c>Section__Key</c>.</summary>
    public static string AppSettingName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// In Azure a Key Vault reference the platform could not resolve (secret missing, no access) reaches the app as its own
    /// literal text, <c>@Microsoft.KeyVault(...)</c>: such a value is absent, not present.
    /// </summary>
    public static bool IsUnresolvedKeyVaultReference(string? value) =>
        value?.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true;
}
