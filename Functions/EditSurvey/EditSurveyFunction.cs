using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.CreateSurvey;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.EditSurvey;

/// <summary>
/// Admin: replaces the survey's draft (the same body as create). A published version never changes: the draft becomes
/// the next version when it is published. The mode cannot change after the first publication. Audited.
/// </summary>
public static class EditSurveyFunction
{
    public const string Route = "/api/manage/surveys/{id:length(32)}";

    public static void Map(IEndpointRouteBuilder app) => app.MapPut(Route, async (
        string id, HttpRequest request, AdminActor actor, ManageSurveys surveys, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, CreateSurveyFunction.MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await surveys.EditAsync(id, body, actor.Id, cancellationToken)).ToHttp("survey");
    }).RequireAuthorization(AdminAuthentication.PolicyName)
        .Accepts<SurveyContent>("application/json").Produces<SurveyView>()
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
