using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Events;

/// <summary>One RSVP as the alumnus's data export shows it: every field held about the person's answer (ADR 0014).</summary>
/// <param name="Position">Order of arrival in the current status (the waitlist is served lowest first).</param>
/// <param name="Promoted">The last change was a promotion from the waitlist.</param>
/// <param name="CalendarInviteSent">A calendar invitation was sent (or about to be) and not cancelled since.</param>
public sealed record RegistrationExport(
    string EventId, string? Title, string Status, DateTimeOffset RespondedAt, bool? Attended, long Position, bool Promoted, bool CalendarInviteSent);

/// <summary>
/// An alumnus's RSVPs for privacy requests: everything held, for the data export; and removal on erasure. Removing an
/// RSVP frees its seat (or place in line) in the same write, and the first in line gets the seat and is emailed.
/// </summary>
public sealed class EventRegistrations(IEventStore events, IWorkItemStore work, TimeProvider time)
{
    public async Task<IReadOnlyList<RegistrationExport>> ExportAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var rsvps = await events.RsvpsOfAsync(alumnusId, cancellationToken);
        var exported = new List<RegistrationExport>();
        foreach (var r in rsvps)
        {
            var e = await events.GetAsync(r.EventId, cancellationToken);
            exported.Add(new RegistrationExport(r.EventId, e?.Details.Title.In(Locale.English), r.Status.ToString(), r.RespondedAt, r.Attended,
                r.Position, r.Promoted, r.CalendarSent));
        }

        return exported;
    }

    /// <summary>
    /// Removes every RSVP of the alumnus; removing twice is harmless. Each removal meets the event's answers on its row, so
    /// a lost row waits a short jittered while and tries again, as an answer does (ADR 0021).
    /// </summary>
    /// <returns>False when an event stayed busy through every attempt: an RSVP is left, and the caller must not go on as if
    /// it were gone (the erasure keeps the record so that a retry finishes the job).</returns>
    public async Task<bool> RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        foreach (var rsvp in await events.RsvpsOfAsync(alumnusId, cancellationToken))
        {
            if (!await RemoveOneAsync(rsvp.EventId, alumnusId, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<bool> RemoveOneAsync(string eventId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var notices = new NoticeWork(work, time);
        for (var attempt = 0; attempt < RespondToEvent.MaxAttempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(RespondToEvent.Backoff(attempt), time, cancellationToken);
            }

            var e = await events.GetAsync(eventId, cancellationToken);
            var current = await events.GetRsvpAsync(eventId, alumnusId, cancellationToken);
            if (e is null || current is null)
            {
                return true;
            }

            var waitlist = e.Waitlisted > 0 ? await events.WaitlistAsync(e.Id, cancellationToken) : [];
            var promoted = e.Remove(current, waitlist, ManageEvents.MaxPromotionsPerWrite, time.GetUtcNow());
            await notices.EnsureAsync(e, promoted, cancellationToken);
            if (await events.TrySaveAsync(e, promoted, cancellationToken, removed: current))
            {
                // Written later than the work it announced: that may have run already and found nothing.
                await notices.EnsureAsync(e, promoted, cancellationToken);
                return true;
            }
        }

        return false;
    }
}
