using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.PublishEvent;

/// <summary>Admin: publishes an event, which starts its invitation campaign and schedules the reminder. Idempotent; audited.</summary>
public static class PublishEventFunction
{
    public const string Route = "/api/admin/events/{id:length(32)}/publish";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, AdminActor actor, ManageEvents events, CancellationToken cancellationToken) =>
        (await events.PublishAsync(id, seen: null, actor.Id, cancellationToken)).ToHttp("event"))
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
