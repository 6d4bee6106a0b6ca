using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.CreateEvent;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.UpdateEvent;

/// <summary>
/// Admin: replaces an event's details (the same body as create). Attendees and the waitlist of a published event are told,
/// with an updated calendar entry; more seats go to the waitlist first. Audited. Optional If-Match (<see cref="EntityTags"/>).
/// </summary>
public static class UpdateEventFunction
{
    public const string Route = "/api/manage/events/{id:length(32)}";

    public static void Map(IEndpointRouteBuilder app) => app.MapPut(Route, async (
        string id, HttpRequest request, AdminActor actor, ManageEvents events, CancellationToken cancellationToken) =>
    {
        if (!EntityTags.TryReadIfMatch(request, out var seen, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, EventBodies.MaxBytes, cancellationToken);
        return body is null ? problem! : (await events.UpdateAsync(id, body, seen, actor.Id, cancellationToken)).ToHttp(request.HttpContext, "event", e => e.UpdatedAt);
    }).RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData().AcceptsIfMatch();
}
