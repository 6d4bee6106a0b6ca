using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.CreateSurvey;

/// <summary>Admin: creates a survey as a draft (nothing is sent until it is published and a wave starts). Audited.</summary>
public static class CreateSurveyFunction
{
    public const string Route = "/api/manage/surveys";

    /// <summary>A survey with every text at its longest is about 120 KiB of UTF-8.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        HttpRequest request, AdminActor actor, ManageSurveys surveys, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var outcome = await surveys.CreateAsync(body, actor.Id, cancellationToken);
        return outcome is AdminOutcome<SurveyView>.Done created ? Results.Created($"{Route}/{created.Value.Id}", created.Value) : outcome.ToHttp("survey");
    }).RequireAuthorization(AdminAuthentication.PolicyName)
        .Accepts<SurveyContent>("application/json").Produces<SurveyView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
}
