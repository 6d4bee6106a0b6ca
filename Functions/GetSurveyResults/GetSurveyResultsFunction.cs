using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.GetSurveyResults;

/// <summary>
/// Admin or viewer: a survey version's results, <c>?version=&amp;wave=&amp;by=Department&amp;value=…</c>, from the aggregates, with
/// every group under the threshold (and every group subtraction would reveal) left empty. No personal data.
/// </summary>
public static class GetSurveyResultsFunction
{
    public const string Route = "/api/manage/surveys/{id:length(32)}/results";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string id, string? version, string? wave, string? by, string? value, SurveyResults results, CancellationToken cancellationToken) =>
    {
        var (query, errors) = ResultsQuery.Parse(version, wave, by, value);
        return query is null ? Problems.Invalid(errors) : (await results.GetAsync(id, query, cancellationToken)).ToHttp("survey");
    }).RequireAuthorization(AdminPolicies.Insights)
        .Produces<SurveyResultsView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
}
