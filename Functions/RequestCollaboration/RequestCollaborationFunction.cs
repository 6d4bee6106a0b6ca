using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.RequestCollaboration;

/// <summary>
/// Admin: a collaboration request to a listed alumnus, for a named current employee or one of the company's collaboration
/// calls. 201 when it is on its way, 202 when the alumnus is flagged and it waits for a compliance officer; 409 when it
/// may not be sent (unlisted, paused, no consent, sensitive to a flagged alumnus, the limit); nothing stored then. Audited.
/// An <c>Idempotency-Key</c> makes a retry answer 200 with the first request instead of sending a second (ADR 0037).
/// </summary>
public static class RequestCollaborationFunction
{
    public const string Route = "/api/manage/collaboration/requests";
    public const int MaxBodyBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        HttpRequest request, AdminActor actor, Core.Collaboration.RequestCollaboration requests, CancellationToken cancellationToken) =>
    {
        if (!IdempotencyKeys.TryRead(request, out var key, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var outcome = await requests.HandleAsync(body, actor.Id, key, cancellationToken);
        return outcome is AdminOutcome<CollaborationRequestView>.Done { Value: var created }
            ? created.Status == RequestStatus.AwaitingApproval ? Results.Accepted(value: created) : Results.Created((string?)null, created)
            : outcome.ToHttp();
    })
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData()
        .Accepts<CollaborationRequestBody>("application/json")
        .Produces<CollaborationRequestView>(StatusCodes.Status201Created).Produces<CollaborationRequestView>(StatusCodes.Status202Accepted)
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
        .AcceptsIdempotencyKey<CollaborationRequestView>("the alumnus the request is to: the same key for another alumnus creates a request to them");
}

/// <summary>The request body, for the API document (the use case reads it field by field).</summary>
/// <param name="RequesterKind"><c>Employee</c> or <c>Call</c>.</param>
/// <param name="RequesterEmail">The employee's or the call's work mailbox: the alumnus's contact details go there on acceptance.</param>
/// <param name="Confidentiality"><c>Normal</c> or <c>Sensitive</c> (never reaches an alumnus flagged for a conflict of interest).</param>
public sealed record CollaborationRequestBody(
    string AlumnusId, string RequesterKind, string RequesterName, string RequesterDepartment, string RequesterEmail, string Reason, string Confidentiality);
