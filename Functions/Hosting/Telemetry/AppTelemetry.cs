using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AlumniNetwork.Functions.Hosting.Telemetry;

/// <summary>
/// The app's own telemetry through OpenTelemetry: request spans, dependency spans (Table Storage and the queues
/// through the Azure SDK's activity sources, SendGrid through HttpClient), the app's meters (<c>AlumniNetwork.*</c>)
/// and its logs, each carrying the invocation id and none carrying a link token or function key. With
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> set (infra/ sets it) all of it goes to Application Insights through
/// the Azure Monitor exporter, authenticated with the app's managed identity when
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> asks for Entra auth; without it nothing leaves the process.
/// </summary>
public static class AppTelemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Optional exporter settings (<c>AzureMonitor__TracesPerSecond</c>, <c>AzureMonitor__EnableLiveMetrics</c>, …).</summary>
    public const string SectionName = "AzureMonitor";

    public const string MeterPrefix = "AlumniNetwork.*";

    public static void AddAppTelemetry(this WebApplicationBuilder builder)
    {
        // The Azure SDK only emits its spans (one per storage call) when this switch is on.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var configuration = builder.Configuration;
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<InvocationContext>();
        // Processors run in the order added, and exporters are added after these: nothing is exported unscrubbed.
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["WEBSITE_SITE_NAME"] ?? builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                .AddProcessor<InvocationContext.SpanProcessor>()
                .AddProcessor<TelemetryRedaction.SpanProcessor>()
                .AddSource("Azure.*")
                .AddAspNetCoreInstrumentation()
                // The Azure SDK's own span already describes its HTTP call; a second one beneath it would only repeat it.
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = _ => Activity.Current?.Parent?.Source.Name != "Azure.Core.Http"))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterPrefix)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging(logging => logging
                .AddProcessor<InvocationContext.LogProcessor>()
                .AddProcessor<TelemetryRedaction.LogProcessor>());

        if (configuration[ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            builder.Services.Configure<AzureMonitorExporterOptions>(configuration.GetSection(SectionName));
            telemetry.UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = connectionString;
                exporter.Credential = EntraCredential(configuration[AuthenticationStringSetting]);
            });
        }
    }

    /// <summary>
    /// The credential the Application Insights component demands (infra/ turns local auth off), from the same setting
    /// the Functions host reads: <c>ClientId=&lt;id&gt;;Authorization=AAD</c>. Null when it does not ask for Entra auth.
    /// </summary>
    internal static ManagedIdentityCredential? EntraCredential(string? authenticationString)
    {
        var parts = (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!string.Equals(parts.GetValueOrDefault("Authorization"), "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.GetValueOrDefault("ClientId") is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
