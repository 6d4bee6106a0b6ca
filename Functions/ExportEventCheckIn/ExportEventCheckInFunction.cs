using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ExportEventCheckIn;

/// <summary>Admin: the check-in sheet for hosts as CSV (formula-safe, UTF-8 with BOM for Excel). Audited.</summary>
public static class ExportEventCheckInFunction
{
    /// <summary>A literal last segment: never taken for the attendance route, which has two ids.</summary>
    public const string Route = "/api/manage/events/{id:length(32)}/attendees.csv";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string id, AdminActor actor, EventAttendees attendees, CancellationToken cancellationToken) =>
    {
        if (await attendees.CheckInCsvAsync(id, actor.Id, cancellationToken) is not { } csv)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found.", "No event has this id.");
        }

        return Results.File(System.Text.Encoding.UTF8.GetBytes(csv), EventAttendees.ContentType, attendees.FileName(id));
    }).RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
