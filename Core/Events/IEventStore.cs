using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Events;

/// <summary>Events and their RSVPs; an event and its RSVPs share a partition so seat changes commit together.</summary>
public interface IEventStore
{
    Task<NetworkEvent?> GetAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Inserts the event; false when one with its id exists (a keyed create's repeat, ADR 0037).</summary>
    Task<bool> TryAddAsync(NetworkEvent networkEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the event and the given RSVPs, and deletes <paramref name="removed"/>, in one transaction; each only if
    /// unchanged since read (ETags; an RSVP without one must not exist yet).
    /// </summary>
    /// <returns>False when anything changed since it was read: nothing was written.</returns>
    Task<bool> TrySaveAsync(NetworkEvent networkEvent, IReadOnlyCollection<Rsvp> rsvps, CancellationToken cancellationToken, Rsvp? removed = null);

    Task<Rsvp?> GetRsvpAsync(string eventId, AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Every RSVP of the event (at most its capacity plus its waitlist and declines: one or a few pages).</summary>
    Task<IReadOnlyList<Rsvp>> RsvpsAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>The waitlisted RSVPs of the event.</summary>
    Task<IReadOnlyList<Rsvp>> WaitlistAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Writes bookkeeping of one RSVP (notice sent, attendance) if unchanged since read; false when it changed.</summary>
    Task<bool> TryUpdateRsvpAsync(Rsvp rsvp, CancellationToken cancellationToken);

    /// <summary>Every RSVP of the alumnus, across events (data export and erasure; reads the whole table, not for hot paths).</summary>
    Task<IReadOnlyList<Rsvp>> RsvpsOfAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Published events starting at or after <paramref name="from"/> (newsletters); a scan of event rows.</summary>
    Task<IReadOnlyList<NetworkEvent>> UpcomingAsync(DateTimeOffset from, CancellationToken cancellationToken);

    /// <summary>Every event in any status, latest start first (the console's list, attendance figures); a scan of event rows.</summary>
    Task<IReadOnlyList<NetworkEvent>> ListAsync(CancellationToken cancellationToken);
}
