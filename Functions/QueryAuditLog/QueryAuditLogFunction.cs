using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.QueryAuditLog;

/// <summary>Admin: audit entries between <c>from</c> and <c>to</c> (default the last 7 days), newest first. Reading is audited too.</summary>
public static class QueryAuditLogFunction
{
    public const string Route = "/api/admin/audit";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string? from, string? to, string? limit, AdminActor actor, Core.Admin.QueryAuditLog query, CancellationToken cancellationToken) =>
        (await query.HandleAsync(new AuditQueryRequest(from, to, limit), actor.Id, cancellationToken)).ToHttp())
        .RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData();
}
