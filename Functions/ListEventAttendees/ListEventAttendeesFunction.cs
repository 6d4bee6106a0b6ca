using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListEventAttendees;

/// <summary>Admin: the attendee list in order of registration and the waitlist in its order. Audited.</summary>
public static class ListEventAttendeesFunction
{
    public const string Route = "/api/manage/events/{id:length(32)}/attendees";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string id, AdminActor actor, EventAttendees attendees, CancellationToken cancellationToken) =>
        (await attendees.ListAsync(id, actor.Id, cancellationToken)).ToHttp("event"))
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
