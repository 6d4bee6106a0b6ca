namespace AlumniNetwork.Core.Sends;

public enum SilenceVerdict
{
    /// <summary>Evidence may still come: ask again at the given time.</summary>
    Wait,

    /// <summary>The webhook accepted posts throughout and reported nothing: the request never reached the provider.</summary>
    NotArrived,

    /// <summary>SendGrid has stopped retrying and the webhook never showed it was accepting throughout: treated as sent.</summary>
    GiveUp,
}

/// <summary>
/// What the provider's silence about a request says (ADR 0024): it never arrived only if the event webhook demonstrably
/// accepted posts from before the request until a whole window after it. Otherwise its events may sit in SendGrid's
/// retries, so the request waits for them until SendGrid gives up retrying, and is then treated as sent, never repeated.
/// </summary>
/// <param name="Window">How long after a request its events normally arrive (<see cref="SendingOptions.OutcomeWindow"/>).</param>
/// <param name="Limit">How long SendGrid may still deliver them (<see cref="SendingOptions.SilenceLimit"/>).</param>
/// <param name="Gap">The longest time between accepted posts in which the webhook counts as accepting throughout.</param>
public sealed record SilenceRule(TimeSpan Window, TimeSpan Limit, TimeSpan Gap)
{
    /// <summary>How often one instance writes the heartbeat: often enough that a stretch never looks broken.</summary>
    public TimeSpan NoteEvery => Gap / 5;

    /// <param name="from">When the earliest of the requests in question was made.</param>
    /// <param name="until">When the latest was made.</param>
    /// <param name="run">The webhook's latest stretch of accepted posts.</param>
    public (SilenceVerdict Verdict, DateTimeOffset At) Judge(DateTimeOffset from, DateTimeOffset until, DateTimeOffset now, WebhookRun? run)
    {
        var evidenceDue = until + Window;
        if (now < evidenceDue)
        {
            return (SilenceVerdict.Wait, evidenceDue);
        }

        if (run is { } r && r.Since <= from && r.Through >= evidenceDue)
        {
            return (SilenceVerdict.NotArrived, now);
        }

        var limit = from + Limit;
        if (now >= limit)
        {
            return (SilenceVerdict.GiveUp, now);
        }

        // A stretch that began before the request and is still going may yet reach past the window: look again soon. Any
        // other can never cover the request (a new stretch starts after it): only SendGrid's retried events can settle it,
        // so look again once a window.
        var going = run is { } current && current.Since <= from && now - current.Through <= Gap;
        return (SilenceVerdict.Wait, Min(now + (going ? Gap : Window), limit));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
