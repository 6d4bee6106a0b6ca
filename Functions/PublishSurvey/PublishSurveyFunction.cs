using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.PublishSurvey;

/// <summary>
/// Admin: publishes the draft as the next version; its lifecycle waves start with the next daily run. Idempotent; audited.
/// 409 naming <c>closesAt</c> when the draft's closing time has passed, naming <c>version</c> when the survey has its last
/// version (<see cref="SurveyCampaigns.MaxVersion"/>). Optional If-Match (<see cref="EntityTags"/>): a
/// draft edited since is not published (a stale tag refuses publishing a draft only).
/// </summary>
public static class PublishSurveyFunction
{
    public const string Route = "/api/manage/surveys/{id:length(32)}/publish";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, HttpRequest request, AdminActor actor, ManageSurveys surveys, CancellationToken cancellationToken) =>
    {
        if (!EntityTags.TryReadIfMatch(request, out var seen, out var refused))
        {
            return refused;
        }

        var outcome = await surveys.PublishAsync(id, seen, actor.Id, cancellationToken);
        return outcome switch
        {
            AdminOutcome<SurveyView>.Conflict { Code: ConflictCode.ClosingTimePassed } => Problems.Conflict(ManageSurveys.ClosingTimePassed),
            AdminOutcome<SurveyView>.Conflict { Code: ConflictCode.LastVersion } => Problems.Conflict(ManageSurveys.LastVersion),
            _ => outcome.ToHttp(request.HttpContext, "survey", s => s.UpdatedAt),
        };
    }).RequireAuthorization(AdminAuthentication.PolicyName)
        .Produces<SurveyView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsIfMatch();
}
