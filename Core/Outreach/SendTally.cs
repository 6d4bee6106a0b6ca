namespace AlumniNetwork.Core.Outreach;

/// <summary>Counts the outcomes of sends made in parallel (a fan-out of one-to-one mails).</summary>
public sealed class SendTally
{
    private readonly Lock gate = new();
    private int sent;
    private int alreadySent;
    private int refused;
    private int deferred;
    private DateTimeOffset? retryAt;

    public int Sent => sent;
    public int AlreadySent => alreadySent;
    public int Refused => refused;

    /// <summary>Sends not finished: their outcome is awaited, another sender holds them, or the provider was unavailable.</summary>
    public int Deferred => deferred;

    /// <summary>The earliest time a deferred send may be asked again.</summary>
    public DateTimeOffset? RetryAt
    {
        get
        {
            lock (gate)
            {
                return retryAt;
            }
        }
    }

    public void Add(SendOutcome outcome)
    {
        _ = outcome.Status switch
        {
            SendStatus.Sent => Interlocked.Increment(ref sent),
            SendStatus.AlreadySent => Interlocked.Increment(ref alreadySent),
            SendStatus.Deferred => Defer(outcome.RetryAt),
            _ => Interlocked.Increment(ref refused),
        };
    }

    private int Defer(DateTimeOffset? at)
    {
        lock (gate)
        {
            retryAt = at is { } next && (retryAt is null || next < retryAt) ? next : retryAt;
        }

        return Interlocked.Increment(ref deferred);
    }
}
