using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.GetSurvey;

/// <summary>Admin: one survey with its versions and the campaigns of its waves (counts only). Its ETag is the survey's version (If-Match of an edit or a publish).</summary>
public static class GetSurveyFunction
{
    public const string Route = "/api/manage/surveys/{id:length(32)}";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (string id, HttpContext context, ManageSurveys surveys, CancellationToken cancellationToken) =>
        (await surveys.GetAsync(id, cancellationToken)).ToHttp(context, "survey", s => s.UpdatedAt))
        .RequireAuthorization(AdminAuthentication.PolicyName).Produces<SurveyView>().ProducesProblem(StatusCodes.Status404NotFound).AnswersWithETag();
}
