using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Alumni;

public enum WithdrawalDisposition
{
    /// <summary>
    /// The departure is taken back: the record, which had reached nobody, is gone with its welcome, or there was none
    /// (HR withdrew before the departure reached us). Either way a departure HR sent before the withdrawal is not recorded.
    /// </summary>
    Withdrawn,

    /// <summary>The person was invited or joined already: the record is kept, flagged for an admin, and the flag audited.</summary>
    Flagged,

    /// <summary>The person asked to be erased: nothing is held to withdraw.</summary>
    Erased,

    /// <summary>A departure HR sent after the withdrawal was applied already: the person is leaving after all, and it stands.</summary>
    Superseded,
}

/// <param name="AlumnusId">The record kept and flagged (<see cref="WithdrawalDisposition.Flagged"/>); else null.</param>
public sealed record WithdrawDepartureResult(WithdrawalDisposition Disposition, AlumnusId? AlumnusId);

/// <summary>
/// HR withdrew an employee's departure: the resignation was taken back (ADR 0041). The withdrawal is kept on the
/// employee's claim first, with its event time, so from then on a late retry of a departure HR sent before it is not
/// recorded (<see cref="EmployeeClaim.Withdrawn"/>), while one sent after it is. While the record has reached nobody
/// (still <see cref="AlumnusStatus.Departed"/>, never invited) the welcome's work item is removed, then the record, then
/// the claim lets go of it and takes the webhook id; a crash anywhere leaves the id free, so HR's retry completes the
/// job, and once the record is gone no welcome can go out. Someone invited or joined is not removed: their record is
/// flagged for an admin, audited before it is written, and a flag whose write is lost is audited as not saved.
/// </summary>
public sealed partial class WithdrawDeparture(
    IAlumniStore alumni,
    IWorkItemStore work,
    IAuditLog audit,
    TimeProvider time,
    ILogger<WithdrawDeparture> logger)
{
    /// <summary>The audit log's actor for what the HRIS webhook does: there is no admin behind it.</summary>
    public const string AuditActor = "hris";

    /// <summary>A record kept and flagged because HR withdrew the departure of someone invited or joined.</summary>
    public const string FlaggedAuditAction = "departure.withdrawn.flagged";

    private const int MaxConflictRetries = 5;

    public async Task<WithdrawDepartureResult> HandleAsync(WithdrawalNotice notice, CancellationToken cancellationToken)
    {
        switch (await alumni.MarkWithdrawnAsync(notice.EmployeeId, notice.WebhookId, notice.EventAt, cancellationToken))
        {
            case WithdrawalClaim.Erased:
                LogErasedWithdrawalIgnored();
                return new WithdrawDepartureResult(WithdrawalDisposition.Erased, null);
            case WithdrawalClaim.Unheld:
                LogWithdrawalKept();
                return new WithdrawDepartureResult(WithdrawalDisposition.Withdrawn, null);
            case WithdrawalClaim.Handled handled:
                LogRedeliveredWithdrawalIgnored();
                return await RedeliveredAsync(notice, handled, cancellationToken);
            case WithdrawalClaim.Superseded:
                LogSupersededWithdrawalIgnored();
                return new WithdrawDepartureResult(WithdrawalDisposition.Superseded, null);
            case WithdrawalClaim.Held held:
                return await WithdrawAsync(notice, held, cancellationToken);
            default:
                throw new InvalidOperationException("Unknown withdrawal claim.");
        }
    }

    /// <summary>
    /// The first delivery's answer, told from what it left: a holder's record flagged by this withdrawal or a later one;
    /// else a departure applied since that is newer (the first answer, or a departure that came after a withdrawal that
    /// found nothing); else withdrawn. A holder alone says nothing: a later departure may have claimed afresh.
    /// </summary>
    private async Task<WithdrawDepartureResult> RedeliveredAsync(WithdrawalNotice notice, WithdrawalClaim.Handled claim, CancellationToken cancellationToken)
    {
        if (claim.Holder is { } holder && await alumni.GetAsync(holder, cancellationToken) is { DepartureWithdrawnAt: { } flagged } && flagged >= notice.EventAt)
        {
            return new WithdrawDepartureResult(WithdrawalDisposition.Flagged, holder);
        }

        return claim.AppliedEventAt > notice.EventAt
            ? new WithdrawDepartureResult(WithdrawalDisposition.Superseded, null)
            : new WithdrawDepartureResult(WithdrawalDisposition.Withdrawn, null);
    }

    private async Task<WithdrawDepartureResult> WithdrawAsync(WithdrawalNotice notice, WithdrawalClaim.Held claim, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            if (await alumni.GetAsync(claim.Id, cancellationToken) is not { } record)
            {
                // Removed by an attempt that died before letting go of the claim, or never written: finish the claim. Or
                // deleted by the retention purge (its mark on the claim): the store then finishes the purge's tombstone.
                await alumni.FinishWithdrawalAsync(notice.EmployeeId, notice.WebhookId, claim.Id, WithdrawalEnd.RecordGone, cancellationToken);
                LogWithdrawalKept();
                return new WithdrawDepartureResult(WithdrawalDisposition.Withdrawn, null);
            }

            if (!claim.Return && record.IsRemovedByWithdrawal(notice.EmployeeId))
            {
                // The welcome's item before the record: a crash between them leaves a record with nothing scheduled,
                // which the retry removes; the reverse order would leave nothing to find the item by.
                var welcome = SendWelcomeInvitation.WorkItemFor(record);
                await work.CompleteAsync(welcome.PartitionKey, welcome.RowKey, cancellationToken);
                if (!await alumni.DeleteWithdrawnAsync(record, cancellationToken))
                {
                    continue; // changed meanwhile (invited this moment, or corrected): decide again on what it is now
                }

                await alumni.FinishWithdrawalAsync(notice.EmployeeId, notice.WebhookId, claim.Id, WithdrawalEnd.RecordRemoved, cancellationToken);
                LogDepartureWithdrawn(record.Id.Value);
                return new WithdrawDepartureResult(WithdrawalDisposition.Withdrawn, null);
            }

            if (record.FlagWithdrawal(notice.EventAt))
            {
                // Audited before it is written, as an admin's change is: a failed audit write flags nothing, and a lost
                // write is followed by its not-saved entry, so no entry stands for a flag that was not written (ADR 0005).
                var entry = new AuditEntry(time.GetUtcNow(), AuditActor, FlaggedAuditAction, record.Id.Value, $"status={record.Status}");
                await audit.WriteAsync(entry, cancellationToken);
                if (!await alumni.TryUpdateAsync(record, cancellationToken))
                {
                    await audit.WriteAsync(UnsavedChange.NotSaved(entry, time.GetUtcNow()), cancellationToken);
                    continue;
                }

                LogWithdrawalFlagged(record.Status);
            }

            await alumni.FinishWithdrawalAsync(notice.EmployeeId, notice.WebhookId, claim.Id, WithdrawalEnd.RecordKept, cancellationToken);
            return new WithdrawDepartureResult(WithdrawalDisposition.Flagged, record.Id);
        }

        throw new InvalidOperationException($"Alumnus {claim.Id} kept changing while a departure was withdrawn.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Departure withdrawal for an erased employee ignored; nothing is held")]
    private partial void LogErasedWithdrawalIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure withdrawal kept; no record was held")]
    private partial void LogWithdrawalKept();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure withdrawal came under a webhook id applied before; not applied again")]
    private partial void LogRedeliveredWithdrawalIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure withdrawal is older than a departure applied since; not applied")]
    private partial void LogSupersededWithdrawalIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure withdrawn: the record of alumnus {AlumnusId} and its welcome invitation removed")]
    private partial void LogDepartureWithdrawn(string alumnusId);

    // No id: a flag is something that became of the person; the audit entry names whom, for an admin.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Departure withdrawn for someone already {Status}: record kept and flagged for an admin (see the audit log)")]
    private partial void LogWithdrawalFlagged(AlumnusStatus status);
}
