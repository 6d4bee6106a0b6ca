using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.MarkEventAttendance;

/// <summary>Admin: marks whether one registered alumnus came (<c>{"attended": true}</c>). Idempotent; audited.</summary>
public static class MarkEventAttendanceFunction
{
    public const string Route = "/api/manage/events/{id:length(32)}/attendance/{alumnusId:length(32)}";
    public const int MaxBodyBytes = 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPut(Route, async (
        string id, string alumnusId, HttpRequest request, AdminActor actor, EventAttendees attendees, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await attendees.MarkAsync(id, alumnusId, body, actor.Id, cancellationToken)).ToHttp("event or registration");
    }).RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
