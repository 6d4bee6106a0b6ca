using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;

namespace AlumniNetwork.Core.Collaboration;

/// <summary>
/// A collaboration request as the alumnus's export shows it. One never sent to them (<see cref="CollaborationData.NotSent"/>)
/// shows only its id, kind and creation: who asked, why and how confidential are null.
/// </summary>
public sealed record RequestExport(string Id, string RequesterKind, string? Requester, string? RequesterDepartment, string? Reason, string? Confidentiality,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? AnsweredAt);

/// <summary>The card (with its review) and every request to the alumnus, for the personal data export.</summary>
public sealed record CollaborationExport(object? Card, IReadOnlyList<RequestExport> Requests);

/// <summary>
/// What collaboration and the conflict-of-interest checks hold about one alumnus, for the privacy rights: the export
/// gets the card and the requests; erasure removes them with the assessment and the compliance approvals. The
/// conflict-of-interest assessment and anything that would reveal it (a request waiting for a compliance officer, or not
/// delivered because of the register) are withheld from the export and the export says so (ADR 0031).
/// </summary>
public sealed class CollaborationData(ICollaborationStore store, IConflictAssessments assessments, IApprovalStore approvals)
{
    /// <summary>
    /// The status the export gives every request not sent to the alumnus, whether still on its way, waiting for a compliance
    /// officer or stopped by any rule: only a uniform status, and no requester or reason, keeps a request the register held
    /// back from looking different from any other.
    /// </summary>
    public const string NotSent = "NotSent";

    /// <summary>The reason the export gives for what it withholds.</summary>
    public const string WithheldReason =
        "利益相反の確認（対象組織の一覧とその判定）は、業務の適正な実施に著しい支障を及ぼすおそれがあるため開示していません（個人情報保護法第33条第2項第2号）。 " +
        "Withheld: conflict-of-interest checks (the register of organisations and what it decided) could seriously interfere with the company's business if disclosed (APPI Article 33(2)(ii)).";

    /// <summary>Audit entries of the conflict-of-interest checks (reading the flagged list, approvals): withheld with the rest.</summary>
    public static bool IsWithheld(Audit.AuditEntry entry) => entry.Action.StartsWith("conflicts.", StringComparison.Ordinal);

    /// <summary>
    /// Open work that would reveal a check: an approved opening's send (<see cref="Scheduling.WorkKinds.OpeningApproved"/>)
    /// exists only for someone the register flagged, so its kind alone tells them. Withheld with the rest.
    /// </summary>
    public static bool IsWithheld(Scheduling.WorkItem item) => IsWithheldKind(item.Kind);

    /// <summary>Work of this kind is withheld (<see cref="IsWithheld(Scheduling.WorkItem)"/>).</summary>
    public static bool IsWithheldKind(string workKind) => workKind == Scheduling.WorkKinds.OpeningApproved;

    /// <summary>
    /// An allowed decision on an opening's campaign: batches log only refusals, so one exists only for the one-to-one send
    /// of an opening approved for someone the register flagged (<see cref="Openings.SendApprovedOpening"/>). Withheld with the rest.
    /// </summary>
    public static bool IsWithheld(Outreach.OutreachDecision decision) => decision.Allowed && Openings.Opening.IdFrom(decision.CampaignId) is not null;

    /// <summary>
    /// A send's provider message id as the export shows it: none on an opening's campaign, where only that one-to-one send
    /// has one (a batch's rows never do), so it would tell. The send itself is shown, as a batch recipient's is.
    /// </summary>
    public static string ExportedMessageId(Sends.SendRecord send) => Openings.Opening.IdFrom(send.CampaignId) is null ? send.ProviderMessageId : "";

    public async Task<CollaborationExport> ExportAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var card = await store.GetCardAsync(alumnusId, cancellationToken);
        var requests = await store.RequestsToAsync(alumnusId, cancellationToken);
        return new CollaborationExport(
            card is null ? null : new
            {
                fields = Enum.GetValues<CardField>().Where(f => card.ValueOf(f).Length > 0).ToDictionary(f => f.ToString(), card.ValueOf),
                industry = card.Industry.ToString(),
                card.VisibleToMembers,
                card.VisibleToEmployees,
                card.RequestsPaused,
                status = card.Status.ToString(),
                card.SubmittedAt,
                card.ReviewedAt,
                card.RejectionReason,
            },
            requests.Select(Exported).ToArray());
    }

    /// <summary>Removes the card, the requests, the conflict-of-interest assessment and the approvals; removing twice is harmless.</summary>
    public async Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        await store.RemoveAllAsync(alumnusId, cancellationToken);
        await approvals.RemoveAllAsync(alumnusId, cancellationToken);
        await assessments.RemoveAsync(alumnusId, cancellationToken);
    }

    /// <summary>
    /// A request as shown: in full once it was sent (the alumnus has had who asks and why); otherwise, on its way or stopped
    /// by any rule, only its id, kind and creation under <see cref="NotSent"/>, with nothing (status, outcome, requester,
    /// reason, confidentiality) that could set one the register held back apart from the rest.
    /// </summary>
    private static RequestExport Exported(CollaborationRequest r) => r.SentAt is null
        ? new RequestExport(r.Id, r.Kind.ToString(), null, null, null, null, NotSent, r.CreatedAt, null, null)
        : new RequestExport(r.Id, r.Kind.ToString(), r.RequesterName, r.RequesterDepartment, r.Reason, r.Confidentiality.ToString(),
            r.Status.ToString(), r.CreatedAt, r.SentAt, r.AnsweredAt);
}
