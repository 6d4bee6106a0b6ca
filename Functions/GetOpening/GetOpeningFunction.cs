using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.GetOpening;

/// <summary>Recruiter or admin: one opening, how many are interested and, once sent, its campaign's progress. Its ETag is the opening's version (If-Match of a change).</summary>
public static class GetOpeningFunction
{
    public const string Route = "/api/manage/openings/{id:length(32)}";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (string id, HttpContext context, ManageOpenings openings, CancellationToken cancellationToken) =>
        (await openings.GetAsync(id, cancellationToken)).ToHttp(context, "opening", o => o.UpdatedAt))
        .RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<OpeningView>().ProducesProblem(StatusCodes.Status404NotFound).AnswersWithETag();
}
