using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListSurveys;

/// <summary>Admin: every survey, newest first, with its draft and live version (no answers, no people).</summary>
public static class ListSurveysFunction
{
    public const string Route = "/api/manage/surveys";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (ManageSurveys surveys, CancellationToken cancellationToken) =>
        Results.Ok(await surveys.ListAsync(cancellationToken)))
        .RequireAuthorization(AdminAuthentication.PolicyName).Produces<IReadOnlyList<SurveyView>>();
}
