using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.PublishSurvey;

/// <summary>Admin: publishes the draft as the next version; its lifecycle waves start with the next daily run. Idempotent; audited.</summary>
public static class PublishSurveyFunction
{
    public const string Route = "/api/manage/surveys/{id:length(32)}/publish";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, AdminActor actor, ManageSurveys surveys, CancellationToken cancellationToken) =>
        (await surveys.PublishAsync(id, actor.Id, cancellationToken)).ToHttp("survey"))
        .RequireAuthorization(AdminAuthentication.PolicyName)
        .Produces<SurveyView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
