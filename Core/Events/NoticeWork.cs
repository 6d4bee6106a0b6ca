using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// The notice work of one use case's write of an event (ADR 0021). Written before the write (intent first), due
/// <see cref="EventWork.WriteGrace"/> later; asked again after the write lands, it writes the work again when that item
/// falls due within half the grace, as it may have run already, found nothing pending and completed. A second item is
/// harmless: it sends only what is still pending and the Sends ledger absorbs a mail already sent. One instance per call.
/// </summary>
internal sealed class NoticeWork(IWorkItemStore work, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> due = [];

    /// <summary>Work for the notices of the whole event (<paramref name="about"/> null) or of one person's answer.</summary>
    public async Task EnsureAsync(string eventId, AlumnusId? about, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var item = EventWork.Notices(eventId, now, about);
        if (due.TryGetValue(item.SubjectId, out var at) && at > now + EventWork.WriteGrace / 2)
        {
            return;
        }

        await work.ScheduleAsync(item, cancellationToken);
        due[item.SubjectId] = item.DueAt;
    }

    /// <summary>Work for each of <paramref name="changed"/> that owes a notice.</summary>
    public async Task EnsureAsync(NetworkEvent e, IEnumerable<Rsvp> changed, CancellationToken cancellationToken)
    {
        foreach (var rsvp in changed.Where(r => r.NoticePending(e)))
        {
            await EnsureAsync(e.Id, rsvp.AlumnusId, cancellationToken);
        }
    }
}
