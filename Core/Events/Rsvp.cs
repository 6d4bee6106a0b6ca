using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Events;

public enum RsvpStatus
{
    Attending,
    Waitlisted,
    Declined,
}

/// <summary>
/// One alumnus's answer to one event. <see cref="Version"/> rises on every change; the notice for a change is due while
/// <see cref="NoticedVersion"/> lags behind it, and the notice of an event change while <see cref="NoticedSequence"/>
/// lags behind the event's sequence. So a notice is never lost to a crash: it stays pending until sent.
/// </summary>
public sealed class Rsvp
{
    public required string EventId { get; init; }
    public required AlumnusId AlumnusId { get; init; }
    public RsvpStatus Status { get; internal set; }

    /// <summary>Order of arrival in the current status: the waitlist is served lowest first.</summary>
    public long Position { get; internal set; }

    /// <summary>The last change was a promotion from the waitlist (the notice says a seat became free).</summary>
    public bool Promoted { get; internal set; }

    public DateTimeOffset RespondedAt { get; internal set; }
    public int Version { get; internal set; }
    public int NoticedVersion { get; internal set; }
    public int NoticedSequence { get; internal set; }

    /// <summary>
    /// The alumnus's calendar may hold the event: a REQUEST was sent, or was about to be (recorded before it goes), and not
    /// cancelled since. So a later decline or cancellation always carries a CANCEL.
    /// </summary>
    public bool CalendarSent { get; internal set; }

    /// <summary>Set by an admin after the event: null until marked.</summary>
    public bool? Attended { get; internal set; }

    public string? ETag { get; set; }

    /// <summary>The calendar sequence this alumnus's copy of the event is at: rises with every change of the event or of the RSVP.</summary>
    public int CalendarSequence(NetworkEvent e) => e.Sequence + Version;

    public bool NoticePending(NetworkEvent e) =>
        Version > NoticedVersion || (Status != RsvpStatus.Declined && e.Sequence > NoticedSequence);

    internal static Rsvp New(string eventId, AlumnusId alumnusId) => new() { EventId = eventId, AlumnusId = alumnusId };

    internal void Become(RsvpStatus status, long position, bool promoted, DateTimeOffset now)
    {
        Status = status;
        Position = position;
        Promoted = promoted;
        RespondedAt = now;
        Version++;
    }

    /// <summary>Records that the notice for the current state has gone (or will never go: a suppressed address).</summary>
    public void MarkNoticed(NetworkEvent e, bool calendarSent)
    {
        NoticedVersion = Version;
        NoticedSequence = e.Sequence;
        CalendarSent = calendarSent;
    }

    public void MarkAttendance(bool attended) => Attended = attended;
}
