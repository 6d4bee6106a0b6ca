using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// Issues admin tokens for the local run: <c>dotnet run --project Functions -- admin-token</c> prints one.
/// Works only in Development, with the key from appsettings.Development.json.
/// </summary>
public static class DevelopmentAdminToken
{
    public const string Command = "admin-token";

    public static bool TryPrint(string[] args, IConfiguration configuration, IHostEnvironment environment)
    {
        if (args.FirstOrDefault() != Command)
        {
            return false;
        }

        var options = configuration.GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>() ?? new AdminAuthOptions();
        if (!environment.IsDevelopment() || string.IsNullOrEmpty(options.DevelopmentSigningKey))
        {
            throw new InvalidOperationException("admin-token works only in Development with AdminAuth:DevelopmentSigningKey set.");
        }

        Console.WriteLine(Create(options, [options.Role], TimeProvider.System));
        return true;
    }

    /// <summary>The lifetime of a Development token: a working day, well inside <see cref="AdminAuthOptions.MaxTokenLifetime"/>.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static string Create(AdminAuthOptions options, IEnumerable<string> roles, TimeProvider time, TimeSpan? lifetime = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("sub", "local-admin"), new("name", "Local admin") };
        claims.AddRange(roles.Select(role => new Claim("roles", role)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevelopmentIssuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime ?? Lifetime),
            SigningCredentials = new SigningCredentials(SigningKey(options), SecurityAlgorithms.HmacSha256),
        });
    }

    internal static SymmetricSecurityKey SigningKey(AdminAuthOptions options) =>
        new(Convert.FromBase64String(options.DevelopmentSigningKey!));

    private const string DevelopmentIssuer = AdminAuthentication.DevelopmentIssuer;
}
