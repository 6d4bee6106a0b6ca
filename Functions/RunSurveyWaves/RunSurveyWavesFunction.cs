using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.RunSurveyWaves;

/// <summary>
/// Timer (daily; by default 00:30 UTC, 09:30 in Tokyo): closes surveys whose time is up, starts each wave's reminder
/// when due, and starts the lifecycle waves due today, through the campaign engine. A failed run is finished by the next,
/// which catches up the days it missed.
/// </summary>
public static class RunSurveyWavesFunction
{
    public const string Name = "RunSurveyWaves";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var report = await services.GetRequiredService<Core.Surveys.RunSurveyWaves>().HandleAsync(cancellationToken);
        return InvocationResponse.Empty().WithTimerNote(TimerInput.Read(request, "timer"))
            .WithLog($"Survey waves: {report.WavesStarted} started, {report.RemindersStarted} reminders, {report.SurveysClosed} closed");
    });
}
