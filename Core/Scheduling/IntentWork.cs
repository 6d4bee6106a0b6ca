namespace AlumniNetwork.Core.Scheduling;

/// <summary>
/// Work that follows a write, written before it (intent first): a crash after the write leaves the work to do; a crash
/// before it leaves work whose handler re-reads the state and finds nothing to do. The work falls due
/// <see cref="WriteGrace"/> later, so it does not run before the write lands and find nothing. Asked again after the
/// write, it writes the work again when the first falls due within half the grace (the write was slow: that work may
/// have run already, found nothing and completed). A second item is harmless: its handler is idempotent. One instance
/// per use-case call.
/// </summary>
public sealed class IntentWork(IWorkItemStore work, TimeProvider time)
{
    /// <summary>How long after its work a write lands, at most; a writer that took longer writes the work again.</summary>
    public static readonly TimeSpan WriteGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longer than any call can take to make its write (the function timeout is five minutes): work that finds its write
    /// missing looks again until then, every <see cref="SaveRecheck"/>, before it concludes the write never happened.
    /// </summary>
    public static readonly TimeSpan SaveBound = TimeSpan.FromMinutes(10);

    /// <summary>How often work looks again for a write that may still be being made.</summary>
    public static readonly TimeSpan SaveRecheck = TimeSpan.FromMinutes(1);

    private readonly Dictionary<(string Kind, string SubjectId), DateTimeOffset> due = [];

    /// <summary>Writes the work, due <see cref="WriteGrace"/> from now, unless this instance wrote it and it is not about to fall due.</summary>
    public async Task EnsureAsync(string kind, string subjectId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (due.TryGetValue((kind, subjectId), out var at) && at > now + WriteGrace / 2)
        {
            return;
        }

        var item = new WorkItem { Kind = kind, SubjectId = subjectId, DueAt = now + WriteGrace };
        await work.ScheduleAsync(item, cancellationToken);
        due[(kind, subjectId)] = item.DueAt;
    }
}
