using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.CreateEvent;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.UpdateEvent;

/// <summary>
/// Admin: replaces an event's details (the same body as create). Attendees and the waitlist of a published event are told,
/// with an updated calendar entry; more seats go to the waitlist first. Audited.
/// </summary>
public static class UpdateEventFunction
{
    public const string Route = "/api/admin/events/{id:length(32)}";

    public static void Map(IEndpointRouteBuilder app) => app.MapPut(Route, async (
        string id, HttpRequest request, AdminActor actor, ManageEvents events, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, EventBodies.MaxBytes, cancellationToken);
        return body is null ? problem! : (await events.UpdateAsync(id, body, seen: null, actor.Id, cancellationToken)).ToHttp("event");
    }).RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
