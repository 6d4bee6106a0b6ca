using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ImportDepartures;

/// <summary>
/// Admin: HR's backfill file of departures, as CSV (<c>text/csv</c>) or a JSON array (<c>application/json</c>). All or
/// nothing: any bad row is a 400 listing every <c>rows[n].field</c> problem, and nothing is recorded. Idempotent on the
/// employee, so posting the file again creates nothing. Audited once, with counts (ADR 0039).
/// </summary>
public static class ImportDeparturesFunction
{
    public const string Route = "/api/manage/departures/import";

    public const int MaxBodyBytes = 2 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        HttpRequest request, AdminActor actor, Core.Admin.AdminDepartureImport import, CancellationToken cancellationToken) =>
    {
        DepartureBatchFormat format;
        if (IsCsv(request))
        {
            format = DepartureBatchFormat.Csv;
        }
        else if (BodyReader.IsJson(request))
        {
            format = DepartureBatchFormat.Json;
        }
        else
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Content-Type must be text/csv or application/json.");
        }

        var body = await BodyReader.ReadLimitedAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large.", $"The body must be at most {MaxBodyBytes} bytes.");
        }

        return await import.HandleAsync(format, body, actor.Id, cancellationToken) switch
        {
            DepartureImportOutcome.Invalid invalid => Problems.Invalid(invalid.Errors),
            DepartureImportOutcome.Imported imported => Results.Ok(imported.Counts),
            _ => throw new InvalidOperationException("Unknown import outcome."),
        };
    }).RequireAuthorization(AdminAuthentication.PolicyName)
        .Produces<DepartureImportCounts>(StatusCodes.Status200OK);

    private static bool IsCsv(HttpRequest request) =>
        request.ContentType is { } type &&
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var media) &&
        media.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase);
}
