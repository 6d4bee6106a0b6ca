using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.CreateSurvey;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.EditSurvey;

/// <summary>
/// Admin: replaces the survey's draft (the same body as create). A published version never changes: the draft becomes
/// the next version when it is published. The mode cannot change after the first publication; 409 naming <c>version</c>
/// once the survey has its last version (<see cref="SurveyCampaigns.MaxVersion"/>). Audited. Optional If-Match
/// (<see cref="EntityTags"/>): a survey changed since (another admin's edit, a publish) is not written over.
/// </summary>
public static class EditSurveyFunction
{
    public const string Route = "/api/manage/surveys/{id:length(32)}";

    public static void Map(IEndpointRouteBuilder app) => app.MapPut(Route, async (
        string id, HttpRequest request, AdminActor actor, ManageSurveys surveys, CancellationToken cancellationToken) =>
    {
        if (!EntityTags.TryReadIfMatch(request, out var seen, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, CreateSurveyFunction.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var outcome = await surveys.EditAsync(id, body, seen, actor.Id, cancellationToken);
        return outcome is AdminOutcome<SurveyView>.Conflict { Code: ConflictCode.LastVersion }
            ? Problems.Conflict(ManageSurveys.LastVersion)
            : outcome.ToHttp(request.HttpContext, "survey", s => s.UpdatedAt);
    }).RequireAuthorization(AdminAuthentication.PolicyName)
        .Accepts<SurveyContent>("application/json").Produces<SurveyView>()
        .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsIfMatch();
}
