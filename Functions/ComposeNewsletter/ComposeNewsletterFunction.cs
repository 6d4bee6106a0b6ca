using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.ComposeNewsletter;

/// <summary>
/// Timer (a tick every five minutes, fixed in function.json): Core decides whether the month's newsletter is due by
/// <c>NewsletterSchedule</c> in the company's time zone (by default the first Monday of the month, 10:00), composes it
/// and starts its campaign, unless nothing is new. A failed tick is finished by the next one (ADR 0034).
/// </summary>
public static class ComposeNewsletterFunction
{
    public const string Name = "ComposeNewsletter";

    // No past-due note: the tick has no monitor (useMonitor false), and catching up on a missed month is Core's rule.
    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (_, services, cancellationToken) =>
    {
        var outcome = await services.GetRequiredService<Core.Newsletters.ComposeNewsletter>().HandleAsync(cancellationToken);
        return InvocationResponse.Empty().WithLog($"Newsletter: {outcome}");
    });
}
