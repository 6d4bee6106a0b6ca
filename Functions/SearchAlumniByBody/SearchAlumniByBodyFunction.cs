using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.SearchAlumni;

namespace AlumniNetwork.Functions.SearchAlumniByBody;

/// <summary>
/// Admin: search alumni by name or email text, department, status and granted consent, 100 a page, with the criteria
/// in a JSON body (<see cref="AlumniSearchBody"/>): the Functions host records every URL it proxies, so the text, a
/// name or an email address, must not be in one (ADR 0005). Audited like every search.
/// </summary>
public static class SearchAlumniByBodyFunction
{
    /// <summary>A literal segment, and the id route is constrained to 32 characters, so this never reaches GetAlumnus.</summary>
    public const string Route = "/api/manage/alumni/search";
    public const int MaxBodyBytes = 4 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        HttpRequest request, AdminActor actor, Core.Admin.SearchAlumni search, CancellationToken cancellationToken) =>
    {
        if (SearchAlumniFunction.TextInUrl(request) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await search.HandleAsync(body, actor.Id, cancellationToken)).ToHttp();
    }).RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData()
        .Accepts<AlumniSearchBody>("application/json").Produces<AlumniSearchPage>().ProducesProblem(StatusCodes.Status400BadRequest);
}
