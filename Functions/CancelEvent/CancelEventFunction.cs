using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.CancelEvent;

/// <summary>Admin: cancels an event: invitations stop, attendees and the waitlist get a cancelling calendar entry. Idempotent; audited.</summary>
public static class CancelEventFunction
{
    public const string Route = "/api/manage/events/{id:length(32)}/cancel";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, AdminActor actor, ManageEvents events, CancellationToken cancellationToken) =>
        (await events.CancelAsync(id, actor.Id, cancellationToken)).ToHttp("event"))
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
