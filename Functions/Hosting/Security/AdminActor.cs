using System.Security.Claims;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// The admin behind a request, as the audit log names them: the token's subject id (<c>sub</c>, else Entra's
/// <c>oid</c>), never a name or an email. Binds as an endpoint parameter; the admin policy refuses a token without
/// either claim, so an authorized request always has one.
/// </summary>
public sealed record AdminActor(string Id)
{
    public static string? IdOf(ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value is { Length: > 0 } sub ? sub
        : user.FindFirst("oid")?.Value is { Length: > 0 } oid ? oid
        : null;

    public static ValueTask<AdminActor?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(IdOf(context.User) is { } id ? new AdminActor(id) : null);
}
