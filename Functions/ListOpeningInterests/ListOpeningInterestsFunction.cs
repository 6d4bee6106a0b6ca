using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListOpeningInterests;

/// <summary>Recruiter or admin: the interest an opening received, newest first, with each note. Audited with the people it shows.</summary>
public static class ListOpeningInterestsFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/manage/openings/{id:length(32)}/interests", async (
        string id, AdminActor actor, ManageOpenings openings, CancellationToken cancellationToken) =>
        (await openings.InterestsAsync(id, actor.Id, cancellationToken)).ToHttp("opening"))
        .RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<IReadOnlyList<InterestView>>().ProducesProblem(StatusCodes.Status404NotFound);
}
