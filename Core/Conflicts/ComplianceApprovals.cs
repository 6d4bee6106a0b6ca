using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Conflicts;

public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// A question to the compliance team: may the company contact this flagged alumnus about this? One per alumnus and
/// subject (<c>collaboration:&lt;request id&gt;</c>, <c>opening:&lt;opening id&gt;</c>…).
/// </summary>
/// <param name="Subject">What the contact is about: 1-100 ASCII letters, digits, '-', ':' or '_'.</param>
/// <param name="Summary">What the compliance officer needs to decide (who asks and why), shown in the queue.</param>
/// <param name="RequestedBy">Who asked (an admin's subject id, or <c>system</c>).</param>
/// <param name="FollowUpKind">The kind of work scheduled, due a moment later (<see cref="IntentWork.WriteGrace"/>), when it is decided (say, delivering the request), or null.</param>
/// <param name="FollowUpSubject">That work's subject.</param>
public sealed record ApprovalRequest(
    AlumnusId AlumnusId, string Subject, string Summary, string RequestedBy, DateTimeOffset RequestedAt, string? FollowUpKind = null, string? FollowUpSubject = null)
{
    public static bool IsSubject(string? subject) =>
        subject is { Length: >= 1 and <= 100 } && subject.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '_');
}

/// <summary>An approval request and, once decided, the decision, who made it and why.</summary>
public sealed record Approval(ApprovalRequest Request, ApprovalStatus Status, string? DecidedBy = null, DateTimeOffset? DecidedAt = null, string? Reason = null)
{
    public string? ETag { get; init; }
}

/// <summary>
/// The port other features ask before contacting a flagged alumnus about something that is not sensitive (sensitive
/// things never reach them): has a compliance officer approved it? Asking puts it in the compliance team's queue.
/// </summary>
public interface IComplianceApprovals
{
    /// <summary>Whether a compliance officer approved contacting the alumnus about <paramref name="subject"/>.</summary>
    Task<bool> IsApprovedAsync(AlumnusId alumnusId, string subject, CancellationToken cancellationToken);

    /// <summary>Puts the question in the queue; asking again about the same subject changes nothing.</summary>
    Task RequestAsync(ApprovalRequest request, CancellationToken cancellationToken);

    /// <summary>Removes every question about the alumnus, decided or not (the erasure's step); removing twice is harmless.</summary>
    Task RemoveAllAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}

/// <summary>Asking a compliance question about someone read before the ask, whose erasure may have begun since.</summary>
public static class ComplianceQuestions
{
    /// <summary>
    /// Puts the question in the queue, then reads the person's row again (<see cref="ErasureRecheck"/>, ADR 0007): the
    /// erasure may have removed their approvals between the writer's read and this write, and a question left then would
    /// stand for good, naming them in the queue. When their erasure has begun, every question about them is taken back
    /// (the work item first, which removes them too).
    /// </summary>
    /// <returns>True when the question stands; false when it was taken back and the writer treats the person as erased.</returns>
    public static async Task<bool> AskAsync(this IComplianceApprovals approvals, ApprovalRequest request, ErasureRecheck erasure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(erasure);
        await approvals.RequestAsync(request, cancellationToken);
        return await erasure.WriteStandsAsync(request.AlumnusId, ct => approvals.RemoveAllAsync(request.AlumnusId, ct), cancellationToken);
    }
}

/// <summary>Where approvals are kept: one partition per alumnus, one row per subject.</summary>
public interface IApprovalStore
{
    Task<Approval?> GetAsync(AlumnusId alumnusId, string subject, CancellationToken cancellationToken);

    /// <summary>Every approval in a status, oldest request first.</summary>
    Task<IReadOnlyList<Approval>> ListAsync(ApprovalStatus status, CancellationToken cancellationToken);

    Task<IReadOnlyList<Approval>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Adds the approval unless one exists for its alumnus and subject.</summary>
    Task AddAsync(Approval approval, CancellationToken cancellationToken);

    /// <summary>Writes the approval if unchanged since read (ETag); false when it changed meanwhile.</summary>
    Task<bool> TryUpdateAsync(Approval approval, CancellationToken cancellationToken);

    Task RemoveAllAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}

/// <summary>The compliance approvals behind the port, on the approval store.</summary>
public sealed class ComplianceApprovals(IApprovalStore store) : IComplianceApprovals
{
    public async Task<bool> IsApprovedAsync(AlumnusId alumnusId, string subject, CancellationToken cancellationToken) =>
        ApprovalRequest.IsSubject(subject) && (await store.GetAsync(alumnusId, subject, cancellationToken))?.Status == ApprovalStatus.Approved;

    public Task RequestAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
        ApprovalRequest.IsSubject(request.Subject)
            ? store.AddAsync(new Approval(request, ApprovalStatus.Pending), cancellationToken)
            : throw new ArgumentException("An approval subject is 1-100 ASCII letters, digits, '-', ':' or '_'.", nameof(request));

    public Task RemoveAllAsync(AlumnusId alumnusId, CancellationToken cancellationToken) => store.RemoveAllAsync(alumnusId, cancellationToken);
}

/// <summary>The form of a decision in the approval queue.</summary>
public sealed record ApprovalDecision(string? AlumnusId, string? Subject, string? Decision, string? Reason)
{
    public const string AlumnusField = "alumnusId";
    public const string SubjectField = "subject";
    public const string DecisionField = "decision";
    public const string ReasonField = "reason";
    public const int MaxReasonLength = 500;
}

/// <summary>
/// The compliance team's queue: pending approvals, and deciding one with a reason. The follow-up its requester asked for
/// (delivering a collaboration request…) is written before the decision (intent first, <see cref="IntentWork"/>): a
/// crash after the decision's write cannot leave the request waiting forever, and a follow-up that runs before the
/// write, or after a lost race, re-reads the approval, finds it pending and sends nothing. Each decision is then audited
/// and written; a write lost to another decision or change is audited too (<see cref="DecisionNotSavedAction"/>), so the
/// log never leaves a decision that did not happen standing as the last word on the approval. Deciding again the same way changes nothing but schedules the follow-up again, so an officer who saw
/// an error simply repeats.
/// </summary>
public sealed partial class ManageApprovals(
    IApprovalStore store, IWorkItemStore work, ErasureRecheck erasure, IAuditLog audit, TimeProvider time, ILogger<ManageApprovals> logger,
    Microsoft.Extensions.Options.IOptions<ConflictOptions> options)
{
    public const string DecidedAction = "conflicts.approval.decided";

    /// <summary>
    /// The decision audited just before (<see cref="DecidedAction"/>, audit first) was not saved: another decision or change
    /// to the approval was written meanwhile. The entry before it records the decision taken, this one that it did not happen.
    /// </summary>
    public const string DecisionNotSavedAction = "conflicts.approval.decision-not-saved";

    /// <summary>
    /// A page of the pending approvals for <paramref name="actor"/> to read (oldest asked first, as a queue is worked, <see cref="ConflictOptions.AdminPageSize"/>
    /// at a time, each page after the cursor the previous one ended at): each names the alumnus and carries the requester
    /// and the reason, so reading a page is audited first, with every alumnus on it among the entry's subjects (ADR 0014),
    /// as the list of flagged alumni is. A cursor that is no cursor is refused before anything is read or audited. Someone
    /// whose erasure has begun is not in it (ADR 0008).
    /// </summary>
    /// <param name="after">Where the previous page ended (null or empty: the first page).</param>
    public async Task<AdminOutcome<ConflictPage<Approval>>> PendingAsync(string? after, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var cursor = ConflictCursor.Parse(after, IsCursorKey, errors);
        if (errors.Count > 0)
        {
            return new AdminOutcome<ConflictPage<Approval>>.Invalid(errors);
        }

        var pending = await store.ListAsync(ApprovalStatus.Pending, cancellationToken);
        var page = await ConflictCursor.PageOfAsync(pending, a => a.Request.RequestedAt, CursorKey, a => a.Request.AlumnusId, PageOrder.OldestFirst, cursor, after,
            options.Value.AdminPageSize, erasure, cancellationToken);
        var entry = new AuditEntry(time.GetUtcNow(), actor, ConflictAuditActions.ApprovalsRead, "", $"pending={page.Items.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, page.Items.Select(a => a.Request.AlumnusId).ToArray(), cancellationToken);
        return new AdminOutcome<ConflictPage<Approval>>.Done(page);
    }

    /// <summary>An approval's place among those asked at the same moment: <c>{alumnus id}-{subject}</c> (one per alumnus and subject).</summary>
    private static string CursorKey(Approval approval) => $"{approval.Request.AlumnusId.Value}-{approval.Request.Subject}";

    private static bool IsCursorKey(string key)
    {
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && Alumni.AlumnusId.TryParse(key[..dash], out _) && ApprovalRequest.IsSubject(key[(dash + 1)..]);
    }

    public async Task<AdminOutcome<Approval>> DecideAsync(ApprovalDecision decision, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var approve = decision.Decision switch
        {
            "approve" => true,
            "reject" => false,
            _ => Error(errors, new FieldError(ApprovalDecision.DecisionField, "must be approve or reject")),
        };
        // Measured as stored, with LF line breaks: a browser counts a line break as one character but sends CRLF.
        var reason = FreeText.NormaliseLineBreaks(decision.Reason ?? "").Trim();
        if (reason.Length is 0 or > ApprovalDecision.MaxReasonLength || reason.Any(c => FreeText.IsRefusedControl(c)))
        {
            errors.Add(new FieldError(ApprovalDecision.ReasonField, $"must be text of 1 to {ApprovalDecision.MaxReasonLength} characters: the reason is kept with the decision"));
        }
        else if (reason.Any(FreeText.IsMisleading))
        {
            errors.Add(new FieldError(ApprovalDecision.ReasonField, FreeText.MisleadingRule));
        }

        if (!Alumni.AlumnusId.TryParse(decision.AlumnusId, out var alumnusId) || !ApprovalRequest.IsSubject(decision.Subject))
        {
            return new AdminOutcome<Approval>.NotFound();
        }

        if (errors.Count > 0)
        {
            return new AdminOutcome<Approval>.Invalid(errors);
        }

        // Someone whose erasure has begun is treated as erased (ADR 0008): their questions are not in the queue, nor decided.
        if (await store.GetAsync(alumnusId, decision.Subject!, cancellationToken) is not { } approval || await erasure.BegunAsync(alumnusId, cancellationToken))
        {
            return new AdminOutcome<Approval>.NotFound();
        }

        var status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
        if (approval.Status != ApprovalStatus.Pending)
        {
            if (approval.Status != status)
            {
                return new AdminOutcome<Approval>.Conflict($"It was {approval.Status.ToString().ToLowerInvariant()} already; a decision is final.", ConflictCode.AlreadyDecided);
            }

            await FollowUpAsync(new IntentWork(work, time), approval, cancellationToken);
            return new AdminOutcome<Approval>.Done(approval);
        }

        var followUp = new IntentWork(work, time);
        await FollowUpAsync(followUp, approval, cancellationToken);
        var now = time.GetUtcNow();
        var decided = approval with { Status = status, DecidedBy = actor, DecidedAt = now, Reason = reason };
        // The reason is free text about the person: it stays on the approval, which erasure deletes, never in the audit
        // log, which outlives them (ADR 0014: the index holds ids only).
        await audit.WriteAsync(new AuditEntry(now, actor, DecidedAction, alumnusId.Value, $"{decision.Subject}: {status}; reason-chars={reason.Length}"), cancellationToken);
        if (!await store.TryUpdateAsync(decided, cancellationToken))
        {
            await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, DecisionNotSavedAction, alumnusId.Value,
                $"{decision.Subject}: {status} not saved: the approval changed meanwhile"), cancellationToken);
            return new AdminOutcome<Approval>.Conflict();
        }

        LogDecided();
        // Audited and written later than the follow-up (storage retries): that may have run already and found it pending.
        await FollowUpAsync(followUp, decided, cancellationToken);
        return new AdminOutcome<Approval>.Done(decided);
    }

    private static async Task FollowUpAsync(IntentWork followUp, Approval approval, CancellationToken cancellationToken)
    {
        if (approval.Request is { FollowUpKind: { } kind, FollowUpSubject: { } subject })
        {
            await followUp.EnsureAsync(kind, subject, cancellationToken);
        }
    }

    private static bool Error(List<FieldError> errors, FieldError error)
    {
        errors.Add(error);
        return false;
    }

    /// <summary>Whom, about what and how it was decided are in the audit log (access-controlled, erased with them), never in the logs.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "A compliance approval was decided")]
    private partial void LogDecided();
}
