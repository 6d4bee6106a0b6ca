using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ExportAlumniCsv;

/// <summary>Admin: every alumnus as a CSV download (UTF-8 with BOM for Excel), streamed. Audited.</summary>
public static class ExportAlumniCsvFunction
{
    /// <summary>A literal segment, and the id route is constrained to 32 characters, so this never reaches GetAlumnus.</summary>
    public const string Route = "/api/manage/alumni/export.csv";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, (
        AdminActor actor, Core.Admin.ExportAlumniCsv export, CancellationToken cancellationToken) =>
        Results.Stream(body => export.WriteAsync(body, actor.Id, cancellationToken), Core.Admin.ExportAlumniCsv.ContentType, export.FileName()))
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData()
        .Produces(StatusCodes.Status200OK, contentType: "text/csv");
}
