using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.RollUpInsights;

/// <summary>Timer (every 15 minutes): rolls the dashboard's figures up into one row. No outputs; a failed run is simply repeated next time.</summary>
public static class RollUpInsightsFunction
{
    public const string Name = "RollUpInsights";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var report = await services.GetRequiredService<Core.Insights.RollUpInsights>().HandleAsync(cancellationToken);
        return InvocationResponse.Empty().WithTimerNote(TimerInput.Read(request, "timer")).WithLog($"Insights rolled up: {report.Metrics} figures");
    });
}
