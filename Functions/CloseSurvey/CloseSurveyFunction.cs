using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.CloseSurvey;

/// <summary>Admin: closes the survey: no more waves or answers, and the anonymous pseudonym key and guards are destroyed. Idempotent; audited.</summary>
public static class CloseSurveyFunction
{
    public const string Route = "/api/manage/surveys/{id:length(32)}/close";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, AdminActor actor, ManageSurveys surveys, CancellationToken cancellationToken) =>
        (await surveys.CloseAsync(id, actor.Id, cancellationToken)).ToHttp("survey"))
        .RequireAuthorization(AdminAuthentication.PolicyName).Produces<SurveyView>().ProducesProblem(StatusCodes.Status404NotFound);
}
