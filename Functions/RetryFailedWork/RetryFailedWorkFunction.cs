using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.RetryFailedWork;

/// <summary>Admin: puts up to <c>limit</c> failed work items (optionally of one <c>kind</c>) back to pending. Audited before the change.</summary>
public static class RetryFailedWorkFunction
{
    public const string Route = "/api/manage/work/failed/retry";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string? kind, string? limit, AdminActor actor, Core.Admin.RetryFailedWork retry, CancellationToken cancellationToken) =>
        (await retry.HandleAsync(kind, limit, actor.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminAuthentication.PolicyName);
}
