using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Alumni;

public enum DepartureDisposition
{
    /// <summary>A new alumnus record was created.</summary>
    Created,

    /// <summary>The employee was known: the record was updated if the departure moved, else left as it was.</summary>
    Known,

    /// <summary>The person asked to be erased: not recorded again without new consent.</summary>
    Erased,

    /// <summary>The person was purged for never joining and this departure was recorded before: nothing is re-created.</summary>
    PurgedReplay,

    /// <summary>HR withdrew the employee's departure at or after this one's event time: a late retry, not recorded (ADR 0041).</summary>
    Withdrawn,
}

/// <param name="AlumnusId">The alumnus the departure belongs to; null when it was not recorded (erased, a purged replay, withdrawn).</param>
public sealed record RecordDepartureResult(DepartureDisposition Disposition, AlumnusId? AlumnusId)
{
    /// <summary>True when this call created the alumnus record.</summary>
    public bool IsNew => Disposition == DepartureDisposition.Created;
}

/// <summary>
/// Records a departure, idempotent on employee id, and makes sure the welcome invitation is scheduled. A new employee
/// costs three writes (the claim, the record, the work item) and one read (the claim again: a withdrawal meanwhile). Every step can be repeated: a retry after a
/// crash at any point completes what the first attempt began, and a record missing under the claim is written again only
/// while the claim still names it, never after a purge has turned the claim into a tombstone (ADR 0012).
/// A message whose webhook id the claim holds was applied before: it is not applied again, so a late retry of an older
/// message cannot undo a newer correction. A new employee's claim takes the id in its insert; a known employee's after
/// the record was written, so a crash in between leaves the id free for the retry (ADR 0036). A message never seen
/// before but older than the newest departure applied (by HR's event time, kept on the claim the same way) changes
/// nothing either: a retry of a message HR has since corrected (ADR 0040). An import has no event time: it is true now.
/// A departure HR sent no later than a withdrawal the claim keeps is not recorded at all (ADR 0041).
/// </summary>
public sealed partial class RecordDeparture(
    IAlumniStore alumni,
    IWorkItemStore work,
    ISuppressionList suppressions,
    WelcomeSchedule schedule,
    TimeProvider time,
    ILogger<RecordDeparture> logger)
{
    private const int MaxConflictRetries = 5;

    public async Task<RecordDepartureResult> HandleAsync(DepartureNotice notice, CancellationToken cancellationToken)
    {
        // An import's rows are the operator's truth at the time of the import (ADR 0040).
        notice = notice with { EventAt = notice.EventAt ?? time.GetUtcNow() };
        var claim = await ClaimAsync(notice, cancellationToken);
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            switch (claim)
            {
                case EmployeeClaim.Erased:
                    LogErasedDepartureIgnored();
                    return new RecordDepartureResult(DepartureDisposition.Erased, null);
                case EmployeeClaim.PurgedReplay:
                    LogPurgedReplayIgnored();
                    return new RecordDepartureResult(DepartureDisposition.PurgedReplay, null);
                case EmployeeClaim.Withdrawn:
                    // Nothing re-asserted either: the withdrawal took the welcome away on purpose.
                    LogWithdrawnDepartureIgnored();
                    return new RecordDepartureResult(DepartureDisposition.Withdrawn, null);
                case EmployeeClaim.Held held:
                    // A fresh claim needs no read: nothing exists under its id unless a concurrent delivery of the same
                    // employee, which found the claim, wrote the record first; then the insert says so and this notice
                    // is applied to that record like any repeated departure.
                    if (held.Fresh && await TryCreateAsync(held.Id, notice, cancellationToken) is { } created)
                    {
                        return created;
                    }

                    if (await TryApplyAsync(held, notice, cancellationToken) is { } applied)
                    {
                        return applied;
                    }

                    // The claim names a record that is not there: an attempt died before writing it, or a purge deleted
                    // it after the claim was read. Claiming again tells which: the same holder (complete the record),
                    // a purge or erasure tombstone (stop: never re-create a purged person), or a new claim.
                    claim = await ClaimAsync(notice, cancellationToken);
                    if (claim is EmployeeClaim.Held same && same.Id == held.Id && await TryCreateAsync(held.Id, notice, cancellationToken) is { } completed)
                    {
                        if (completed.Disposition == DepartureDisposition.Withdrawn)
                        {
                            return completed;
                        }

                        await RememberAppliedAsync(same, notice, cancellationToken);
                        return completed;
                    }

                    break;
                default:
                    throw new InvalidOperationException("Unknown employee claim.");
            }
        }

        throw new InvalidOperationException("The employee's record kept changing while a departure was recorded.");
    }

    private Task<EmployeeClaim> ClaimAsync(DepartureNotice notice, CancellationToken cancellationToken) =>
        alumni.ClaimEmployeeAsync(notice.EmployeeId, notice.LastWorkingDay, notice.WebhookId, notice.EventAt, AlumnusId.New(), cancellationToken);

    /// <returns>Null when the record existed already (another delivery wrote it): nothing was written or scheduled.</returns>
    private async Task<RecordDepartureResult?> TryCreateAsync(AlumnusId id, DepartureNotice notice, CancellationToken cancellationToken)
    {
        var created = Alumnus.FromDeparture(id, notice, schedule.DueAt(notice.LastWorkingDay), time.GetUtcNow());
        if (!await alumni.AddAsync(created, cancellationToken))
        {
            return null;
        }

        // A withdrawal that came while the record was being written found no record and let the claim go: it took this
        // departure back, so the record goes too, before any welcome is scheduled (ADR 0041).
        if (await alumni.WithdrawnSinceClaimAsync(notice.EmployeeId, id, notice.EventAt!.Value, cancellationToken))
        {
            // Read back for its ETag (an insert does not return one) and removed as it is now.
            for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
            {
                if (await alumni.GetAsync(id, cancellationToken) is not { } written || await alumni.DeleteWithdrawnAsync(written, cancellationToken))
                {
                    break;
                }
            }

            LogWithdrawnDepartureIgnored();
            return new RecordDepartureResult(DepartureDisposition.Withdrawn, null);
        }

        await ScheduleWelcomeAsync(created, cancellationToken);
        LogDepartureRecorded(id.Value);
        return new RecordDepartureResult(DepartureDisposition.Created, id);
    }

    /// <summary>
    /// Applies the notice to the record the claim names, unless the claim says its webhook id was applied before, or a
    /// newer event was; then only the schedule is re-asserted (the first delivery may have died before writing it).
    /// </summary>
    /// <returns>Null when there is no record under the claim's id.</returns>
    private async Task<RecordDepartureResult?> TryApplyAsync(EmployeeClaim.Held claim, DepartureNotice notice, CancellationToken cancellationToken)
    {
        var id = claim.Id;
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            if (await alumni.GetAsync(id, cancellationToken) is not { } existing)
            {
                return null;
            }

            if (claim.Handled || Superseded(claim, notice))
            {
                if (claim.Handled)
                {
                    LogRedeliveryIgnored(id.Value);
                }
                else
                {
                    LogSupersededIgnored(id.Value);
                }

                await ScheduleWelcomeAsync(existing, cancellationToken);
                return new RecordDepartureResult(DepartureDisposition.Known, id);
            }

            var address = existing.PersonalEmail;
            var (changed, rescheduled) = existing.ApplyRepeatedDeparture(notice, schedule.DueAt(notice.LastWorkingDay), schedule.NextSlot(time.GetUtcNow()));
            if (existing.PersonalEmail.Normalized != address.Normalized)
            {
                // The suppression mark on the row is a projection for the address it was made for: project it afresh
                // for the new one, which campaign batches read instead of the list.
                existing.Suppressed = (await suppressions.FindAsync(existing.PersonalEmail, cancellationToken))?.Reason;
            }

            // The record first: if the process dies before the new item is written, the old item finds itself
            // superseded and schedules the current one, so nothing is sent before the new last working day has ended.
            if (changed && !await alumni.TryUpdateAsync(existing, cancellationToken))
            {
                continue;
            }

            if (rescheduled)
            {
                LogDepartureRescheduled(id.Value);
            }

            // (Re-)assert the current schedule: an earlier attempt may have died between its writes.
            await ScheduleWelcomeAsync(existing, cancellationToken);

            // Last, so a crash before it lets the retry apply the message. A member's record that this message left as
            // it was can never be changed by it later (the day never moves back), so that id needs no write.
            if (changed || existing.Status is AlumnusStatus.Departed or AlumnusStatus.Invited)
            {
                await RememberAppliedAsync(claim, notice, cancellationToken);
            }

            return new RecordDepartureResult(DepartureDisposition.Known, id);
        }

        throw new InvalidOperationException($"Alumnus {id} kept changing while a departure was applied.");
    }

    /// <summary>An event older than the newest applied under the claim: HR has sent something newer since (ADR 0040).</summary>
    private static bool Superseded(EmployeeClaim.Held claim, DepartureNotice notice) =>
        claim.AppliedEventAt is { } applied && notice.EventAt < applied;

    /// <summary>
    /// Keeps the message's webhook id and event time on a claim that was read without them (a fresh claim took them in
    /// its insert); the store writes nothing when the claim holds the id and a time as new already.
    /// </summary>
    private Task RememberAppliedAsync(EmployeeClaim.Held claim, DepartureNotice notice, CancellationToken cancellationToken) =>
        !claim.Fresh && !claim.Handled && (notice.WebhookId is not null || claim.AppliedEventAt is not { } applied || notice.EventAt > applied)
            ? alumni.RememberAppliedAsync(notice.EmployeeId, notice.WebhookId, notice.EventAt!.Value, claim, cancellationToken)
            : Task.CompletedTask;

    private Task ScheduleWelcomeAsync(Alumnus alumnus, CancellationToken cancellationToken) =>
        alumnus.Status == AlumnusStatus.Departed
            ? work.ScheduleAsync(SendWelcomeInvitation.WorkItemFor(alumnus), cancellationToken)
            : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Departure for an erased employee ignored; they are not recorded again without new consent")]
    private partial void LogErasedDepartureIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure of a person purged for never joining was recorded before the purge; not recorded again")]
    private partial void LogPurgedReplayIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure sent no later than its withdrawal ignored; not recorded")]
    private partial void LogWithdrawnDepartureIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure for alumnus {AlumnusId} came under a webhook id applied before; not applied again")]
    private partial void LogRedeliveryIgnored(string alumnusId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure for alumnus {AlumnusId} is older than one applied since; HR's fields not changed")]
    private partial void LogSupersededIgnored(string alumnusId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure recorded for alumnus {AlumnusId}")]
    private partial void LogDepartureRecorded(string alumnusId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Last working day moved for alumnus {AlumnusId}; welcome invitation rescheduled")]
    private partial void LogDepartureRescheduled(string alumnusId);
}
