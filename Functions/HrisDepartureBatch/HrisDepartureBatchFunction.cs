using AlumniNetwork.Core.Webhooks;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.HrisDepartures;

namespace AlumniNetwork.Functions.HrisDepartureBatch;

/// <summary>
/// HR's nightly reconciliation (ADR 0039): the leavers of the last days as one Standard Webhooks message,
/// <c>{"type": "employee.departed.batch", "data": [...]}</c>, signed with the departure webhook's secret. Answered by the
/// bulk import's use case: all or nothing, idempotent on the employee, counts only.
/// </summary>
public static class HrisDepartureBatchFunction
{
    public const string Route = "/api/hris/departures/batch";

    /// <summary>As the admin import's: a batch of <c>HrisImport:MaxRows</c> rows fits.</summary>
    public const int MaxBodyBytes = ImportDepartures.ImportDeparturesFunction.MaxBodyBytes;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        HttpRequest request, StandardWebhookVerifier verifier, Core.Alumni.ImportDepartures import, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var verification = verifier.Verify(request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], body);
        if (verification != WebhookVerification.Valid)
        {
            return Problems.Unauthorized(WebhookRejection.Fields(verification, request.Headers, verifier.Tolerance));
        }

        return await import.HandleBatchEventAsync(body, cancellationToken) switch
        {
            Core.Alumni.DepartureImportOutcome.Invalid invalid => Problems.Invalid(invalid.Errors),
            Core.Alumni.DepartureImportOutcome.Imported imported => Results.Ok(imported.Counts),
            _ => throw new InvalidOperationException("Unknown import outcome."),
        };
    }).DisableAntiforgery();
}
