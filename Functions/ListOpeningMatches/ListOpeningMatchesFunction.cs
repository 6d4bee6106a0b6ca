using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListOpeningMatches;

/// <summary>Recruiter or admin: who the opening is for, with every reason, before it is sent. Audited with the people it shows.</summary>
public static class ListOpeningMatchesFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/manage/openings/{id:length(32)}/matches", async (
        string id, AdminActor actor, ManageOpenings openings, CancellationToken cancellationToken) =>
        (await openings.MatchesAsync(id, actor.Id, cancellationToken)).ToHttp("opening"))
        .RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<MatchList>().ProducesProblem(StatusCodes.Status404NotFound);
}
