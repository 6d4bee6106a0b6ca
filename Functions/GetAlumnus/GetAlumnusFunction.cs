using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.GetAlumnus;

/// <summary>
/// Admin: one alumnus with consent history, current consent, outreach decisions of the last year and the HR-only
/// flags. Requires the admin role; audited. The id is constrained to 32 characters so <c>export.csv</c> is never taken
/// for an id, here or in the Functions host's router.
/// </summary>
public static class GetAlumnusFunction
{
    public const string Route = "/api/manage/alumni/{id:length(32)}";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string id, AdminActor actor, GetAlumnusDetails details, CancellationToken cancellationToken) =>
        (await details.HandleAsync(id, actor.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData()
        .Produces<AlumnusDetails>().ProducesProblem(StatusCodes.Status404NotFound);
}
