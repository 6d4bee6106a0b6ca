using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.SearchAlumni;

/// <summary>Admin: search alumni by name or email text, department, status and granted consent, 100 a page. Audited.</summary>
public static class SearchAlumniFunction
{
    public const string Route = "/api/admin/alumni";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string? q, string? department, string? status, string? consent, string? page,
        AdminActor actor, Core.Admin.SearchAlumni search, CancellationToken cancellationToken) =>
        (await search.HandleAsync(new AlumniSearchRequest(q, department, status, consent, page), actor.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData()
        .Produces<AlumniSearchPage>().ProducesProblem(StatusCodes.Status400BadRequest);
}
