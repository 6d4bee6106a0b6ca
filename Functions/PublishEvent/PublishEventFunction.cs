using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.PublishEvent;

/// <summary>Admin: publishes an event, which starts its invitation campaign and schedules the reminder. Idempotent; audited. Optional If-Match (<see cref="EntityTags"/>): a stale one refuses publishing a draft only.</summary>
public static class PublishEventFunction
{
    public const string Route = "/api/manage/events/{id:length(32)}/publish";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, HttpRequest request, AdminActor actor, ManageEvents events, CancellationToken cancellationToken) =>
        !EntityTags.TryReadIfMatch(request, out var seen, out var refused) ? refused
            : (await events.PublishAsync(id, seen, actor.Id, cancellationToken)).ToHttp(request.HttpContext, "event", e => e.UpdatedAt))
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData().AcceptsIfMatch();
}
