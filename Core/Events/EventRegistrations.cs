using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Events;

/// <summary>One RSVP as the alumnus's data export shows it.</summary>
public sealed record RegistrationExport(string EventId, string? Title, string Status, DateTimeOffset RespondedAt, bool? Attended);

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
            exported.Add(new RegistrationExport(r.EventId, e?.Details.Title.In(Locale.English), r.Status.ToString(), r.RespondedAt, r.Attended));
        }

        return exported;
    }

    /// <summary>Removes every RSVP of the alumnus; removing twice is harmless.</summary>
    public async Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        foreach (var rsvp in await events.RsvpsOfAsync(alumnusId, cancellationToken))
        {
            for (var attempt = 0; attempt < ManageEvents.MaxAttempts; attempt++)
            {
                var e = await events.GetAsync(rsvp.EventId, cancellationToken);
                var current = await events.GetRsvpAsync(rsvp.EventId, alumnusId, cancellationToken);
                if (e is null || current is null)
                {
                    break;
                }

                var waitlist = e.Waitlisted > 0 ? await events.WaitlistAsync(e.Id, cancellationToken) : [];
                var promoted = e.Remove(current, waitlist, ManageEvents.MaxPromotionsPerWrite, time.GetUtcNow());
                foreach (var p in promoted)
                {
                    await work.ScheduleAsync(EventWork.Notices(e.Id, time.GetUtcNow(), p.AlumnusId), cancellationToken);
                }

                if (await events.TrySaveAsync(e, promoted, cancellationToken, removed: current))
                {
                    break;
                }
            }
        }
    }
}
