using OpenTelemetry;

namespace AlumniNetwork.Functions.Hosting.Telemetry;

/// <summary>
/// Runs an endpoint with OpenTelemetry's instrumentation suppressed: no span (storage, HTTP) and no log record of the
/// app's own is exported while it runs, only the request span around it and ASP.NET Core's request logs, which carry
/// no token and no answer (<see cref="TelemetryRedaction"/>). For the anonymous survey's answer route (ADR 0025): the
/// Azure SDK's spans name the rows they read, so one trace would hold the person's Alumni row beside their guard and
/// their response, a link from the person to their answers in the telemetry store.
/// </summary>
public sealed class Untraced : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // The scope lives in an AsyncLocal: it covers every await below and ends with this call.
        using var suppressed = SuppressInstrumentationScope.Begin();
        return await next(context);
    }
}

public static class UntracedExtensions
{
    /// <summary>Exports nothing the endpoint's own work would record (see <see cref="Untraced"/>).</summary>
    public static RouteHandlerBuilder Untraced(this RouteHandlerBuilder endpoint) => endpoint.AddEndpointFilter<Untraced>();
}
