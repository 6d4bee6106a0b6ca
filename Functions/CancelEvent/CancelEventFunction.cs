using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.CancelEvent;

/// <summary>Admin: cancels an event: invitations stop, attendees and the waitlist get a cancelling calendar entry. Idempotent; audited. Optional If-Match (<see cref="EntityTags"/>): a stale one refuses cancelling an event not yet cancelled.</summary>
public static class CancelEventFunction
{
    public const string Route = "/api/manage/events/{id:length(32)}/cancel";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, HttpRequest request, AdminActor actor, ManageEvents events, CancellationToken cancellationToken) =>
        !EntityTags.TryReadIfMatch(request, out var seen, out var refused) ? refused
            : (await events.CancelAsync(id, seen, actor.Id, cancellationToken)).ToHttp(request.HttpContext, "event", e => e.UpdatedAt))
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData().AcceptsIfMatch();
}
