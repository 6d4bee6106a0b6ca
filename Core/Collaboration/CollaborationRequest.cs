using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Collaboration;

public enum RequesterKind
{
    /// <summary>A current employee, named by the admin who acts for them.</summary>
    Employee,

    /// <summary>One of the company's collaboration calls (a programme with its own mailbox).</summary>
    Call,
}

public enum Confidentiality
{
    Normal,

    /// <summary>Never reaches an alumnus flagged for a conflict of interest.</summary>
    Sensitive,
}

public enum RequestStatus
{
    /// <summary>Accepted for delivery; the email is on its way.</summary>
    Pending,

    /// <summary>The alumnus is flagged: the request waits for a compliance officer's approval.</summary>
    AwaitingApproval,

    /// <summary>Delivered to the alumnus, who has not answered yet.</summary>
    Sent,
    Accepted,
    Declined,

    /// <summary>Never reached the alumnus (<see cref="CollaborationRequest.Outcome"/> says why); it does not count towards the limit.</summary>
    NotDelivered,
}

public enum CollaborationAnswer
{
    Accept,
    Decline,
}

/// <summary>
/// A request to collaborate, sent through the platform: who asks (an employee, or a collaboration call, with a work
/// mailbox), why, and how confidential it is. The alumnus sees who asks and why; the requester gets the alumnus's
/// contact details only when the alumnus accepts.
/// </summary>
/// <param name="Id">32 lower-case hex characters; the scope of its answer links.</param>
/// <param name="RequesterName">The employee's name, or the call's title.</param>
/// <param name="CreatedBy">The admin who sent it (subject id).</param>
public sealed record CollaborationRequest(
    string Id,
    AlumnusId AlumnusId,
    RequesterKind Kind,
    string RequesterName,
    string RequesterDepartment,
    EmailAddress RequesterEmail,
    string Reason,
    Confidentiality Confidentiality,
    RequestStatus Status,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    public DateTimeOffset? SentAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>
    /// Why it was not delivered (an outreach rule's reason, <c>card-withdrawn</c>, <c>approval-rejected</c>…), or, on an
    /// answered request, why its requester was not told (<see cref="SendCollaborationMail.RequesterOutsideCompany"/>).
    /// </summary>
    public string? Outcome { get; init; }

    /// <summary>The requester has been told the answer.</summary>
    public bool RequesterTold { get; init; }

    /// <summary>The keyed hash of the body that created it under an idempotency key (ADR 0037); null without one.</summary>
    public string? CreateHash { get; init; }

    public string? ETag { get; init; }

    /// <summary>The subject of its compliance approval, when the alumnus is flagged.</summary>
    public string ApprovalSubject => $"collaboration:{Id}";

    /// <summary>The Sends ledger's campaign id of the request email: at most one per request, whatever is retried.</summary>
    public string MailCampaignId => $"collaboration-{Id}";

    public string AnswerCampaignId => $"collaboration-{Id}-answer";

    public bool IsAnswered => Status is RequestStatus.Accepted or RequestStatus.Declined;

    /// <summary>Counts towards the alumnus's limit when made since <paramref name="since"/> and not stopped before it reached them.</summary>
    public bool CountsSince(DateTimeOffset since) => CreatedAt > since && Status != RequestStatus.NotDelivered;

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);
}

/// <summary>The scheduled work of collaboration requests: one work subject per request (alumnus and request id).</summary>
public static class CollaborationWork
{
    public static WorkItem Deliver(CollaborationRequest request, DateTimeOffset due) =>
        new() { Kind = WorkKinds.CollaborationRequest, SubjectId = SubjectOf(request), DueAt = due };

    public static WorkItem Answer(CollaborationRequest request, DateTimeOffset due) =>
        new() { Kind = WorkKinds.CollaborationAnswer, SubjectId = SubjectOf(request), DueAt = due };

    /// <summary>The alumnus and request a work item is about, or null when the subject is not one of ours.</summary>
    public static (AlumnusId AlumnusId, string RequestId)? Of(WorkMessage message) =>
        message.SubjectId.Split('-') is [var alumnus, var request] && AlumnusId.TryParse(alumnus, out var id) && CollaborationRequest.IsId(request)
            ? (id, request)
            : null;

    private static string SubjectOf(CollaborationRequest request) => $"{request.AlumnusId.Value}-{request.Id}";
}
