using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Collaboration;

/// <summary>
/// The mail of collaboration requests, for a dispatched work item. A request goes to its alumnus on the single send path
/// as promotional mail for <see cref="ConsentPurpose.Collaboration"/> (so consent, suppression, the quiet period and the
/// outreach cap all apply), and only while the card is listed, requests are not paused and no conflict of interest
/// stands in the way: sensitive requests never reach a flagged alumnus; others wait for a compliance officer. An answer
/// goes to the requester's work mailbox as company-internal mail. The Sends ledger keys each mail by the request, so a
/// redelivered message sends nothing twice; the request row records how it ended.
/// </summary>
public sealed partial class SendCollaborationMail(
    ICollaborationStore store,
    IAlumniStore alumni,
    IApprovalStore approvals,
    IComplianceApprovals compliance,
    ErasureRecheck erasure,
    ISendLedger sends,
    OutreachSender sender,
    Pseudonyms pseudonyms,
    AlumniLinks links,
    IOptions<CompanyOptions> company,
    CompanyCalendar calendar,
    CompanyMailDomains mailDomains,
    WorkItemRunner runner,
    TimeProvider time,
    ILogger<SendCollaborationMail> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// The <see cref="CollaborationRequest.Outcome"/> of an answered request whose requester address is not at the company's
    /// mail domains (stored before the rule, or the domains changed since): the answer is never sent there.
    /// </summary>
    public const string RequesterOutsideCompany = "requester-not-at-company-domains";

    /// <summary>
    /// The <see cref="CollaborationRequest.Outcome"/> of a request a compliance officer rejected: never delivered, even when
    /// the flag that asked for the approval is lifted before the decision's follow-up runs.
    /// </summary>
    public const string RejectedByCompliance = "approval-rejected";

    /// <summary>Why a request is not sent yet (the log's outcome): its flagged alumnus waits for a compliance officer.</summary>
    private const string WaitsForApproval = "awaiting-approval";

    /// <summary>Why a request or an answer was not sent (the log's outcome): the alumnus's erasure has begun.</summary>
    private const string AlumnusErasing = "alumnus-erasure-begun";

    public Task<WorkRunOutcome> HandleAsync(WorkMessage message, CancellationToken cancellationToken) =>
        runner.RunAsync(message, async ct =>
        {
            if (CollaborationWork.Of(message) is not { } subject)
            {
                return new WorkStep.Done();
            }

            // The delivery is written before its request (intent first): a request not there yet may still be being
            // added, so it is looked for again until no create call can still be running.
            var request = await store.GetRequestAsync(subject.AlumnusId, subject.RequestId, ct);
            if (request is null && message.Kind == Scheduling.WorkKinds.CollaborationRequest && time.GetUtcNow() < message.DueAt + IntentWork.SaveBound)
            {
                return new WorkStep.Later(time.GetUtcNow() + IntentWork.SaveRecheck, "the request may still be being added");
            }

            if (request is null || await alumni.GetAsync(subject.AlumnusId, ct) is not { } alumnus)
            {
                return new WorkStep.Done();
            }

            return message.Kind == Scheduling.WorkKinds.CollaborationAnswer
                ? await AnswerAsync(request, alumnus, ct)
                : await DeliverAsync(request, alumnus, ct);
        }, cancellationToken);

    private async Task<WorkStep> DeliverAsync(CollaborationRequest request, Alumnus alumnus, CancellationToken cancellationToken)
    {
        if (request.Status is not (RequestStatus.Pending or RequestStatus.AwaitingApproval))
        {
            return new WorkStep.Done();
        }

        // The alumnus counts as erased once their erasure has begun (ADR 0007): nothing is sent, asked or recorded; the
        // request is left as it is for the erasure to remove.
        if (alumnus.ErasureStartedAt is not null)
        {
            LogDelivery(request.Id, AlumnusErasing);
            return new WorkStep.Done();
        }

        // A mail that may have gone out already (its answer unknown, or the status write lost after the provider took it)
        // has put its answer links in the alumnus's hands: the request must stay answerable, so what changed since (the
        // alumnus paused requests with that very mail's link, a flag appeared) no longer refuses it. The send path then
        // finds the send final (Sent), or awaits its outcome (later), or, with no evidence after the window, sends again.
        var attempted = await sends.MayHaveReachedAsync(request.MailCampaignId, alumnus.Id.Value, cancellationToken);
        // A compliance officer's rejection is final, whatever the register says now: the flag may be lifted before the
        // decision's follow-up runs, and then nothing else would stand in the way. Read with or without a flag, and it
        // stops even a re-send after an unknown outcome (the send then ends unconfirmed, as any refused re-send does).
        var approval = await approvals.GetAsync(request.AlumnusId, request.ApprovalSubject, cancellationToken);
        var rejected = approval?.Status == ApprovalStatus.Rejected;
        var card = attempted || rejected ? null : await store.GetCardAsync(alumnus.Id, cancellationToken);
        var refusal = attempted ? null
            : rejected ? RejectedByCompliance
            : card is not { ListedForEmployees: true } ? "card-not-listed"
            : card.RequestsPaused ? "requests-paused"
            : alumnus.ConflictOfInterest is null ? null
            : request.Confidentiality == Confidentiality.Sensitive ? "conflict-of-interest"
            : approval?.Status == ApprovalStatus.Approved ? null
            : await AskApprovalAsync(request, approval, cancellationToken);
        if (refusal == AlumnusErasing)
        {
            LogDelivery(request.Id, AlumnusErasing);
            return new WorkStep.Done();
        }

        if (refusal == WaitsForApproval)
        {
            await ChangeAsync(request, r => r.Status == RequestStatus.Pending ? r with { Status = RequestStatus.AwaitingApproval } : null, cancellationToken);
            LogDelivery(request.Id, WaitsForApproval);
            return new WorkStep.Done();
        }

        if (refusal is not null)
        {
            await NotDeliveredAsync(request, refusal, cancellationToken);
            return new WorkStep.Done();
        }

        var outcome = await sender.SendAsync(alumnus, request.MailCampaignId, ConsentPurpose.Collaboration, stillWanted: !rejected, () => CollaborationMail.Request(
            request, alumnus, company.Value.Name,
            AnswerLink(request, alumnus, CollaborationAnswer.Accept), AnswerLink(request, alumnus, CollaborationAnswer.Decline), links.Absolute(LinkPurpose.CollaborationCard, alumnus)),
            cancellationToken);
        LogDelivery(request.Id, outcome.Reason);
        switch (outcome.Status)
        {
            case SendStatus.Sent or SendStatus.AlreadySent:
                await SentAsync(request, cancellationToken);
                return new WorkStep.Done();
            case SendStatus.Refused when !attempted:
                await NotDeliveredAsync(request, outcome.Reason, cancellationToken);
                return new WorkStep.Done();
            case SendStatus.Refused:
                // No re-send, but the first attempt may have arrived (the ledger ends it unconfirmed): its links stay live.
                await SentAsync(request, cancellationToken);
                return new WorkStep.Done();
            default:
                return new WorkStep.Later(outcome.RetryAt ?? time.GetUtcNow().AddMinutes(1), outcome.Reason);
        }
    }

    private async Task<WorkStep> AnswerAsync(CollaborationRequest request, Alumnus alumnus, CancellationToken cancellationToken)
    {
        if (!request.IsAnswered || request.RequesterTold)
        {
            return new WorkStep.Done();
        }

        // An answer recorded in the moment the alumnus's erasure began (ADR 0007): their name and address must not go out
        // now, nor the answer at all, which the erasure removes with the request. The requester is told nothing, as when
        // the person's row is gone already; the request is left as it is for the erasure to remove.
        if (alumnus.ErasureStartedAt is not null)
        {
            LogAnswerSent(request.Id, AlumnusErasing);
            return new WorkStep.Done();
        }

        // Checked again here, not only when the request was made: the answer carries the alumnus's name and address, and a
        // request stored before the rule (or before the domains changed) may name a private address. Final: the request
        // keeps its answer, records why its requester was not told, and no later run sends it.
        if (!mailDomains.Contains(request.RequesterEmail))
        {
            LogAnswerSent(request.Id, RequesterOutsideCompany);
            await ChangeAsync(request, r => r.Outcome == RequesterOutsideCompany ? null : r with { Outcome = RequesterOutsideCompany }, cancellationToken);
            return new WorkStep.Done();
        }

        var card = await store.GetCardAsync(alumnus.Id, cancellationToken);
        var outcome = await sender.SendInternalAsync(request.RequesterEmail, pseudonyms.Of("work-email", request.RequesterEmail.Normalized),
            request.AnswerCampaignId, () => CollaborationMail.Answer(request, alumnus, card, company.Value.Name, calendar), cancellationToken);
        LogAnswerSent(request.Id, outcome.Reason);
        if (outcome.Status == SendStatus.Deferred)
        {
            return new WorkStep.Later(outcome.RetryAt ?? time.GetUtcNow().AddMinutes(1), outcome.Reason);
        }

        await ChangeAsync(request, r => r.RequesterTold ? null : r with { RequesterTold = true }, cancellationToken);
        return new WorkStep.Done();
    }

    /// <summary>
    /// Puts the request in the compliance team's queue (idempotently) while it has no approval: it waits for one. The
    /// alumnus was read before the ask: when their erasure has begun since, the question is taken back and they count as erased.
    /// </summary>
    private async Task<string> AskApprovalAsync(CollaborationRequest request, Approval? approval, CancellationToken cancellationToken) =>
        approval is not null || await compliance.AskAsync(RequestCollaboration.ApprovalOf(request, CollaborationWork.Deliver(request, request.CreatedAt)), erasure, cancellationToken)
            ? WaitsForApproval
            : AlumnusErasing;

    /// <summary>The request the alumnus answers through this link: the answer is preselected, the page still asks to confirm.</summary>
    public Uri AnswerLink(CollaborationRequest request, Alumnus alumnus, CollaborationAnswer answer) =>
        links.Absolute(LinkPurpose.CollaborationAnswer, alumnus, $"choice={answer.ToString().ToLowerInvariant()}", request.Id);

    private Task SentAsync(CollaborationRequest request, CancellationToken cancellationToken) =>
        ChangeAsync(request, r => r.Status is RequestStatus.Pending or RequestStatus.AwaitingApproval
            ? r with { Status = RequestStatus.Sent, SentAt = time.GetUtcNow() } : null, cancellationToken);

    private Task NotDeliveredAsync(CollaborationRequest request, string reason, CancellationToken cancellationToken)
    {
        LogDelivery(request.Id, reason);
        return ChangeAsync(request, r => r.Status is RequestStatus.Pending or RequestStatus.AwaitingApproval
            ? r with { Status = RequestStatus.NotDelivered, Outcome = reason } : null, cancellationToken);
    }

    /// <summary>Applies <paramref name="change"/> (null: nothing to change) with the request's ETag, reading again on a conflict.</summary>
    private async Task ChangeAsync(CollaborationRequest request, Func<CollaborationRequest, CollaborationRequest?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (change(request) is not { } changed || await store.TryUpdateRequestAsync(changed, cancellationToken))
            {
                return;
            }

            if (await store.GetRequestAsync(request.AlumnusId, request.Id, cancellationToken) is not { } fresh)
            {
                return;
            }

            request = fresh;
        }

        throw new Azure.RequestFailedException(412, "The collaboration request kept changing while its delivery was recorded.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Collaboration request {RequestId}: {Outcome}")]
    private partial void LogDelivery(string requestId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer to collaboration request {RequestId} for its requester: {Outcome}")]
    private partial void LogAnswerSent(string requestId, string outcome);
}
