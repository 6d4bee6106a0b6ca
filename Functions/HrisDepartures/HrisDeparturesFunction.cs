using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Webhooks;
using AlumniNetwork.Functions.Hosting.Http;

namespace AlumniNetwork.Functions.HrisDepartures;

/// <summary>HRIS webhook (Standard Webhooks): departures, their withdrawals and hires. Transport checks here; the intake rules live in Core.</summary>
public static class HrisDeparturesFunction
{
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/hris/departures", async (
        HttpRequest request, StandardWebhookVerifier verifier, ReceiveHrisEvent intake, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var id = request.Headers["webhook-id"].ToString();
        var verification = verifier.Verify(id, request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], body);
        if (verification != WebhookVerification.Valid)
        {
            return Problems.Unauthorized(WebhookRejection.Fields(verification, request.Headers, verifier.Tolerance));
        }

        return await intake.HandleAsync(id, body, cancellationToken) switch
        {
            HrisEventOutcome.Invalid invalid => Problems.Invalid(invalid.Errors),
            HrisEventOutcome.Ignored => Results.NoContent(),
            HrisEventOutcome.HireReceived => Results.Json(new { status = "hire-received" }, statusCode: StatusCodes.Status202Accepted),
            HrisEventOutcome.Erased => Results.Ok(new { status = "erased" }),
            HrisEventOutcome.AlreadyPurged => Results.Ok(new { status = "purged" }),
            HrisEventOutcome.Withdrawn => Results.Ok(new { status = "withdrawn" }),
            HrisEventOutcome.WithdrawalFlagged flagged => Results.Ok(new { status = "flagged", alumnusId = flagged.AlumnusId.Value }),
            HrisEventOutcome.WithdrawalSuperseded => Results.Ok(new { status = "departed-since" }),
            HrisEventOutcome.Recorded { IsNew: true } recorded => Results.Json(new { alumnusId = recorded.AlumnusId.Value }, statusCode: StatusCodes.Status202Accepted),
            HrisEventOutcome.Recorded recorded => Results.Ok(new { alumnusId = recorded.AlumnusId.Value }),
            _ => throw new InvalidOperationException("Unknown intake outcome."),
        };
    }).DisableAntiforgery();
}
