using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListRehires;

/// <summary>
/// Recruiter or admin: alumni rehired in a period (<c>from</c>, <c>to</c>: dates), what reached them in the year before
/// (by kind of opening and of touch, first and last marked) and their time from departure to return. Audited.
/// </summary>
public static class ListRehiresFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/manage/rehires", async (
        string? from, string? to, AdminActor actor, Core.Rehires.ListRehires rehires, CancellationToken cancellationToken) =>
        (await rehires.HandleAsync(new RehireQuery(from, to), actor.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<RehireReport>().ProducesProblem(StatusCodes.Status400BadRequest);
}
