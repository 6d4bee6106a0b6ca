using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Events;

/// <summary>The audit actions of the event admin APIs (ids only in subjects and details).</summary>
public static class EventAuditActions
{
    public const string Created = "event.created";
    public const string Updated = "event.updated";
    public const string Published = "event.published";
    public const string Cancelled = "event.cancelled";
    public const string AttendeesRead = "event.attendees.read";
    public const string AttendeesExported = "event.attendees.exported";
    public const string AttendanceMarked = "event.attendance.marked";
    public const string StaffInvited = "event.staff.invited";
    public const string StaffCancelled = "event.staff.cancelled";
}

/// <summary>
/// Admin: create, update, publish and cancel events. Every write is conditional on the event's ETag and retried on a
/// conflict (an RSVP took a seat meanwhile), audited before each attempt (an attempt lost to a conflict is then audited
/// as not saved, <see cref="UnsavedChange"/>), and preceded by the work it implies (notices, reminder), so
/// a crash between two writes leaves work that finishes the job rather than a change nobody hears of. Publishing starts
/// the invitation campaign and cancelling stops it; both are idempotent, so an admin who got an error simply repeats.
/// </summary>
public sealed partial class ManageEvents(
    IEventStore events,
    IWorkItemStore work,
    ICampaigns campaigns,
    IAuditLog audit,
    IdempotentCreates creates,
    IOptions<EventOptions> options,
    TimeProvider time,
    ILogger<ManageEvents> logger)
{
    public const int MaxAttempts = 10;

    /// <summary>Seats filled from the waitlist in one write when capacity rises (one table transaction holds 100 rows).</summary>
    public const int MaxPromotionsPerWrite = 90;

    public const string CreateKind = "event";

    /// <param name="key">With a key, a repeat of the same create finds the first event and changes nothing (ADR 0037).</param>
    public async Task<AdminOutcome<EventView>> CreateAsync(ReadOnlyMemory<byte> body, string actor, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (details, errors) = EventDraft.Parse(body.Span, now);
        if (details is null)
        {
            return new AdminOutcome<EventView>.Invalid(errors);
        }

        var keyed = creates.Of(CreateKind, actor, key, body.Span);
        Task<AdminOutcome<EventView>?> RepeatOfStored() =>
            KeyedCreate.RepeatOfStoredAsync(keyed, id => events.GetAsync(id, cancellationToken), e => e.CreateHash, e => EventView.From(e));
        if (await RepeatOfStored() is { } repeat)
        {
            return repeat;
        }

        var created = new NetworkEvent { Id = keyed?.Id ?? NetworkEvent.NewId(), Details = details, CreatedAt = now, CreatedBy = actor, UpdatedAt = now, CreateHash = keyed?.BodyHash };
        var entry = new AuditEntry(now, actor, EventAuditActions.Created, created.Id, $"kind={details.Kind}; capacity={details.Capacity}");
        await audit.WriteAsync(entry, cancellationToken);
        if (!await events.TryAddAsync(created, cancellationToken))
        {
            // A repeat of this create (same key) was added between the read above and this insert: this one created nothing.
            return await KeyedCreate.NotSavedAsync(
                audit, KeyedCreate.NotSaved(entry, CreateKind, created.Id, time.GetUtcNow()), RepeatOfStored, new AdminOutcome<EventView>.Conflict(), cancellationToken);
        }

        LogChanged(created.Id, "created");
        return new AdminOutcome<EventView>.Done(EventView.From(created));
    }

    public async Task<AdminOutcome<EventView>> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!NetworkEvent.IsId(id) || await events.GetAsync(id, cancellationToken) is not { } e)
        {
            return new AdminOutcome<EventView>.NotFound();
        }

        var progress = e.Status == EventStatus.Draft ? null : await campaigns.GetProgressAsync(e.InvitationCampaignId, cancellationToken);
        return new AdminOutcome<EventView>.Done(EventView.From(e, progress));
    }

    /// <summary>Every event, latest start first, without campaign progress (one read of the event rows; no personal data).</summary>
    public async Task<IReadOnlyList<EventView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await events.ListAsync(cancellationToken)).Select(e => EventView.From(e))];

    /// <param name="seen">The version the edit was built on: when the event's details changed since, nothing is written,
    /// audited or sent (checked on each read whose ETag the write uses). Null: any.</param>
    public async Task<AdminOutcome<EventView>> UpdateAsync(string id, ReadOnlyMemory<byte> body, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        // The stored times, so that an event under way keeps a start that has passed and an end cannot be moved into the
        // past; checked again on each read below.
        var stored = NetworkEvent.IsId(id) ? (await events.GetAsync(id, cancellationToken))?.Details : null;
        var (details, errors) = EventDraft.Parse(body.Span, time.GetUtcNow(), stored?.StartsAt, stored?.EndsAt);
        if (details is null)
        {
            return new AdminOutcome<EventView>.Invalid(errors);
        }

        WorkItem? remindSoon = null;
        var updated = await ChangeAsync(id, actor, EventAuditActions.Updated, async (e, now) =>
        {
            remindSoon = null;
            if (seen is { } version && !version.Matches(e.UpdatedAt))
            {
                return new Change([], null, new AdminOutcome<EventView>.Stale());
            }

            if (e.Status == EventStatus.Cancelled)
            {
                return Refuse("The event is cancelled; a cancelled event cannot change.");
            }

            if (e.HasEnded(now))
            {
                return Refuse("The event has ended; an ended event cannot change.");
            }

            if (details.StartsAt != e.Details.StartsAt && details.StartsAt <= now)
            {
                return Invalid("start", EventDraft.FutureStartRule);
            }

            if (details.EndsAt != e.Details.EndsAt && details.EndsAt <= now)
            {
                return Invalid("end", EventDraft.FutureEndRule);
            }

            if (e.Status == EventStatus.Published && !details.Audience.SameAs(e.Details.Audience))
            {
                return Invalid("audience", "must not change once the event is published: the invitations have gone to the first audience");
            }

            if (details.Capacity < e.Attending)
            {
                return Invalid("capacity", $"must be at least {e.Attending}, the number of people already attending");
            }

            var startMoved = details.StartsAt != e.Details.StartsAt;
            var notify = e.Update(details, now);
            var promoted = e.Status == EventStatus.Published && e.Attending < details.Capacity && e.Waitlisted > 0
                ? e.PromoteFromWaitlist(await events.WaitlistAsync(e.Id, cancellationToken), MaxPromotionsPerWrite, now)
                : [];
            if (startMoved && EventWork.MovedReminder(e, options.Value.ReminderLead, now) is { } reminder)
            {
                await work.ScheduleAsync(reminder, cancellationToken);
                remindSoon = reminder.DueAt <= now + EventWork.WriteGrace ? reminder : null;
            }

            return new Change(promoted, $"notify={notify}; promoted={promoted.Count}", Notify: notify || promoted.Count > 0);
        }, cancellationToken);
        if (updated is AdminOutcome<EventView>.Done && remindSoon is { } soon && time.GetUtcNow() >= soon.DueAt - EventWork.WriteGrace / 2)
        {
            // Due at once (moved to within the lead), it may have run before this slow write landed and found the old start.
            await work.ScheduleAsync(new WorkItem { Kind = soon.Kind, SubjectId = soon.SubjectId, DueAt = time.GetUtcNow() + EventWork.WriteGrace }, cancellationToken);
        }

        return updated is AdminOutcome<EventView>.Done ? await PromoteRemainingAsync(id, actor, updated, cancellationToken) : updated;
    }

    /// <summary>
    /// Fills the seats a capacity increase freed beyond one write's promotions, in further writes until the seats or the
    /// waitlist run out, so nobody who asked earlier waits while a seat stands empty. A crash between these writes leaves
    /// free seats and waiters, which the next write of the event (an answer, an erasure, an update) fills first.
    /// </summary>
    private async Task<AdminOutcome<EventView>> PromoteRemainingAsync(string id, string actor, AdminOutcome<EventView> done, CancellationToken cancellationToken)
    {
        for (var more = true; more;)
        {
            more = false;
            var next = await ChangeAsync(id, actor, EventAuditActions.Updated, async (e, now) =>
            {
                var promoted = e.OwesPromotions ? e.PromoteFromWaitlist(await events.WaitlistAsync(e.Id, cancellationToken), MaxPromotionsPerWrite, now) : [];
                more = promoted.Count > 0;
                if (!more)
                {
                    return Change.None;
                }

                return new Change(promoted, $"promoted={promoted.Count}; continued", Notify: true);
            }, cancellationToken);
            if (next is not AdminOutcome<EventView>.Done)
            {
                // The update itself is saved; the seats left free are filled by the next write of the event.
                return done;
            }

            done = next;
        }

        return done;
    }

    /// <param name="seen">The version of the draft the admin looked at: when it was edited since, nothing is published
    /// (invitations would carry text nobody reviewed). A published event is published again whatever the version, so a
    /// double submit is done twice without harm. Null: any.</param>
    public async Task<AdminOutcome<EventView>> PublishAsync(string id, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync(id, actor, EventAuditActions.Published, async (e, now) =>
        {
            if (e.Status == EventStatus.Cancelled)
            {
                return Refuse("The event is cancelled; it cannot be published.");
            }

            if (e.Status == EventStatus.Draft && seen is { } version && !version.Matches(e.UpdatedAt))
            {
                return new Change([], null, new AdminOutcome<EventView>.Stale());
            }

            if (e.Status == EventStatus.Draft && (now >= e.Details.RegistrationDeadline || now >= e.Details.StartsAt))
            {
                return Refuse("Registration for the event has closed (its deadline or start has passed); change the dates first.");
            }

            if (!e.Publish(now))
            {
                return Change.None;
            }

            // Intent first: the reminder and the campaign's start are written before the publication is saved.
            e.PublishedBy = actor;
            if (EventWork.Reminder(e, options.Value.ReminderLead, now) is { } reminder)
            {
                await work.ScheduleAsync(reminder, cancellationToken);
            }

            await work.ScheduleAsync(EventWork.Published(e.Id, now), cancellationToken);
            return new Change([], "first publication");
        }, cancellationToken);
        if (outcome is not AdminOutcome<EventView>.Done { Value: var view })
        {
            return outcome;
        }

        // At once rather than at the work's dispatch, and again on every publish (idempotent): should it fail, the work
        // written before the save starts it.
        var published = (await events.GetAsync(id, cancellationToken))!;
        var start = await campaigns.StartAsync(InvitationRequest(published, actor), cancellationToken);
        return start is CampaignStart.Invalid invalid ? new AdminOutcome<EventView>.Invalid(invalid.Errors) : new AdminOutcome<EventView>.Done(view);
    }

    /// <summary>The invitation campaign of a published event, for its audience.</summary>
    internal static CampaignRequest InvitationRequest(NetworkEvent e, string actor) =>
        new(e.InvitationCampaignId, CampaignKind.EventInvitation, e.Id, e.Details.Audience, actor);

    /// <param name="seen">The version of the event the admin confirmed cancelling: when it was edited since, nothing is
    /// cancelled and nobody is told (the confirmation named what is called off). A cancelled event is cancelled again
    /// whatever the version, so a double submit does no harm. Null: any.</param>
    public async Task<AdminOutcome<EventView>> CancelAsync(string id, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync(id, actor, EventAuditActions.Cancelled, (e, now) =>
        {
            if (e.Status != EventStatus.Cancelled && e.HasStarted(now))
            {
                return Task.FromResult(Refuse(
                    "The event has started; an event that has started cannot be cancelled (attendees would be told that an event under way or over was called off)."));
            }

            if (e.Status != EventStatus.Cancelled && seen is { } version && !version.Matches(e.UpdatedAt))
            {
                return Task.FromResult(new Change([], null, new AdminOutcome<EventView>.Stale()));
            }

            var wasPublished = e.Status == EventStatus.Published;
            return Task.FromResult(e.Cancel(now)
                ? new Change([], $"attending={e.Attending}; waitlisted={e.Waitlisted}", Notify: wasPublished && e.Attending + e.Waitlisted > 0)
                : Change.None);
        }, cancellationToken);
        if (outcome is AdminOutcome<EventView>.Done done && done.Value.PublishedAt is not null)
        {
            // Batches not yet sent send nothing: the composer finds the event cancelled even before this stops them.
            await campaigns.StopAsync(done.Value.InvitationCampaignId, cancellationToken);
        }

        return outcome;
    }

    /// <summary>Read, decide, audit, write with the ETag; audit "not saved" and again from the start when someone else wrote first.</summary>
    private async Task<AdminOutcome<EventView>> ChangeAsync(
        string id, string actor, string action, Func<NetworkEvent, DateTimeOffset, Task<Change>> decide, CancellationToken cancellationToken)
    {
        if (!NetworkEvent.IsId(id))
        {
            return new AdminOutcome<EventView>.NotFound();
        }

        var notices = new NoticeWork(work, time);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await events.GetAsync(id, cancellationToken) is not { } e)
            {
                return new AdminOutcome<EventView>.NotFound();
            }

            var now = time.GetUtcNow();
            var change = await decide(e, now);
            if (change.Refusal is { } refusal)
            {
                return refusal;
            }

            if (change.Detail is null)
            {
                return new AdminOutcome<EventView>.Done(EventView.From(e));
            }

            if (change.Notify)
            {
                await notices.EnsureAsync(e.Id, about: null, cancellationToken);
            }

            // Audited before each attempt's write (ADR 0005: a failed audit write fails the request, nothing is saved);
            // an attempt lost to a conflict is followed by its not-saved entry, so every entry left standing was saved.
            var entry = new AuditEntry(now, actor, action, e.Id, change.Detail);
            await audit.WriteAsync(entry, cancellationToken);
            if (await events.TrySaveAsync(e, change.Rsvps, cancellationToken))
            {
                if (change.Notify)
                {
                    // Audited and written later than the work it announced (storage retries): that may have run already.
                    await notices.EnsureAsync(e.Id, about: null, cancellationToken);
                }

                LogChanged(e.Id, action);
                return new AdminOutcome<EventView>.Done(EventView.From(e));
            }

            await audit.WriteAsync(UnsavedChange.NotSaved(entry, time.GetUtcNow()), cancellationToken);
        }

        LogConflict(id, MaxAttempts);
        return new AdminOutcome<EventView>.Conflict();
    }

    private static Change Refuse(string reason) => new([], null, new AdminOutcome<EventView>.Conflict(reason));

    private static Change Invalid(string field, string rule) => new([], null, new AdminOutcome<EventView>.Invalid([new FieldError(field, rule)]));

    /// <param name="Detail">What the audit entry says; null when nothing changes (nothing is written or audited).</param>
    /// <param name="Notify">Attendees or waiters owe notices of the change: notice work for the event is written first.</param>
    private sealed record Change(IReadOnlyCollection<Rsvp> Rsvps, string? Detail, AdminOutcome<EventView>? Refusal = null, bool Notify = false)
    {
        public static Change None { get; } = new([], null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId}: {Action}")]
    private partial void LogChanged(string eventId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} not changed: it changed under each of {Attempts} attempts")]
    private partial void LogConflict(string eventId, int attempts);
}
