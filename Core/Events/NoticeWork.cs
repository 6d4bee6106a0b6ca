using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// The notice work of one use case's write of an event (ADR 0021): <see cref="IntentWork"/> for the event's notices,
/// asked before the write and again after it lands. A second item is harmless: it sends only what is still pending and
/// the Sends ledger absorbs a mail already sent. One instance per call.
/// </summary>
internal sealed class NoticeWork(IWorkItemStore work, TimeProvider time)
{
    private readonly IntentWork intent = new(work, time);

    /// <summary>Work for the notices of the whole event (<paramref name="about"/> null) or of one person's answer.</summary>
    public Task EnsureAsync(string eventId, AlumnusId? about, CancellationToken cancellationToken) =>
        intent.EnsureAsync(WorkKinds.EventNotices, EventWork.Notices(eventId, time.GetUtcNow(), about).SubjectId, cancellationToken);

    /// <summary>Work for each of <paramref name="changed"/> that owes a notice.</summary>
    public async Task EnsureAsync(NetworkEvent e, IEnumerable<Rsvp> changed, CancellationToken cancellationToken)
    {
        foreach (var rsvp in changed.Where(r => r.NoticePending(e)))
        {
            await EnsureAsync(e.Id, rsvp.AlumnusId, cancellationToken);
        }
    }
}
