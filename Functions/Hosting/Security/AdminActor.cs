using System.Security.Claims;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// The admin behind a request, as the audit log names them: Entra's object id (<c>oid</c>, else the token's
/// <c>sub</c>), never a name or an email. The object id is the user's (or an app's service principal's) id across the
/// tenant, the one the directory finds them by; <c>sub</c> is pairwise per app registration, so it names nobody outside
/// this app (ADR 0005). Binds as an endpoint parameter; the admin policy refuses a token without either claim, so an
/// authorized request always has one.
/// </summary>
public sealed record AdminActor(string Id)
{
    public static string? IdOf(ClaimsPrincipal user) =>
        user.FindFirst("oid")?.Value is { Length: > 0 } oid ? oid
        : user.FindFirst("sub")?.Value is { Length: > 0 } sub ? sub
        : null;

    public static ValueTask<AdminActor?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(IdOf(context.User) is { } id ? new AdminActor(id) : null);
}
