using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListDeadLetters;

/// <summary>Admin: dead-letter counts of every queue the app consumes (or of <c>queue</c>), with the oldest messages. Audited.</summary>
public static class ListDeadLettersFunction
{
    public const string Route = "/api/manage/dead-letters";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string? queue, string? limit, AdminActor actor, Core.Admin.ListDeadLetters list, CancellationToken cancellationToken) =>
        (await list.HandleAsync(queue, limit, actor.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
