using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.SendOpening;

/// <summary>Recruiter or admin: sends an open opening to its matches as a campaign (purpose: job offers). Idempotent; audited. Optional If-Match (<see cref="EntityTags"/>): a stale one refuses the first send only.</summary>
public static class SendOpeningFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/manage/openings/{id:length(32)}/send", async (
        string id, HttpRequest request, AdminActor actor, ManageOpenings openings, CancellationToken cancellationToken) =>
        !EntityTags.TryReadIfMatch(request, out var seen, out var refused) ? refused
            : (await openings.SendAsync(id, seen, actor.Id, cancellationToken)).ToHttp(request.HttpContext, "opening", o => o.UpdatedAt))
        .RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<OpeningView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsIfMatch();
}
