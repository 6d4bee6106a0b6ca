using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.GetEvent;

/// <summary>Admin: one event with its seat counts and, once published, the progress of its invitation campaign. Its ETag is the event's version (If-Match of a change).</summary>
public static class GetEventFunction
{
    public const string Route = "/api/manage/events/{id:length(32)}";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (string id, HttpContext context, ManageEvents events, CancellationToken cancellationToken) =>
        (await events.GetAsync(id, cancellationToken)).ToHttp(context, "event", e => e.UpdatedAt))
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData().AnswersWithETag();
}
