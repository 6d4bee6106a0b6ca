using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.SearchAlumni;

/// <summary>
/// Admin: list alumni by department, status and granted consent, 100 a page. Audited. Search text (a name or an email
/// address) is refused here: it goes in the body of <c>POST /api/manage/alumni/search</c>, never in a URL (ADR 0005).
/// </summary>
public static class SearchAlumniFunction
{
    public const string Route = "/api/manage/alumni";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        HttpRequest request, string? department, string? status, string? consent, string? page,
        AdminActor actor, Core.Admin.SearchAlumni search, CancellationToken cancellationToken) =>
        TextInUrl(request) ?? (await search.HandleAsync(new AlumniSearchRequest(null, department, status, consent, page), actor.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData()
        .Produces<AlumniSearchPage>().ProducesProblem(StatusCodes.Status400BadRequest);

    /// <summary>A 400 naming <c>q</c> when the URL carries search text (empty or not), before anything is read or audited; else null.</summary>
    public static IResult? TextInUrl(HttpRequest request) =>
        request.Query.ContainsKey(AlumniSearchBody.QField)
            ? Problems.Invalid([new FieldError(AlumniSearchBody.QField, AlumniSearchRequest.TextInUrlRule)])
            : null;
}
