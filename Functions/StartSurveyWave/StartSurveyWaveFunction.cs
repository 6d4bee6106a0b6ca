using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.StartSurveyWave;

/// <summary>
/// Admin: sends the live version now to a segment as an ad-hoc wave, <c>{ "name": "spring27", "audience": { … } }</c>,
/// through the campaign engine and its outreach gate. The name makes it idempotent: 201 the first time, 200 after; 409
/// naming <c>name</c> when a wave of another version has it, naming <c>audience</c> when this wave was started with another
/// audience (a repeat starts nothing). Audited.
/// </summary>
public static class StartSurveyWaveFunction
{
    public const string Route = "/api/manage/surveys/{id:length(32)}/waves";
    public const int MaxBodyBytes = 32 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, HttpRequest request, AdminActor actor, ManageSurveys surveys, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var outcome = await surveys.StartWaveAsync(id, body, actor.Id, cancellationToken);
        return outcome switch
        {
            AdminOutcome<StartedWave>.Done { Value: { IsNew: true } started } => Results.Created($"/api/manage/campaigns/{started.Wave.CampaignId}", started.Wave),
            AdminOutcome<StartedWave>.Done { Value: var existing } => Results.Ok(existing.Wave),
            AdminOutcome<StartedWave>.Conflict { Code: ConflictCode.WaveNameUsed } => Problems.Conflict(ManageSurveys.WaveNameUsed),
            AdminOutcome<StartedWave>.Conflict { Code: ConflictCode.WaveAudienceDiffers } => Problems.Conflict(ManageSurveys.WaveAudienceDiffers),
            _ => outcome.ToHttp("survey"),
        };
    }).RequireAuthorization(AdminAuthentication.PolicyName)
        .Produces<SurveyWaveView>(StatusCodes.Status201Created).Produces<SurveyWaveView>()
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
