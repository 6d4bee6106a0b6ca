using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.InviteEventStaff;

/// <summary>
/// Admin: sends the company-internal invitation to current employees' work addresses (<c>{"addresses": […]}</c>, at most
/// 500 a request), once per address. The addresses are not stored. Audited (the count, never the addresses).
/// </summary>
public static class InviteEventStaffFunction
{
    public const string Route = "/api/manage/events/{id:length(32)}/staff-invitations";
    public const int MaxBodyBytes = 256 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string id, HttpRequest request, AdminActor actor, InviteEmployees invite, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await invite.HandleAsync(id, body, actor.Id, cancellationToken)).ToHttp("event");
    }).RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
