using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Collaboration;

/// <summary>The audit actions of collaboration (ids only in subjects and details).</summary>
public static class CollaborationAuditActions
{
    public const string Requested = "collaboration.requested";
    public const string CardApproved = "collaboration.card.approved";
    public const string CardRejected = "collaboration.card.rejected";

    /// <summary>
    /// The review audited just before (approved or rejected, audit first) was not saved: the card changed meanwhile. The
    /// entry before it records the decision taken, this one that it did not happen.
    /// </summary>
    public const string CardReviewNotSaved = "collaboration.card.review-not-saved";

    /// <summary>An admin opened one card with the requests its alumnus received.</summary>
    public const string CardRead = "collaboration.card.read";

    /// <summary>An admin searched the cards (the alumni listed are its subjects).</summary>
    public const string CardsRead = "collaboration.cards.read";
}

/// <summary>What the admin API answers for a request it accepted.</summary>
/// <param name="Status"><see cref="RequestStatus.Pending"/> (on its way) or <see cref="RequestStatus.AwaitingApproval"/> (flagged alumnus).</param>
public sealed record CollaborationRequestView(string Id, string AlumnusId, RequestStatus Status, DateTimeOffset CreatedAt);

/// <summary>
/// Admin API: a collaboration request to a listed alumnus, from a current employee the admin names or from one of the
/// company's collaboration calls. Refused, with nothing stored, when the alumnus is not held (or their erasure has
/// begun), has no card listed for current employees (answered alike when they are no longer a member, e.g. rehired, or
/// asked not to be contacted: the send path would refuse both), paused requests, never agreed to receive them, is
/// flagged for a conflict of interest and the request is sensitive, or has had the most requests allowed in the window (<see cref="CollaborationOptions"/>).
/// A request to a flagged alumnus that is not sensitive waits for a compliance officer. The delivery is scheduled
/// before the request is written (intent first); the limit is counted and the request added in one transaction.
/// With an idempotency key, a repeat of the same request finds the first and changes nothing (ADR 0037), whatever the
/// alumnus's state is by then (the first may have taken the last place of the limit). A request (and its compliance
/// question) written as the alumnus's erasure began is taken back and answered as not found (<see cref="Privacy.ErasureRecheck"/>).
/// </summary>
public sealed partial class RequestCollaboration(
    IAlumniStore alumni,
    IConsentLedger consents,
    ICollaborationStore store,
    IComplianceApprovals approvals,
    CollaborationData collaboration,
    Privacy.ErasureRecheck erasure,
    IWorkItemStore work,
    IAuditLog audit,
    IdempotentCreates creates,
    IOptions<CollaborationOptions> options,
    CompanyMailDomains mailDomains,
    TimeProvider time,
    ILogger<RequestCollaboration> logger)
{
    public const int MaxReasonLength = 1000;
    public const int MaxNameLength = 200;

    private static readonly string[] Fields = ["alumnusId", "requesterKind", "requesterName", "requesterDepartment", "requesterEmail", "reason", "confidentiality"];

    public const string CreateKind = "collaboration-request";

    public async Task<AdminOutcome<CollaborationRequestView>> HandleAsync(
        ReadOnlyMemory<byte> body, string actor, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var keyed = creates.Of(CreateKind, actor, key, body.Span);
        var (parsed, errors) = Parse(body.Span, actor, now, mailDomains, keyed?.Id ?? CollaborationRequest.NewId());
        if (parsed is null)
        {
            return new AdminOutcome<CollaborationRequestView>.Invalid(errors);
        }

        var draft = parsed with { CreateHash = keyed?.BodyHash };
        Task<AdminOutcome<CollaborationRequestView>?> RepeatOfStored() =>
            KeyedCreate.RepeatOfStoredAsync(keyed, id => store.GetRequestAsync(draft.AlumnusId, id, cancellationToken), r => r.CreateHash, View);
        if (await RepeatOfStored() is { } repeat)
        {
            return repeat;
        }

        if (await alumni.GetAsync(draft.AlumnusId, cancellationToken) is not { ErasureStartedAt: null } alumnus)
        {
            return new AdminOutcome<CollaborationRequestView>.NotFound();
        }

        var settings = options.Value;
        var since = now - settings.RequestWindow;
        var card = await store.GetCardAsync(alumnus.Id, cancellationToken);
        // Not a member now (rehired) or not to be contacted: the delivery would refuse either, and the answer is the unlisted
        // card's, which the directory no longer lists for them (a member's page) or never did (do-not-contact is not the requester's to know).
        var refusal = card is not { ListedForEmployees: true } || alumnus.Status != AlumnusStatus.Joined || alumnus.DoNotContact
                ? "The alumnus has no collaboration card listed for current employees."
            : card.RequestsPaused ? "The alumnus has paused collaboration requests."
            : !(await consents.GrantedAsync(alumnus, cancellationToken)).Contains(ConsentPurpose.Collaboration) ? "The alumnus has not agreed to receive collaboration requests."
            : alumnus.ConflictOfInterest is not null && draft.Confidentiality == Confidentiality.Sensitive
                ? "The alumnus is flagged for a conflict of interest: sensitive requests never reach them."
            : (await store.RequestsToAsync(alumnus.Id, cancellationToken)).Count(r => r.CountsSince(since)) >= settings.MaxRequestsPerWindow
                ? LimitReached(settings)
            : null;
        if (refusal is not null)
        {
            return new AdminOutcome<CollaborationRequestView>.Conflict(refusal);
        }

        var request = alumnus.ConflictOfInterest is null ? draft : draft with { Status = RequestStatus.AwaitingApproval };
        var entry = new AuditEntry(now, actor, CollaborationAuditActions.Requested, alumnus.Id.Value,
            // Not the status: whether it waits for compliance would tell the alumnus, who reads this entry in their export, about the register.
            $"request={request.Id}; kind={request.Kind}; confidentiality={request.Confidentiality}");
        await audit.WriteAsync(entry, cancellationToken);
        var delivery = CollaborationWork.Deliver(request, now);
        await work.ScheduleAsync(delivery, cancellationToken);
        if (!await store.TryAddRequestAsync(request, settings.MaxRequestsPerWindow, since, cancellationToken))
        {
            // Another request took the last place since the count above, or a repeat of this one was added first (its
            // delivery is this request's: the send ledger mails it once); the scheduled delivery finds nothing more to send
            // (a request it does not find, it looks for until no create call can still be running). Either way this one
            // created nothing, which its entry above does not say.
            return await KeyedCreate.NotSavedAsync(audit, KeyedCreate.NotSaved(entry, CreateKind, request.Id, time.GetUtcNow()),
                RepeatOfStored, new AdminOutcome<CollaborationRequestView>.Conflict(LimitReached(settings)), cancellationToken);
        }

        if (request.Status == RequestStatus.AwaitingApproval)
        {
            // Also asked by the delivery when it runs: whichever comes first puts it in the compliance team's queue.
            await approvals.RequestAsync(ApprovalOf(request, delivery), cancellationToken);
        }

        // The erasure may have removed the alumnus's requests and approvals between the read above and these writes: then
        // they are taken back (all of them: the erasure removes the rest anyway) and the alumnus counts as erased.
        if (!await erasure.WriteStandsAsync(alumnus.Id, ct => collaboration.RemoveAsync(alumnus.Id, ct), cancellationToken))
        {
            return new AdminOutcome<CollaborationRequestView>.NotFound();
        }

        LogRequested(request.Id);
        return new AdminOutcome<CollaborationRequestView>.Done(View(request));
    }

    private static CollaborationRequestView View(CollaborationRequest request) => new(request.Id, request.AlumnusId.Value, request.Status, request.CreatedAt);

    /// <summary>The compliance question a request to a flagged alumnus asks, and the delivery its decision sets off.</summary>
    public static ApprovalRequest ApprovalOf(CollaborationRequest request, WorkItem delivery) => new(
        request.AlumnusId,
        request.ApprovalSubject,
        $"Collaboration request ({request.Kind}, {request.Confidentiality}) from {request.RequesterName} / {request.RequesterDepartment}: {request.Reason}",
        request.CreatedBy,
        request.CreatedAt,
        delivery.Kind,
        delivery.SubjectId);

    private static string LimitReached(CollaborationOptions settings) =>
        $"The alumnus has had {settings.MaxRequestsPerWindow} collaboration requests in the last {settings.RequestWindow.TotalDays:0} days, the most allowed; try again later.";

    /// <summary>
    /// The requester's address is their work address (the acceptance tells it the alumnus's name and personal address by
    /// company-internal mail, outside the consent rules): only an address at the company's mail domains is accepted.
    /// </summary>
    private static (CollaborationRequest?, IReadOnlyList<FieldError>) Parse(
        ReadOnlySpan<byte> body, string actor, DateTimeOffset now, CompanyMailDomains mailDomains, string newId)
    {
        var (fields, errors) = JsonFields.Read(body, Fields);
        if (fields is null || errors.Count > 0)
        {
            return (null, errors);
        }

        var alumnusText = fields.Text("alumnusId", 32, required: true);
        var kind = fields.Choice<RequesterKind>("requesterKind", required: true);
        var name = fields.Line("requesterName", MaxNameLength, required: true);
        var department = fields.Line("requesterDepartment", MaxNameLength, required: true);
        var email = fields.Email("requesterEmail", required: true);
        if (email is not null && !mailDomains.Contains(email))
        {
            fields.Errors.Add(new FieldError("requesterEmail", mailDomains.Rule));
        }

        var reason = fields.Text("reason", MaxReasonLength, required: true);
        var confidentiality = fields.Choice<Confidentiality>("confidentiality", required: true);
        var id = default(AlumnusId);
        if (alumnusText is not null && !AlumnusId.TryParse(alumnusText, out id))
        {
            fields.Errors.Add(new FieldError("alumnusId", "must be an alumnus id: 32 lower-case hex characters"));
        }

        return fields.Errors.Count > 0
            ? (null, fields.Errors)
            : (new CollaborationRequest(newId, id, kind!.Value, name!, department!, email!, reason!, confidentiality!.Value,
                RequestStatus.Pending, now, actor), []);
    }

    /// <summary>The request's id alone: not its alumnus, nor its status (waiting for compliance says they are flagged).</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Collaboration request {RequestId} created")]
    private partial void LogRequested(string requestId);
}
