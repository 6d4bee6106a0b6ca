using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Events;

public enum CalendarAction
{
    None,
    Request,
    Cancel,
}

/// <summary>The notice one RSVP is owed now, and the Sends campaign id that makes it go once.</summary>
public sealed record PendingNotice(NoticeKind Kind, string CampaignId, CalendarAction Calendar)
{
    /// <summary>What is owed to this RSVP for the event as it is, or null when nothing is.</summary>
    public static PendingNotice? For(NetworkEvent e, Rsvp r)
    {
        if (!r.NoticePending(e))
        {
            return null;
        }

        var changeOfEvent = $"event-{e.Id}-s{e.Sequence}";
        if (e.Status == EventStatus.Cancelled)
        {
            return r.Status != RsvpStatus.Declined || r.CalendarSent
                ? new PendingNotice(NoticeKind.Cancelled, changeOfEvent, r.CalendarSent ? CalendarAction.Cancel : CalendarAction.None)
                : new PendingNotice(NoticeKind.Declined, "", CalendarAction.None) { Silent = true };
        }

        if (r.Version > r.NoticedVersion)
        {
            var changeOfRsvp = RsvpNoticeId(e, r);
            return r.Status switch
            {
                RsvpStatus.Attending => new PendingNotice(r.Promoted ? NoticeKind.Promoted : NoticeKind.Confirmed, changeOfRsvp, CalendarAction.Request),
                // Back in line after holding a seat whose calendar entry went out: the entry must go.
                RsvpStatus.Waitlisted => new PendingNotice(NoticeKind.Waitlisted, changeOfRsvp, r.CalendarSent ? CalendarAction.Cancel : CalendarAction.None),
                _ => new PendingNotice(NoticeKind.Declined, changeOfRsvp, r.CalendarSent ? CalendarAction.Cancel : CalendarAction.None),
            };
        }

        return new PendingNotice(NoticeKind.Updated, changeOfEvent, r.Status == RsvpStatus.Attending ? CalendarAction.Request : CalendarAction.None);
    }

    /// <summary>
    /// The campaign id of the notice of an RSVP's change: its version and the event's sequence. A notice sent but not yet
    /// marked (a crash, or an outcome awaited) when the event changes is then a new mail with the new details and calendar,
    /// not a duplicate the ledger would absorb while the attendee never hears of the change.
    /// </summary>
    public static string RsvpNoticeId(NetworkEvent e, Rsvp r) => $"event-{e.Id}-r{r.Version}-s{e.Sequence}";

    /// <summary>
    /// The campaign id of the reminder: the start it announces (Unix seconds). An edit that leaves the start alone keeps the
    /// id, so nobody is reminded twice; a moved event is a new reminder.
    /// </summary>
    public static string ReminderId(NetworkEvent e) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"event-{e.Id}-reminder-{e.Details.StartsAt.ToUnixTimeSeconds()}");

    /// <summary>Nothing to tell (a decline of an event since cancelled): recorded as noticed without a mail.</summary>
    public bool Silent { get; init; }

    /// <summary>Whether the alumnus's calendar holds the event once this notice has gone.</summary>
    public bool CalendarAfter(Rsvp r) => Calendar switch
    {
        CalendarAction.Request => true,
        CalendarAction.Cancel => false,
        _ => r.CalendarSent,
    };
}

/// <param name="Kind">The work kind handled.</param>
public sealed record EventMailOutcome(string Kind, int Sent, int AlreadySent, int Refused, string Note);

/// <summary>
/// Sends the transactional mail of events, for a dispatched work item: the notices pending on an event's RSVPs
/// (confirmation or promotion with a calendar REQUEST, waitlist, decline, change, cancellation with a calendar CANCEL),
/// or the reminder to its attendees. Each mail takes the single send path with a campaign id that is unique per change,
/// so a redelivered message or two overlapping work items send nothing twice; each RSVP is marked noticed after its mail.
/// </summary>
public sealed partial class SendEventMail(
    IEventStore events,
    IAlumniStore alumni,
    IWorkItemStore work,
    WorkItemRunner runner,
    OutreachSender sender,
    AlumniLinks links,
    IOptions<CompanyOptions> company,
    IOptions<SendGridOptions> sendGrid,
    IOptions<EventOptions> options,
    TimeProvider time,
    ILogger<SendEventMail> logger)
{
    /// <summary>Mails in flight at once for one event: a 1,000-seat event is minutes, not an hour.</summary>
    public const int Parallelism = 8;

    /// <summary>
    /// How old a read of the event row a mail may go on: each mail checks the event just before it goes, and one read
    /// serves every mail of the run that asks within this time of its start. A run that a change or cancellation overtook
    /// stops after the mails already past their check (at most <see cref="Parallelism"/>) and those that check within this
    /// time of the change, while storage sees at most four reads of the event a second however many attendees there are.
    /// </summary>
    public static readonly TimeSpan RecheckAge = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs under <see cref="WorkItemRunner"/>: when every mail is settled the item completes; a mail whose outcome is
    /// awaited (or that another delivery holds) keeps the item until it may be asked again, and the next run sends only
    /// what is still owed.
    /// </summary>
    public async Task<(EventMailOutcome? Mail, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        EventMailOutcome? mail = null;
        var run = await runner.RunAsync(message, async ct =>
        {
            var eventId = EventWork.EventIdOf(message);
            var tally = new SendTally();
            var outcome = message.Kind == WorkKinds.EventReminder
                ? await RemindAsync(message, tally, ct)
                : await SendNoticesAsync(eventId, EventWork.AlumnusOf(message), tally, ct);
            mail = outcome;
            LogHandled(eventId, outcome.Kind, outcome.Sent, outcome.AlreadySent, outcome.Refused, outcome.Note);
            return tally.Deferred == 0
                ? new WorkStep.Done()
                : new WorkStep.Later(tally.RetryAt ?? time.GetUtcNow() + TimeSpan.FromMinutes(1), $"{tally.Deferred} mails not settled");
        }, cancellationToken);
        return (mail, run);
    }

    /// <param name="about">The one alumnus whose answer changed, or null after a change of the event itself.</param>
    /// <remarks>
    /// A run for a large event sends for minutes, so it checks its snapshot as it goes: each RSVP just before its mail,
    /// then the event (<see cref="EventRecheck"/>). One that still owes the notice planned (same kind and campaign id) is
    /// sent what it owes now: another run may have recorded a calendar REQUEST meanwhile, which writes no work item, so
    /// the calendar action is the fresh row's. One answered again, erased or noticed by another run is skipped (its own
    /// answer wrote a person's item; a noticed one owes nothing); one that owes something else without a new answer keeps
    /// the item for a later run, since no other item would send it. An event whose sequence or status moved stops the run
    /// (a person's run too: the event's own run may start in between), and the newer change's notice work sends what this
    /// one would have, with the newer details, rather than confirm or update an event since changed or cancelled: one more
    /// item for the event is written so that holds even for a change that wrote none. A cancelled event changes no more,
    /// so a cancellation run is never stopped; its checks cost a read per <see cref="RecheckAge"/>.
    /// </remarks>
    private async Task<EventMailOutcome> SendNoticesAsync(string eventId, AlumnusId? about, SendTally tally, CancellationToken cancellationToken)
    {
        if (await events.GetAsync(eventId, cancellationToken) is not { } e)
        {
            return new EventMailOutcome(WorkKinds.EventNotices, 0, 0, 0, "no such event");
        }

        var rsvps = about is { } id
            ? (await events.GetRsvpAsync(eventId, id, cancellationToken) is { } one ? [one] : [])
            : await events.RsvpsAsync(eventId, cancellationToken);
        var pending = rsvps.Select(r => (Rsvp: r, Notice: PendingNotice.For(e, r))).Where(p => p.Notice is not null).ToArray();
        var skipped = 0;
        var recheck = new EventRecheck(events, eventId, time);
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (p, ct) =>
            {
                if (recheck.Stopped())
                {
                    return;
                }

                // As the row is now: the notice the run planned must still be the one owed, or it is not this run's to send.
                var latest = await events.GetRsvpAsync(eventId, p.Rsvp.AlumnusId, ct);
                if (latest is not { } r || StillOwed(e, p.Notice!, latest) is not { } notice)
                {
                    if (Unsettled(e, p.Rsvp, latest))
                    {
                        tally.Add(new SendOutcome(SendStatus.Deferred, "rsvp-changed"));
                    }
                    else
                    {
                        Interlocked.Increment(ref skipped);
                    }

                    return;
                }

                // Intent first: the row says the calendar holds the entry before the REQUEST goes, so a decline that
                // overtakes the mark below, or a crash between mail and mark, still cancels it. A CANCEL to someone
                // whose REQUEST never went is harmless; a lost one would leave a seat in their calendar they gave up.
                var calendarBefore = r.CalendarSent;
                if (notice.Calendar == CalendarAction.Request && !r.CalendarSent)
                {
                    var (write, written) = await WriteWhileOwedAsync(e, r, notice, row => row.CalendarSent = true, tally, ct);
                    if (write != RsvpWrite.Written)
                    {
                        // Changed since the read above: its own work item sends the newer notice (busy: this one, later).
                        if (write == RsvpWrite.NotOwed)
                        {
                            Interlocked.Increment(ref skipped);
                        }

                        return;
                    }

                    r = written;
                }

                // The event changed or was cancelled since this run read it: its notice work tells this person what is
                // true now (with a CANCEL, as the calendar intent above is on the row); the old details are not sent.
                if (!notice.Silent && await recheck.CurrentAsync(stored => stored.Sequence == e.Sequence && stored.Status == e.Status, ct) is null)
                {
                    return;
                }

                var outcome = notice.Silent ? new SendOutcome(SendStatus.Refused, "nothing-to-tell") : await SendAsync(e, r, notice, ct);
                tally.Add(outcome);
                if (outcome.Status == SendStatus.Deferred)
                {
                    return;
                }

                // The RSVP may have changed meanwhile: then its own work item sends the newer notice.
                await WriteWhileOwedAsync(e, r, notice,
                    row => row.MarkNoticed(e, outcome.Status == SendStatus.Refused ? calendarBefore : notice.CalendarAfter(row)), tally, ct);
            });

        var note = $"pending={pending.Length}; skipped={skipped}";
        if (recheck.Left > 0)
        {
            await work.ScheduleAsync(EventWork.Notices(eventId, time.GetUtcNow()), cancellationToken);
            LogSuperseded(eventId, WorkKinds.EventNotices, recheck.Left);
            note += "; superseded";
        }

        return new EventMailOutcome(WorkKinds.EventNotices, tally.Sent, tally.AlreadySent, tally.Refused, note);
    }

    /// <summary>
    /// The notice <paramref name="latest"/> owes now, when it is the one planned (same kind and campaign id, so the same
    /// mail as far as the ledger goes), whatever its calendar action: a REQUEST recorded by another run since the plan
    /// makes a cancellation carry the CANCEL. Null when the row owes another notice or none.
    /// </summary>
    private static PendingNotice? StillOwed(NetworkEvent e, PendingNotice planned, Rsvp latest) =>
        PendingNotice.For(e, latest) is { } owed && owed.Kind == planned.Kind && owed.CampaignId == planned.CampaignId && owed.Silent == planned.Silent
            ? owed
            : null;

    /// <summary>
    /// Whether a row that no longer owes the notice planned still owes one without having been answered again: no work
    /// item of its own was written for it, so this run's item must stay to send it later.
    /// </summary>
    private static bool Unsettled(NetworkEvent e, Rsvp planned, Rsvp? latest) =>
        latest is not null && latest.Version == planned.Version && PendingNotice.For(e, latest) is not null;

    /// <summary>
    /// Makes <paramref name="change"/> to the RSVP and writes it, as long as it still owes <paramref name="notice"/>. A
    /// write that loses the row's ETag to one that leaves the notice owed (attendance marked at the door, which writes no
    /// work item) reads the row again and makes the change on it; only a changed notice (its own work item sends the newer
    /// one) or an erased row ends it. The mail itself is never repeated here: a retry only rewrites the row.
    /// </summary>
    /// <returns>
    /// The row as written; or why not: the notice is no longer this run's, or the row changed under every one of
    /// <see cref="ManageEvents.MaxAttempts"/> writes, and then the work is deferred and its next run sends or marks what
    /// is still owed (the ledger keeps a mail that went from going twice).
    /// </returns>
    private async Task<(RsvpWrite Write, Rsvp Row)> WriteWhileOwedAsync(
        NetworkEvent e, Rsvp r, PendingNotice notice, Action<Rsvp> change, SendTally tally, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ManageEvents.MaxAttempts; attempt++)
        {
            change(r);
            if (await events.TryUpdateRsvpAsync(r, cancellationToken))
            {
                return (RsvpWrite.Written, r);
            }

            var latest = await events.GetRsvpAsync(e.Id, r.AlumnusId, cancellationToken);
            if (latest is null || PendingNotice.For(e, latest) != notice)
            {
                if (!Unsettled(e, r, latest))
                {
                    return (RsvpWrite.NotOwed, r);
                }

                // Owes another notice with no new answer (a calendar recorded by another run): a later run of this item sends it.
                tally.Add(new SendOutcome(SendStatus.Deferred, "rsvp-changed"));
                return (RsvpWrite.Busy, r);
            }

            r = latest;
        }

        LogRsvpBusy(e.Id, ManageEvents.MaxAttempts);
        tally.Add(new SendOutcome(SendStatus.Deferred, "rsvp-busy"));
        return (RsvpWrite.Busy, r);
    }

    private enum RsvpWrite
    {
        Written,
        NotOwed,
        Busy,
    }

    /// <remarks>
    /// Checked as it goes like the notices: each attendee just before their mail (one who has declined or been erased
    /// since is not reminded), then the event (<see cref="EventRecheck"/>): a cancelled or moved event stops the run, and
    /// an edit that leaves the start keeps the reminder and its id, with the details as they are now.
    /// </remarks>
    private async Task<EventMailOutcome> RemindAsync(WorkMessage message, SendTally tally, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lead = options.Value.ReminderLead;
        if (await events.GetAsync(EventWork.EventIdOf(message), cancellationToken) is not { Status: EventStatus.Published } e)
        {
            return new EventMailOutcome(WorkKinds.EventReminder, 0, 0, 0, "not published or cancelled");
        }

        if (!EventWork.IsCurrentReminder(e, lead, message.DueAt))
        {
            // The event moved: the reminder for its new time is the one to send (scheduled again in case it was lost).
            if (EventWork.MovedReminder(e, lead, now) is { } current)
            {
                await work.ScheduleAsync(current, cancellationToken);
            }

            return new EventMailOutcome(WorkKinds.EventReminder, 0, 0, 0, "superseded");
        }

        if (now >= e.Details.StartsAt)
        {
            return new EventMailOutcome(WorkKinds.EventReminder, 0, 0, 0, "already started");
        }

        var attendees = (await events.RsvpsAsync(e.Id, cancellationToken)).Where(r => r.Status == RsvpStatus.Attending).ToArray();
        var notice = new PendingNotice(NoticeKind.Reminder, PendingNotice.ReminderId(e), CalendarAction.None);
        var recheck = new EventRecheck(events, e.Id, time);
        await Parallel.ForEachAsync(attendees, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (r, ct) =>
            {
                // Cancelled: nobody is reminded; moved: the reminder for the new start (scheduled by the move) reminds them.
                if (!recheck.Stopped()
                    && await events.GetRsvpAsync(e.Id, r.AlumnusId, ct) is { Status: RsvpStatus.Attending } still
                    && await recheck.CurrentAsync(stored => stored.Status == EventStatus.Published && PendingNotice.ReminderId(stored) == notice.CampaignId, ct) is { } latest)
                {
                    tally.Add(await SendAsync(latest, still, notice, ct));
                }
            });

        if (recheck.Left > 0)
        {
            LogSuperseded(e.Id, WorkKinds.EventReminder, recheck.Left);
            return new EventMailOutcome(WorkKinds.EventReminder, tally.Sent, tally.AlreadySent, tally.Refused, $"attendees={attendees.Length}; superseded");
        }

        return new EventMailOutcome(WorkKinds.EventReminder, tally.Sent, tally.AlreadySent, tally.Refused, $"attendees={attendees.Length}");
    }

    /// <summary>
    /// The event row as a run's parallel mails see it, each just before it goes: one read serves every mail that asks
    /// within <see cref="RecheckAge"/> of its start (done or still in flight), so a run of thousands reads the row a few
    /// times a second, not once a mail. The first read that finds the event no longer the run's stops the run: no mail
    /// goes after it, and the mails not sent are counted for the newer work.
    /// </summary>
    private sealed class EventRecheck(IEventStore events, string eventId, TimeProvider time)
    {
        private readonly Lock gate = new();
        private Task<NetworkEvent?>? read;
        private DateTimeOffset readAt;
        private int stopped;
        private int left;

        /// <summary>Mails left to newer work since the run stopped; 0 while it has not.</summary>
        public int Left => Volatile.Read(ref left);

        /// <summary>Whether the run has stopped, counting the mail asking as left.</summary>
        public bool Stopped()
        {
            if (Volatile.Read(ref stopped) == 0)
            {
                return false;
            }

            Interlocked.Increment(ref left);
            return true;
        }

        /// <summary>The event as it is now while <paramref name="forThisRun"/> holds of it and the run has not stopped; else null, and the run stops.</summary>
        public async Task<NetworkEvent?> CurrentAsync(Func<NetworkEvent, bool> forThisRun, CancellationToken cancellationToken)
        {
            if (await LatestAsync(cancellationToken) is { } now && forThisRun(now) && Volatile.Read(ref stopped) == 0)
            {
                return now;
            }

            Volatile.Write(ref stopped, 1);
            Interlocked.Increment(ref left);
            return null;
        }

        private Task<NetworkEvent?> LatestAsync(CancellationToken cancellationToken)
        {
            lock (gate)
            {
                var now = time.GetUtcNow();
                if (read is null || now - readAt >= RecheckAge)
                {
                    (read, readAt) = (events.GetAsync(eventId, cancellationToken), now);
                }

                return read;
            }
        }
    }

    /// <summary>
    /// One notice through the single send path. Wanted while the RSVP still owes it, which the caller has just read (a
    /// point read of the row): a re-send after an unknown outcome asks again on the next run, from the RSVP as it is then.
    /// </summary>
    /// <remarks>
    /// The provider's refusal of one person (a 400 naming their personalization alone) is that person's outcome, not the
    /// run's: a run that stopped there would meet the same person first again on every retry, and nobody after them would
    /// ever hear. It counts as refused, as a suppressed address does. Any other refusal (the account, the from address,
    /// the content or its size) would refuse everyone alike, so it fails the item for an operator rather than mark
    /// everyone told; a passing failure (throttled, unavailable) is retried with the item's backoff.
    /// </remarks>
    private async Task<SendOutcome> SendAsync(NetworkEvent e, Rsvp r, PendingNotice notice, CancellationToken cancellationToken)
    {
        if (await alumni.GetAsync(r.AlumnusId, cancellationToken) is not { } alumnus)
        {
            return new SendOutcome(SendStatus.Refused, "gone");
        }

        // After the deadline the page still takes a holder's seat or place back until the start (NetworkEvent.TakesAnswer).
        var now = time.GetUtcNow();
        var open = e.RegistrationAt(now) == Registration.Open;
        var withdrawOnly = !open && e.TakesWithdrawalFrom(r, now);
        try
        {
            return await sender.SendAsync(alumnus, notice.CampaignId, purpose: null, stillWanted: true, () => EventMail.Notice(
                notice.Kind, notice.CampaignId, e, alumnus, r, company.Value.Name, open || withdrawOnly ? links.RsvpLink(e, alumnus) : null,
                Calendar(e, r, alumnus, notice.Calendar), withdrawOnly), cancellationToken);
        }
        catch (EmailNotAcceptedException refused) when (refused.IsAboutTheRecipient)
        {
            LogRecipientRefused(e.Id, notice.Kind);
            return new SendOutcome(SendStatus.Refused, "provider-refused");
        }
    }

    private EmailAttachment? Calendar(NetworkEvent e, Rsvp r, Alumnus alumnus, CalendarAction action)
    {
        var from = EmailAddress.Parse(sendGrid.Value.FromEmail);
        var baseUrl = company.Value.PublicBaseUrl!;
        return action switch
        {
            CalendarAction.Request => EventCalendar.Request(e, alumnus, r.CalendarSequence(e), from, sendGrid.Value.FromName, baseUrl, time.GetUtcNow()),
            CalendarAction.Cancel => EventCalendar.Cancel(e, alumnus, r.CalendarSequence(e), from, sendGrid.Value.FromName, baseUrl, time.GetUtcNow()),
            _ => null,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} {Kind}: the event changed during the run; {Left} mails left to the newer work")]
    private partial void LogSuperseded(string eventId, string kind, int left);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId}: an RSVP changed under each of {Attempts} writes of its notice; the work runs again later")]
    private partial void LogRsvpBusy(string eventId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} {Kind}: the provider refused one recipient")]
    private partial void LogRecipientRefused(string eventId, NoticeKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} {Kind}: {Sent} sent, {AlreadySent} already sent, {Refused} refused ({Note})")]
    private partial void LogHandled(string eventId, string kind, int sent, int alreadySent, int refused, string note);
}
