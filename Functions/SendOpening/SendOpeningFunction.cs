using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.SendOpening;

/// <summary>Recruiter or admin: sends an open opening to its matches as a campaign (purpose: job offers). Idempotent; audited.</summary>
public static class SendOpeningFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/admin/openings/{id:length(32)}/send", async (
        string id, AdminActor actor, ManageOpenings openings, CancellationToken cancellationToken) =>
        (await openings.SendAsync(id, seen: null, actor.Id, cancellationToken)).ToHttp("opening"))
        .RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<OpeningView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
