using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Collaboration;

/// <summary>A review decision as posted from the console.</summary>
public sealed record CardReview(string? Decision, string? Reason)
{
    public const string DecisionField = "decision";
    public const string ReasonField = "reason";
    public const int MaxReasonLength = 500;
}

/// <summary>
/// Admins review cards before they are listed: approve, or reject with a reason the alumnus sees. Only a card awaiting
/// review can be decided; deciding it again the same way changes nothing. Audited before it is written (ADR 0005); the
/// review is refused (stale) when the card was submitted again after the admin's page was loaded, and the write is
/// conditional on the card as read, so an alumnus's change is never approved unseen. A write lost to such a change is
/// audited too (<see cref="CollaborationAuditActions.CardReviewNotSaved"/>), so the log never leaves a decision that did
/// not happen standing as the last word on the card.
/// </summary>
public sealed partial class ModerateCards(ICollaborationStore store, IAuditLog audit, TimeProvider time, ILogger<ModerateCards> logger)
{
    /// <param name="seen">The submission the admin reviewed (<see cref="RecordVersion"/> of <see cref="CollaborationCard.SubmittedAt"/>):
    /// when the alumnus submitted other content since, nothing is written or audited. Null: any.</param>
    public async Task<AdminOutcome<CollaborationCard>> ReviewAsync(string id, CardReview review, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var approve = review.Decision switch
        {
            "approve" => true,
            "reject" => false,
            _ => Refuse(errors, new FieldError(CardReview.DecisionField, "must be approve or reject")),
        };
        // Measured as stored, with LF line breaks: the textarea counts a line break as one character but sends CRLF.
        var reason = FreeText.NormaliseLineBreaks(review.Reason ?? "").Trim();
        if (reason.Length > CardReview.MaxReasonLength || reason.Any(c => FreeText.IsRefusedControl(c)))
        {
            errors.Add(new FieldError(CardReview.ReasonField, $"must be at most {CardReview.MaxReasonLength} characters without control characters"));
        }
        else if (reason.Any(FreeText.IsMisleading))
        {
            // The alumnus is shown the reason: it must read as it is.
            errors.Add(new FieldError(CardReview.ReasonField, FreeText.MisleadingRule));
        }
        else if (review.Decision == "reject" && reason.Length == 0)
        {
            errors.Add(new FieldError(CardReview.ReasonField, "is required to reject a card: the alumnus is shown it"));
        }

        if (!AlumnusId.TryParse(id, out var alumnusId) || await store.GetCardAsync(alumnusId, cancellationToken) is not { } card)
        {
            return new AdminOutcome<CollaborationCard>.NotFound();
        }

        if (errors.Count > 0)
        {
            return new AdminOutcome<CollaborationCard>.Invalid(errors);
        }

        if (seen is { } version && !version.Matches(card.SubmittedAt))
        {
            return new AdminOutcome<CollaborationCard>.Stale();
        }

        var status = approve ? CardStatus.Listed : CardStatus.Rejected;
        if (card.Status != CardStatus.PendingReview)
        {
            return card.Status == status
                ? new AdminOutcome<CollaborationCard>.Done(card)
                : new AdminOutcome<CollaborationCard>.Conflict($"The card is {card.Status} already: only a card awaiting review can be decided.");
        }

        var now = time.GetUtcNow();
        await audit.WriteAsync(new AuditEntry(now, actor, approve ? CollaborationAuditActions.CardApproved : CollaborationAuditActions.CardRejected,
            // The reason is free text that often quotes the card (a phone number, an employer): it stays on the card, which
            // erasure deletes, never in the audit log, which outlives the person (ADR 0014: the index holds ids only).
            alumnusId.Value, approve ? "listed" : $"rejected; reason-chars={reason.Length}"), cancellationToken);
        var reviewed = card with { Status = status, ReviewedAt = now, ReviewedBy = actor, RejectionReason = approve ? null : reason };
        if (await store.TrySaveCardAsync(reviewed, cancellationToken) is not { } saved)
        {
            await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, CollaborationAuditActions.CardReviewNotSaved, alumnusId.Value,
                $"{review.Decision} not saved: the card changed meanwhile"), cancellationToken);
            return new AdminOutcome<CollaborationCard>.Conflict("The alumnus changed the card meanwhile; review it again.");
        }

        LogReviewed(status);
        return new AdminOutcome<CollaborationCard>.Done(saved);
    }

    private static bool Refuse(List<FieldError> errors, FieldError error)
    {
        errors.Add(error);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A collaboration card reviewed: {Status}")]
    private partial void LogReviewed(CardStatus status);
}
