using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.ComposeNewsletter;

/// <summary>
/// Timer (monthly): composes this month's newsletter and starts its campaign, unless nothing is new. A failed run
/// waits for the next occurrence; the schedule is UTC (the host's), by default the first Monday of the month at
/// 01:00 UTC, which is 10:00 in Tokyo.
/// </summary>
public static class ComposeNewsletterFunction
{
    public const string Name = "ComposeNewsletter";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var outcome = await services.GetRequiredService<Core.Newsletters.ComposeNewsletter>().HandleAsync(cancellationToken);
        return InvocationResponse.Empty().WithTimerNote(TimerInput.Read(request, "timer")).WithLog($"Newsletter: {outcome}");
    });
}
