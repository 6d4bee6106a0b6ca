using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Events;

public enum EventKind
{
    LectureSeries,
    Networking,
    Seminar,
    Reunion,

    /// <summary>Alumni meet current employees.</summary>
    EmployeeMeetup,
}

public enum EventStatus
{
    /// <summary>Being prepared; nobody has been told about it.</summary>
    Draft,

    /// <summary>Invitations are going out; alumni can register.</summary>
    Published,

    /// <summary>Called off; attendees and the waitlist were told, with a cancelling calendar entry.</summary>
    Cancelled,
}

public enum HostRole
{
    Employee,
    Alumnus,
}

/// <summary>A speaker or host: a current employee or an alumnus.</summary>
public sealed record EventHost(string Name, HostRole Role, string? Title);

public sealed record LocalizedText(string Japanese, string English)
{
    public string In(Locale locale) => locale == Locale.Japanese ? Japanese : English;
}

/// <summary>What an admin decides about an event. Instants are exact; <see cref="TimeZone"/> is how they are shown.</summary>
/// <param name="OnlineUrl">Shown only to registered attendees (their confirmation, calendar entry and RSVP page).</param>
public sealed record EventDetails(
    LocalizedText Title,
    LocalizedText Description,
    EventKind Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    string? Venue,
    Uri? OnlineUrl,
    int Capacity,
    DateTimeOffset RegistrationDeadline,
    IReadOnlyList<EventHost> Hosts,
    AudienceSegment Audience)
{
    /// <summary>Whether attendees must be told: what their calendar entry or the notice shows changed (capacity and audience do not).</summary>
    /// <remarks>The online link is compared as stored (<see cref="Uri.AbsoluteUri"/>): <see cref="Uri"/> equality ignores the
    /// fragment, which may carry the meeting's password (<c>#pwd=…</c>). Texts are compared with their line breaks as LF
    /// (<see cref="FreeText.NormaliseLineBreaks"/>): events stored before drafts were normalised may hold CRLF.</remarks>
    public bool DiffersForAttendees(EventDetails other) =>
        Title != other.Title || !SameText(Description.Japanese, other.Description.Japanese) ||
        !SameText(Description.English, other.Description.English) || Kind != other.Kind || StartsAt != other.StartsAt ||
        EndsAt != other.EndsAt || TimeZone != other.TimeZone || !SameText(Venue, other.Venue) ||
        !string.Equals(OnlineUrl?.AbsoluteUri, other.OnlineUrl?.AbsoluteUri, StringComparison.Ordinal) ||
        RegistrationDeadline != other.RegistrationDeadline || !Hosts.SequenceEqual(other.Hosts);

    private static bool SameText(string? a, string? b) =>
        a is null || b is null ? a == b : string.Equals(FreeText.NormaliseLineBreaks(a), FreeText.NormaliseLineBreaks(b), StringComparison.Ordinal);

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
}

public enum Registration
{
    Open,
    NotPublished,
    Cancelled,

    /// <summary>The registration deadline (or the start) has passed.</summary>
    Closed,
}

/// <summary>What an RSVP came to.</summary>
public enum RsvpOutcome
{
    Attending,
    Waitlisted,
    Declined,

    /// <summary>The same answer again (a double click): nothing changed.</summary>
    Unchanged,
}

/// <param name="Changed">The RSVP rows to write, with the event, in one transaction.</param>
public sealed record RsvpChange(RsvpOutcome Outcome, IReadOnlyList<Rsvp> Changed);

/// <summary>
/// An event with its seat accounting. The counters live on the event so that one conditional write of the event (and
/// the RSVPs it changes, in the same transaction) decides who gets the last seat: two RSVPs for one seat cannot both
/// attend. Every change of an RSVP bumps its version; a pending version is a notice still to be sent.
/// </summary>
public sealed class NetworkEvent
{
    public required string Id { get; init; }
    public required EventDetails Details { get; set; }
    public EventStatus Status { get; internal set; }

    /// <summary>Calendar sequence of the event: raised on every change attendees must hear of, and on cancellation.</summary>
    public int Sequence { get; internal set; }

    public int Attending { get; internal set; }
    public int Waitlisted { get; internal set; }

    /// <summary>Next place in line; the waitlist is served in this order (first come, first served).</summary>
    public long NextPosition { get; internal set; } = 1;

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The admin's subject id; no personal data.</summary>
    public required string CreatedBy { get; init; }

    public DateTimeOffset UpdatedAt { get; internal set; }
    public DateTimeOffset? PublishedAt { get; internal set; }

    /// <summary>The subject id of the admin who published it, for the invitation campaign its publication work starts.</summary>
    public string? PublishedBy { get; internal set; }

    public DateTimeOffset? CancelledAt { get; internal set; }
    public string? ETag { get; set; }

    /// <summary>The keyed hash of the body that created it under an idempotency key (ADR 0037); null without one.</summary>
    public string? CreateHash { get; init; }

    public string InvitationCampaignId => $"event-{Id}-invitation";

    /// <summary>What RSVP links are bound to: a link for one event never works for another.</summary>
    public string LinkScope => ScopeOf(Id);

    public static string ScopeOf(string eventId) => $"event-{eventId}";

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static bool IsId(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    /// <summary>The event id a link scope names, or null.</summary>
    public static string? FromScope(string? scope) =>
        scope is { Length: 38 } && scope.StartsWith("event-", StringComparison.Ordinal) && IsId(scope[6..]) ? scope[6..] : null;

    /// <summary>
    /// Seats are free while people wait: a write left the waitlist unserved (a capacity increase larger than one write
    /// promotes, cut short by a crash). Never true after a write that promotes: any write that finds it fills the seats
    /// (until the event starts, when nobody is promoted any more).
    /// </summary>
    public bool OwesPromotions => Status == EventStatus.Published && Attending < Details.Capacity && Waitlisted > 0;

    /// <summary>From its start on, the event can no longer be cancelled: attendees would be told an event under way or over was called off.</summary>
    public bool HasStarted(DateTimeOffset now) => now >= Details.StartsAt;

    /// <summary>From its end on, the event can no longer change at all.</summary>
    public bool HasEnded(DateTimeOffset now) => now >= Details.EndsAt;

    public Registration RegistrationAt(DateTimeOffset now) => Status switch
    {
        EventStatus.Draft => Registration.NotPublished,
        EventStatus.Cancelled => Registration.Cancelled,
        _ when now >= Details.RegistrationDeadline || now >= Details.StartsAt => Registration.Closed,
        _ => Registration.Open,
    };

    /// <summary>
    /// Whether the holder of <paramref name="rsvp"/> may answer now: anyone while registration is open; after the deadline,
    /// until the start, only someone holding a seat or a place in line, and only to give it up (the seat goes to the
    /// waitlist as usual). A seat nobody will use should not stay taken for want of a way to say so.
    /// </summary>
    public bool TakesAnswer(RsvpChoice choice, Rsvp? rsvp, DateTimeOffset now) => RegistrationAt(now) switch
    {
        Registration.Open => true,
        Registration.Closed => choice == RsvpChoice.Decline && TakesWithdrawalFrom(rsvp, now),
        _ => false,
    };

    /// <summary>After the deadline and until the start, a seat or a place in line can still be given up (<see cref="TakesAnswer"/>).</summary>
    public bool TakesWithdrawalFrom(Rsvp? rsvp, DateTimeOffset now) =>
        Status == EventStatus.Published && !HasStarted(now) && rsvp?.Status is RsvpStatus.Attending or RsvpStatus.Waitlisted;

    /// <returns>False when it was published (or cancelled) before: publishing again changes nothing.</returns>
    public bool Publish(DateTimeOffset now)
    {
        if (Status != EventStatus.Draft)
        {
            return false;
        }

        Status = EventStatus.Published;
        PublishedAt = now;
        UpdatedAt = now;
        return true;
    }

    /// <returns>False when it was cancelled before.</returns>
    public bool Cancel(DateTimeOffset now)
    {
        if (Status == EventStatus.Cancelled)
        {
            return false;
        }

        Status = EventStatus.Cancelled;
        Sequence++;
        CancelledAt = now;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Replaces the details; a published event whose attendees see a difference gets a new calendar sequence.</summary>
    /// <returns>True when attendees and the waitlist must be told.</returns>
    public bool Update(EventDetails details, DateTimeOffset now)
    {
        var notify = Status == EventStatus.Published && Details.DiffersForAttendees(details);
        Details = details;
        UpdatedAt = now;
        if (notify)
        {
            Sequence++;
        }

        return notify;
    }

    /// <param name="current">The alumnus's RSVP so far, or null.</param>
    public RsvpChange Attend(Rsvp? current, AlumnusId alumnusId, DateTimeOffset now)
    {
        if (current?.Status is RsvpStatus.Attending or RsvpStatus.Waitlisted)
        {
            return new RsvpChange(RsvpOutcome.Unchanged, []);
        }

        var rsvp = current ?? Rsvp.New(Id, alumnusId);

        // A free seat goes to a newcomer only when nobody is waiting for it: first come, first served.
        if (Attending < Details.Capacity && Waitlisted == 0)
        {
            Attending++;
            rsvp.Become(RsvpStatus.Attending, NextPosition++, promoted: false, now);
            return new RsvpChange(RsvpOutcome.Attending, [rsvp]);
        }

        Waitlisted++;
        rsvp.Become(RsvpStatus.Waitlisted, NextPosition++, promoted: false, now);
        return new RsvpChange(RsvpOutcome.Waitlisted, [rsvp]);
    }

    /// <param name="waitlistHead">The first in line, promoted when this frees a seat.</param>
    public RsvpChange Decline(Rsvp? current, AlumnusId alumnusId, Rsvp? waitlistHead, DateTimeOffset now)
    {
        if (current?.Status == RsvpStatus.Declined)
        {
            return new RsvpChange(RsvpOutcome.Unchanged, []);
        }

        if (current is null)
        {
            // Never registered: recorded so the invitation's "decline" is remembered, but there is nothing to confirm.
            var declined = Rsvp.New(Id, alumnusId);
            declined.Become(RsvpStatus.Declined, 0, promoted: false, now);
            declined.NoticedVersion = declined.Version;
            return new RsvpChange(RsvpOutcome.Declined, [declined]);
        }

        var freed = Leave(current);
        current.Become(RsvpStatus.Declined, current.Position, promoted: false, now);
        return new RsvpChange(RsvpOutcome.Declined, freed && waitlistHead is not null ? [current, Promote(waitlistHead, now)] : [current]);
    }

    /// <summary>An RSVP that disappears (its alumnus was erased): frees the seat or the place in line, and fills free seats.</summary>
    /// <param name="waitlist">The waitlisted RSVPs in any order (may include the one removed).</param>
    /// <returns>The RSVPs promoted, to write with the event.</returns>
    public IReadOnlyList<Rsvp> Remove(Rsvp rsvp, IEnumerable<Rsvp> waitlist, int maxPromotions, DateTimeOffset now)
    {
        Leave(rsvp);
        return PromoteFromWaitlist(waitlist.Where(r => r.AlumnusId != rsvp.AlumnusId), maxPromotions, now);
    }

    /// <summary>
    /// Fills free seats from the waitlist, first in line first (after a capacity increase, or seats a write left free).
    /// Nobody once the event has started: a seat freed later (an erasure after the event) would send "a seat became free"
    /// and a calendar entry for an event that is over, and count a no-show among the attendees.
    /// </summary>
    /// <param name="waitlist">Waitlisted RSVPs in any order.</param>
    public IReadOnlyList<Rsvp> PromoteFromWaitlist(IEnumerable<Rsvp> waitlist, int max, DateTimeOffset now) =>
        Status != EventStatus.Published || now >= Details.StartsAt ? [] : waitlist.Where(r => r.Status == RsvpStatus.Waitlisted).OrderBy(r => r.Position)
            .Take(Math.Max(0, Math.Min(max, Details.Capacity - Attending)))
            .Select(r => Promote(r, now))
            .ToArray();

    private Rsvp Promote(Rsvp waitlisted, DateTimeOffset now)
    {
        Waitlisted--;
        Attending++;
        waitlisted.Become(RsvpStatus.Attending, NextPosition++, promoted: true, now);
        return waitlisted;
    }

    /// <returns>True when a seat was freed.</returns>
    private bool Leave(Rsvp rsvp)
    {
        switch (rsvp.Status)
        {
            case RsvpStatus.Attending:
                Attending--;
                return true;
            case RsvpStatus.Waitlisted:
                Waitlisted--;
                return false;
            default:
                return false;
        }
    }
}
