namespace AlumniNetwork.Functions.Hosting.Configuration;

/// <summary>A function switched off at start because the setting it needs is missing or an unresolved Key Vault reference.</summary>
/// <param name="Function">The function's name (its folder).</param>
/// <param name="Setting">The app setting it waits for, e.g. <c>SendGrid__EventWebhookPublicKey</c>.</param>
/// <param name="Reason"><see cref="FunctionAvailability.Missing"/> or <see cref="FunctionAvailability.Unresolved"/>.</param>
public sealed record DisabledFunction(string Function, string Setting, string Reason);

/// <summary>What /api/health reports: <c>healthy</c>, or <c>degraded</c> with the functions that are switched off.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<DisabledFunction> DisabledFunctions);

/// <summary>Marks an endpoint as belonging to a function, so a switched-off function answers 503 before its handler runs.</summary>
public sealed record FunctionEndpoint(string Function);

/// <summary>
/// Which functions are switched off, decided once at start from <see cref="RequiredSettings.FunctionSettings"/>. A
/// switched-off function answers 503 with a problem body and the health route reports it; the rest of the app works.
/// </summary>
public sealed partial class FunctionAvailability
{
    public const string Missing = "not set";
    public const string Unresolved = "unresolved Key Vault reference";

    private FunctionAvailability(IReadOnlyList<DisabledFunction> disabled, IReadOnlyList<string> unresolvedPlatformSettings)
    {
        Disabled = disabled;
        UnresolvedPlatformSettings = unresolvedPlatformSettings;
    }

    public IReadOnlyList<DisabledFunction> Disabled { get; }

    /// <summary>Settings of <see cref="RequiredSettings.PlatformSettings"/> that hold an unresolved Key Vault reference.</summary>
    public IReadOnlyList<string> UnresolvedPlatformSettings { get; }

    public static FunctionAvailability From(IConfiguration configuration) => new(
        RequiredSettings.FunctionSettings
            .Select(gate => (gate, value: configuration[gate.Key]))
            .Where(entry => string.IsNullOrWhiteSpace(entry.value) || RequiredSettings.IsUnresolvedKeyVaultReference(entry.value))
            .Select(entry => new DisabledFunction(
                entry.gate.Value,
                RequiredSettings.AppSettingName(entry.gate.Key),
                string.IsNullOrWhiteSpace(entry.value) ? Missing : Unresolved))
            .ToList(),
        RequiredSettings.PlatformSettings.Where(key => RequiredSettings.IsUnresolvedKeyVaultReference(configuration[key])).ToList());

    public DisabledFunction? Find(string function) =>
        Disabled.FirstOrDefault(disabled => string.Equals(disabled.Function, function, StringComparison.Ordinal));

    public bool IsEnabled(string function) => Find(function) is null;

    public HealthReport Report() => new(Disabled.Count == 0 ? "healthy" : "degraded", Disabled);

    /// <summary>One clear line per switched-off function and per unresolved platform setting, written before the app listens.</summary>
    public void LogAtStart(ILogger logger)
    {
        foreach (var disabled in Disabled)
        {
            LogSwitchedOff(logger, disabled.Function, disabled.Setting, disabled.Reason);
        }

        foreach (var setting in UnresolvedPlatformSettings)
        {
            LogPlatformSettingUnresolved(logger, setting);
        }
    }

    /// <summary>Answers 503 for every endpoint of a switched-off function, before its handler (or its services) are touched.</summary>
    public async Task GateAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<FunctionEndpoint>() is { } endpoint && Find(endpoint.Function) is { } disabled)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "This function is switched off.",
                detail: $"{disabled.Function} is off until the app setting {disabled.Setting} holds its value ({disabled.Reason}) and the app restarts.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Function} is switched off: app setting {Setting} is {Reason}. It answers 503 until the setting resolves and the app restarts; GET /api/health reports it.")]
    private static partial void LogSwitchedOff(ILogger logger, string function, string setting, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "App setting {Setting} is an unresolved Key Vault reference. The app does not read it and runs on; the platform's console sign-in fails until the secret resolves and the app restarts.")]
    private static partial void LogPlatformSettingUnresolved(ILogger logger, string setting);
}
