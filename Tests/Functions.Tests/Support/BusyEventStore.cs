using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real store, except that while <see cref="Busy"/> every seat write loses its row to another writer, and that
/// <see cref="BeforeNextRsvpWrite"/> runs once just before the next RSVP bookkeeping write (another writer in between).
/// </summary>
internal sealed class BusyEventStore(IEventStore inner) : IEventStore
{
    private Func<Rsvp, Task>? beforeNextRsvpWrite;

    public bool Busy { get; set; }

    /// <summary>Taken by the next <see cref="TryUpdateRsvpAsync"/>, so writes it makes itself go straight through.</summary>
    public Func<Rsvp, Task>? BeforeNextRsvpWrite
    {
        get => Volatile.Read(ref beforeNextRsvpWrite);
        set => Volatile.Write(ref beforeNextRsvpWrite, value);
    }

    /// <summary>When set, that many more saves go through and every later one is refused, as when only a later event is busy.</summary>
    public int? SavesBeforeBusy { get; set; }

    private Func<Task>? beforeNextSave;

    /// <summary>Taken by the next <see cref="TrySaveAsync"/> and run just before it: another writer commits in between.</summary>
    public Func<Task>? BeforeNextSave
    {
        get => Volatile.Read(ref beforeNextSave);
        set => Volatile.Write(ref beforeNextSave, value);
    }

    public async Task<bool> TrySaveAsync(NetworkEvent networkEvent, IReadOnlyCollection<Rsvp> rsvps, CancellationToken cancellationToken, Rsvp? removed = null)
    {
        if (Interlocked.Exchange(ref beforeNextSave, null) is { } before)
        {
            await before();
        }

        return await SaveAsync(networkEvent, rsvps, removed, cancellationToken);
    }

    private Task<bool> SaveAsync(NetworkEvent networkEvent, IReadOnlyCollection<Rsvp> rsvps, Rsvp? removed, CancellationToken cancellationToken)
    {
        if (SavesBeforeBusy is { } left)
        {
            if (left == 0)
            {
                return Task.FromResult(false);
            }

            SavesBeforeBusy = left - 1;
        }

        return Busy ? Task.FromResult(false) : inner.TrySaveAsync(networkEvent, rsvps, cancellationToken, removed);
    }

    public Task<NetworkEvent?> GetAsync(string eventId, CancellationToken cancellationToken) => inner.GetAsync(eventId, cancellationToken);

    public Task<bool> TryAddAsync(NetworkEvent networkEvent, CancellationToken cancellationToken) => inner.TryAddAsync(networkEvent, cancellationToken);

    public Task<Rsvp?> GetRsvpAsync(string eventId, AlumnusId alumnusId, CancellationToken cancellationToken) => inner.GetRsvpAsync(eventId, alumnusId, cancellationToken);

    public Task<IReadOnlyList<Rsvp>> RsvpsAsync(string eventId, CancellationToken cancellationToken) => inner.RsvpsAsync(eventId, cancellationToken);

    public Task<IReadOnlyList<Rsvp>> WaitlistAsync(string eventId, CancellationToken cancellationToken) => inner.WaitlistAsync(eventId, cancellationToken);

    public async Task<bool> TryUpdateRsvpAsync(Rsvp rsvp, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref beforeNextRsvpWrite, null) is { } before)
        {
            await before(rsvp);
        }

        return await inner.TryUpdateRsvpAsync(rsvp, cancellationToken);
    }

    public Task<IReadOnlyList<Rsvp>> RsvpsOfAsync(AlumnusId alumnusId, CancellationToken cancellationToken) => inner.RsvpsOfAsync(alumnusId, cancellationToken);

    public Task<IReadOnlyList<NetworkEvent>> UpcomingAsync(DateTimeOffset from, CancellationToken cancellationToken) => inner.UpcomingAsync(from, cancellationToken);

    public Task<IReadOnlyList<NetworkEvent>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
}
