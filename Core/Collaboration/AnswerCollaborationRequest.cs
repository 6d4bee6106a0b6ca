using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Collaboration;

public enum AnswerPageStatus
{
    /// <summary>The request, who asks and why, and the answer so far.</summary>
    Show,

    /// <summary>The answer was recorded now.</summary>
    Recorded,

    /// <summary>The same answer again (a link used twice): nothing changed.</summary>
    Unchanged,

    /// <summary>Answered the other way before: an answer is final, nothing changed.</summary>
    AlreadyAnswered,

    /// <summary>No such request for this alumnus (or it never reached them).</summary>
    NotFound,

    /// <summary>The request kept changing under the answer; nothing was recorded.</summary>
    Busy,

    Expired,
    Gone,
    Invalid,
}

public sealed record AnswerView(AnswerPageStatus Status, Alumnus? Alumnus, CollaborationRequest? Request = null);

/// <summary>
/// The page behind a collaboration request's accept and decline links: it shows who asks and why, and records the
/// alumnus's answer once. The requester is told by a work item scheduled before the answer is written (<see cref="IntentWork"/>:
/// due a moment later, again after a slow write), so a crash after the answer still tells them; only an acceptance
/// shares the alumnus's name and address with them.
/// An answer whose link was checked just before the alumnus's erasure began is answered as erased (ADR 0007). Nothing
/// needs taking back: the answer is an ETag write, which fails on a request the erasure removed and is removed with the
/// rest when it landed first, and the requester is never told about a person whose erasure has begun
/// (<see cref="SendCollaborationMail"/>).
/// </summary>
public sealed partial class AnswerCollaborationRequest(
    SignedLinkAccess links, ICollaborationStore store, Privacy.ErasureRecheck erasure, IWorkItemStore work, TimeProvider time, ILogger<AnswerCollaborationRequest> logger)
{
    private const int MaxAttempts = 5;

    public async Task<AnswerView> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var (view, _) = await OpenAsync(token, cancellationToken);
        return view;
    }

    public async Task<AnswerView> AnswerAsync(string? token, CollaborationAnswer answer, CancellationToken cancellationToken)
    {
        var (view, request) = await OpenAsync(token, cancellationToken);
        var wanted = answer == CollaborationAnswer.Accept ? RequestStatus.Accepted : RequestStatus.Declined;
        // Due a moment after the answer it announces, and written again when the write was slow: work that ran before the
        // answer landed found the request unanswered and completed, and nothing else would tell the requester.
        var tell = new IntentWork(work, time);
        for (var attempt = 0; request is not null && attempt < MaxAttempts; attempt++)
        {
            if (request.IsAnswered)
            {
                return view with { Status = request.Status == wanted ? AnswerPageStatus.Unchanged : AnswerPageStatus.AlreadyAnswered, Request = request };
            }

            var now = time.GetUtcNow();
            var subject = CollaborationWork.Answer(request, now).SubjectId;
            await tell.EnsureAsync(WorkKinds.CollaborationAnswer, subject, cancellationToken);
            var answered = request with { Status = wanted, AnsweredAt = now };
            if (await store.TryUpdateRequestAsync(answered, cancellationToken))
            {
                await tell.EnsureAsync(WorkKinds.CollaborationAnswer, subject, cancellationToken);
                LogAnswered(request.Id, wanted);
                return await erasure.BegunAsync(request.AlumnusId, cancellationToken)
                    ? new AnswerView(AnswerPageStatus.Gone, null)
                    : view with { Status = AnswerPageStatus.Recorded, Request = answered };
            }

            if (await store.GetRequestAsync(request.AlumnusId, request.Id, cancellationToken) is not { } fresh)
            {
                // Removed under the answer: by an erasure, or the purge of someone who never joined.
                return await erasure.BegunAsync(request.AlumnusId, cancellationToken)
                    ? new AnswerView(AnswerPageStatus.Gone, null)
                    : view with { Status = AnswerPageStatus.NotFound, Request = null };
            }

            request = fresh;
        }

        return request is null ? view : view with { Status = AnswerPageStatus.Busy };
    }

    /// <returns>The page for a link that opens no delivered request, or the request it opens.</returns>
    private async Task<(AnswerView View, CollaborationRequest? Request)> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.CollaborationAnswer, cancellationToken);
        switch (access.Status)
        {
            case LinkAccessStatus.Expired:
                return (new AnswerView(AnswerPageStatus.Expired, access.Alumnus), null);
            case LinkAccessStatus.Gone:
                return (new AnswerView(AnswerPageStatus.Gone, null), null);
            case LinkAccessStatus.Invalid:
                return (new AnswerView(AnswerPageStatus.Invalid, null), null);
        }

        // A genuine answer link always names its request; one without is not a link we issued.
        if (access.Scope is not { } requestId || !CollaborationRequest.IsId(requestId))
        {
            return (new AnswerView(AnswerPageStatus.Invalid, null), null);
        }

        var request = await store.GetRequestAsync(access.Required.Id, requestId, cancellationToken);
        return request is { Status: RequestStatus.Sent or RequestStatus.Accepted or RequestStatus.Declined }
            ? (new AnswerView(AnswerPageStatus.Show, access.Alumnus, request), request)
            : (new AnswerView(AnswerPageStatus.NotFound, access.Alumnus), null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Collaboration request {RequestId} answered: {Answer}")]
    private partial void LogAnswered(string requestId, RequestStatus answer);
}
