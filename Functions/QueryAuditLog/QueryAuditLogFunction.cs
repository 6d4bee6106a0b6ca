using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.QueryAuditLog;

/// <summary>
/// Admin: audit entries between <c>from</c> and <c>to</c> (default the last 7 days), newest first, optionally only those of
/// one <c>actor</c> and one <c>action</c>, <c>limit</c> at a time: <c>next</c>, when set, is the <c>cursor</c> to the older
/// entries, asked with the page's own <c>from</c> and <c>to</c> (a default range moves with the clock). Reading is audited too.
/// </summary>
public static class QueryAuditLogFunction
{
    public const string Route = "/api/manage/audit";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string? from, string? to, string? limit, string? actor, string? action, string? cursor, AdminActor admin, Core.Admin.QueryAuditLog query, CancellationToken cancellationToken) =>
        (await query.HandleAsync(new AuditQueryRequest(from, to, limit, actor, action, cursor), admin.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData()
        .Produces<AuditLogPage>().ProducesProblem(StatusCodes.Status400BadRequest);
}
