using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlumniNetwork.Functions.AdminConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// The signed-in user as App Service built-in authentication (Easy Auth) hands it to the app: the
/// <c>X-MS-CLIENT-PRINCIPAL</c> header, base64 JSON <c>{ auth_typ, name_typ, role_typ, claims: [{ typ, val }] }</c>.
/// The platform strips that header from incoming requests and sets it itself, so it is trusted only where the platform
/// says its authentication is on (<c>WEBSITE_AUTH_ENABLED</c>), and never in Development, where nobody strips it.
/// </summary>
public static class AppServicePrincipal
{
    public const string Scheme = "AppServicePrincipal";
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>Set to <c>True</c> by App Service when built-in authentication is enabled for the app.</summary>
    public const string EnabledSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>The identity provider configured in infra/modules/auth.bicep: Microsoft Entra ID.</summary>
    public const string EntraProvider = "aad";

    /// <summary>Far above any real principal (a few KiB); a longer header is refused unread.</summary>
    public const int MaxHeaderLength = 32 * 1024;

    private const string ObjectIdType = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    public static bool IsPlatformAuthenticationOn(IConfiguration configuration, IHostEnvironment environment) =>
        !environment.IsDevelopment() && string.Equals(configuration[EnabledSetting], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The principal in the header, with the claim names the admin policies read (<c>sub</c>, <c>oid</c>, <c>name</c>,
    /// <c>roles</c>), or null when the header is not a well-formed Entra principal that names its subject. Entra app roles
    /// arrive as <c>roles</c> claims even though <c>role_typ</c> names the long role URI, so both count as roles.
    /// Other claims are dropped: the app needs no more.
    /// </summary>
    public static ClaimsPrincipal? Parse(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxHeaderLength)
        {
            return null;
        }

        var bytes = new byte[header.Length];
        if (!Convert.TryFromBase64String(header, bytes, out var length))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 8 });
            return FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ClaimsPrincipal? FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || Text(root, "auth_typ") != EntraProvider ||
            !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var roleType = Text(root, "role_typ") ?? ClaimTypes.Role;
        var nameType = Text(root, "name_typ") ?? ClaimTypes.Name;
        var identity = new ClaimsIdentity(EntraProvider, "name", "roles");
        foreach (var claim in claims.EnumerateArray())
        {
            if (claim.ValueKind != JsonValueKind.Object || Text(claim, "typ") is not { } type || Text(claim, "val") is not { Length: > 0 } value)
            {
                return null;
            }

            var mapped = type switch
            {
                "roles" or ClaimTypes.Role => "roles",
                _ when type == roleType => "roles",
                "oid" or ObjectIdType => "oid",
                "sub" or ClaimTypes.NameIdentifier => "sub",
                "name" => "name",
                _ when type == nameType => "name",
                _ => null,
            };
            if (mapped is not null)
            {
                identity.AddClaim(new Claim(mapped, value));
            }
        }

        return AdminActor.IdOf(new ClaimsPrincipal(identity)) is null ? null : new ClaimsPrincipal(identity);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Authenticates console requests from the platform's principal header; challenges by sending the browser to the platform's sign-in.</summary>
public sealed class AppServicePrincipalHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration, IHostEnvironment environment)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private bool PlatformOn => AppServicePrincipal.IsPlatformAuthenticationOn(configuration, environment);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!PlatformOn || Request.Headers[AppServicePrincipal.HeaderName].ToString() is not { Length: > 0 } header)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(AppServicePrincipal.Parse(header) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name))
            : AuthenticateResult.Fail("The platform's client principal header is malformed or names no subject."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (PlatformOn)
        {
            var back = Request.PathBase + Request.Path + Request.QueryString;
            Response.Redirect("/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(back));
            return Task.CompletedTask;
        }

        return ConsolePage.SignInUnavailable().ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await (await ConsolePage.ForbiddenAsync(Context)).ExecuteAsync(Context);
}
