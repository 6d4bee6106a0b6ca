using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListFailedWork;

/// <summary>Admin: work items marked failed (optionally of one <c>kind</c>), oldest due first, with the reason. Audited.</summary>
public static class ListFailedWorkFunction
{
    public const string Route = "/api/manage/work/failed";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string? kind, string? limit, AdminActor actor, Core.Admin.ListFailedWork list, CancellationToken cancellationToken) =>
        (await list.HandleAsync(kind, limit, actor.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
