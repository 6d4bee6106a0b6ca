using AlumniNetwork.Functions.Hosting.Configuration;

namespace AlumniNetwork.Functions.Health;

/// <summary>
/// Anonymous health signal for operators and scripts/smoke.sh: answering at all means the handler started with every
/// required setting; the body says which functions are switched off and why (names and reasons, never values).
/// </summary>
public static class HealthFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/health", (HttpResponse response, FunctionAvailability availability) =>
    {
        response.Headers.CacheControl = "no-store";
        return Results.Ok(availability.Report());
    });
}
