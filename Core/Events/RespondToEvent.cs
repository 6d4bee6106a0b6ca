using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Events;

public enum RsvpChoice
{
    Attend,
    Decline,
}

public enum RsvpPageStatus
{
    /// <summary>The page shows the event and the alumnus's answer so far.</summary>
    Show,

    /// <summary>The answer was recorded (<see cref="RsvpView.Outcome"/> says what it came to).</summary>
    Recorded,

    /// <summary>Registration has closed (deadline or start passed) for this answer: nothing was changed.</summary>
    Closed,
    Cancelled,

    /// <summary>No such event, or not published: the link is not for a real invitation.</summary>
    NotFound,

    /// <summary>Too many simultaneous answers for this event; nothing was changed, the alumnus may try again.</summary>
    Busy,

    Expired,
    Gone,
    Invalid,
}

/// <param name="WaitlistPlace">1 for the first in line, when waitlisted.</param>
/// <param name="WithdrawOnly">Registration has closed but the event has not started: the only answer left is giving up a
/// seat or a place in line (<see cref="NetworkEvent.TakesAnswer"/>), offered while the alumnus holds one.</param>
public sealed record RsvpView(RsvpPageStatus Status, Alumnus? Alumnus, NetworkEvent? Event = null, Rsvp? Rsvp = null,
    RsvpOutcome? Outcome = null, int? WaitlistPlace = null, bool WithdrawOnly = false)
{
    /// <summary>Whether the page offers a form: both answers while registration is open, "decline / leave" to a holder after the deadline.</summary>
    public bool OffersForm => WithdrawOnly
        ? Rsvp?.Status is RsvpStatus.Attending or RsvpStatus.Waitlisted
        : Status is RsvpPageStatus.Show or RsvpPageStatus.Recorded or RsvpPageStatus.Busy;

    /// <summary>Registered attendees, and only they, see the online link.</summary>
    public bool RevealsOnlineUrl => Rsvp?.Status == RsvpStatus.Attending && Event?.Status == EventStatus.Published;
}

/// <summary>
/// The RSVP page behind the signed link of an invitation: attend, decline, or change until the registration deadline;
/// after it, until the start, a seat or a place in line can still be given up (<see cref="NetworkEvent.TakesAnswer"/>).
/// A full event puts the alumnus on the waitlist; a freed seat goes to the first in line in the same transaction. The
/// event row carries the seat counters, so the write of the event (ETag) and the RSVPs it changes is all or nothing:
/// of two answers racing for the last seat, one attends and the other, retried, is waitlisted. The notice work is
/// scheduled before the write, so the confirmation (or the promotion's email) cannot be lost to a crash. An answer written
/// as the alumnus's erasure began is taken back and answered as erased (<see cref="Privacy.ErasureRecheck"/>).
/// </summary>
public sealed partial class RespondToEvent(
    SignedLinkAccess links, IEventStore events, IWorkItemStore work, Storage.RowTurns turns, EventRegistrations registrations,
    Privacy.ErasureRecheck erasure, TimeProvider time, ILogger<RespondToEvent> logger)
{
    /// <summary>
    /// Answers to one event meet on its row (seats in one partition, ADR 0021). In this instance they take turns; an
    /// attempt that loses the row to another instance waits a short random while and tries again, so a burst right after
    /// the invitations go out is served in turn rather than refused.
    /// </summary>
    public const int MaxAttempts = 20;

    /// <summary>A short random wait before attempt <paramref name="attempt"/> at an event row another writer took (up to 160 ms).</summary>
    internal static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 << Math.Min(attempt, 4)));

    public async Task<RsvpView> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var (view, e) = await OpenAsync(token, cancellationToken);
        if (e is null)
        {
            return view;
        }

        var rsvp = await events.GetRsvpAsync(e.Id, view.Alumnus!.Id, cancellationToken);
        var now = time.GetUtcNow();
        var status = e.RegistrationAt(now) switch
        {
            Registration.Cancelled => RsvpPageStatus.Cancelled,
            Registration.Closed => RsvpPageStatus.Closed,
            _ => RsvpPageStatus.Show,
        };
        return await WithPlaceAsync(new RsvpView(status, view.Alumnus, e, rsvp, WithdrawOnly: status == RsvpPageStatus.Closed && e.TakesWithdrawalFrom(rsvp, now)), cancellationToken);
    }

    public async Task<RsvpView> RespondAsync(string? token, RsvpChoice choice, CancellationToken cancellationToken)
    {
        var (view, opened) = await OpenAsync(token, cancellationToken);
        if (opened is null)
        {
            return view;
        }

        var alumnus = view.Alumnus!;
        using var turn = await turns.TakeAsync(opened.Id, cancellationToken);
        var notices = new NoticeWork(work, time);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(Backoff(attempt), time, cancellationToken);
            }

            // Read inside the turn: the row as the previous answer in this instance left it.
            if (await events.GetAsync(opened.Id, cancellationToken) is not { } e)
            {
                return new RsvpView(RsvpPageStatus.NotFound, alumnus);
            }

            var now = time.GetUtcNow();
            var current = await events.GetRsvpAsync(opened.Id, alumnus.Id, cancellationToken);
            switch (e.RegistrationAt(now))
            {
                case Registration.Cancelled:
                    return await WithPlaceAsync(new RsvpView(RsvpPageStatus.Cancelled, alumnus, e, current), cancellationToken);
                case Registration.Closed when !e.TakesAnswer(choice, current, now):
                    return await WithPlaceAsync(new RsvpView(RsvpPageStatus.Closed, alumnus, e, current, WithdrawOnly: e.TakesWithdrawalFrom(current, now)), cancellationToken);
            }

            var withdrawOnly = e.RegistrationAt(now) == Registration.Closed;

            var waitlist = e.Waitlisted > 0 && (e.OwesPromotions || (choice == RsvpChoice.Decline && current?.Status == RsvpStatus.Attending))
                ? await events.WaitlistAsync(e.Id, cancellationToken)
                : [];
            // The alumnus's own row as one object, whether the promotions below or the answer change it.
            current = current?.Status == RsvpStatus.Waitlisted ? waitlist.FirstOrDefault(r => r.AlumnusId == alumnus.Id) ?? current : current;

            // Seats an earlier write left free while people wait go to them first, in order, before any answer is decided.
            var promoted = e.PromoteFromWaitlist(waitlist, ManageEvents.MaxPromotionsPerWrite, now);
            var head = choice == RsvpChoice.Decline && current?.Status == RsvpStatus.Attending
                ? waitlist.Where(r => r.Status == RsvpStatus.Waitlisted).MinBy(r => r.Position)
                : null;
            var change = choice == RsvpChoice.Attend ? e.Attend(current, alumnus.Id, now) : e.Decline(current, alumnus.Id, head, now);
            var outcome = change.Outcome == RsvpOutcome.Unchanged && current is not null && promoted.Contains(current) ? RsvpOutcome.Attending : change.Outcome;
            Rsvp[] changed = [.. change.Changed.Concat(promoted).Distinct()];
            if (changed.Length == 0)
            {
                return await WithPlaceAsync(new RsvpView(RsvpPageStatus.Recorded, alumnus, e, current, RsvpOutcome.Unchanged, WithdrawOnly: withdrawOnly), cancellationToken);
            }

            // Once per person while the row is lost quickly: the work item finds whatever notice is pending when it runs.
            // Again when the one written is about to fall due, so it never runs before the answer lands.
            await notices.EnsureAsync(e, changed, cancellationToken);
            if (await events.TrySaveAsync(e, changed, cancellationToken))
            {
                // Written later than the work it announced: that may have run already and found nothing.
                await notices.EnsureAsync(e, changed, cancellationToken);
                if (!await erasure.WriteStandsAsync(alumnus.Id, ct => Privacy.TakeBackWrites.RemoveRsvpsAsync(registrations, alumnus.Id, ct), cancellationToken))
                {
                    return new RsvpView(RsvpPageStatus.Gone, null);
                }

                LogResponded(e.Id, outcome, attempt);
                var mine = changed.FirstOrDefault(r => r.AlumnusId == alumnus.Id) ?? current;
                return await WithPlaceAsync(new RsvpView(RsvpPageStatus.Recorded, alumnus, e, mine, outcome, WithdrawOnly: withdrawOnly), cancellationToken);
            }
        }

        LogBusy(opened.Id);

        // The answer as stored, read again: the attempts above changed their copies in memory before losing the row.
        var stored = await events.GetRsvpAsync(opened.Id, alumnus.Id, cancellationToken);
        var closed = opened.RegistrationAt(time.GetUtcNow()) == Registration.Closed;
        return await WithPlaceAsync(new RsvpView(RsvpPageStatus.Busy, alumnus, opened, stored, WithdrawOnly: closed && opened.TakesWithdrawalFrom(stored, time.GetUtcNow())), cancellationToken);
    }

    /// <returns>The page for a link that opens no event, or the event it opens (then the view carries the alumnus).</returns>
    private async Task<(RsvpView View, NetworkEvent? Event)> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Rsvp, cancellationToken);
        switch (access.Status)
        {
            case LinkAccessStatus.Expired:
                return (new RsvpView(RsvpPageStatus.Expired, access.Alumnus), null);
            case LinkAccessStatus.Gone:
                return (new RsvpView(RsvpPageStatus.Gone, null), null);
            case LinkAccessStatus.Invalid:
                return (new RsvpView(RsvpPageStatus.Invalid, null), null);
        }

        // A genuine RSVP link always names its event; one without is not an RSVP link we issued.
        if (NetworkEvent.FromScope(access.Scope) is not { } eventId)
        {
            return (new RsvpView(RsvpPageStatus.Invalid, null), null);
        }

        var e = await events.GetAsync(eventId, cancellationToken);
        return e is null || e.Status == EventStatus.Draft
            ? (new RsvpView(RsvpPageStatus.NotFound, access.Alumnus), null)
            : (new RsvpView(RsvpPageStatus.Show, access.Alumnus), e);
    }

    private async Task<RsvpView> WithPlaceAsync(RsvpView view, CancellationToken cancellationToken)
    {
        if (view.Rsvp is not { Status: RsvpStatus.Waitlisted } rsvp)
        {
            return view;
        }

        var waitlist = await events.WaitlistAsync(rsvp.EventId, cancellationToken);
        return view with { WaitlistPlace = waitlist.Count(r => r.Position < rsvp.Position) + 1 };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RSVP to event {EventId}: {Outcome} (after {Retries} retries)")]
    private partial void LogResponded(string eventId, RsvpOutcome outcome, int retries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RSVP to event {EventId} not recorded: the event changed under every attempt")]
    private partial void LogBusy(string eventId);
}
