using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// JWT bearer for admin APIs: Entra ID in production, a locally issued token in Development; an admin role policy.
/// In Azure the host additionally demands a function key before a request reaches the app.
/// </summary>
public static class AdminAuthentication
{
    public const string PolicyName = "AlumniAdmin";
    public const string DevelopmentIssuer = "alumni-network-local";

    public static void AddAdminAuthentication(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>() ?? new AdminAuthOptions();
        var useDevelopmentKey = builder.Environment.IsDevelopment() && !string.IsNullOrEmpty(options.DevelopmentSigningKey);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = options.Audience,
                RoleClaimType = "roles",
                NameClaimType = "name",
            };
            if (useDevelopmentKey)
            {
                jwt.TokenValidationParameters.ValidIssuer = DevelopmentIssuer;
                jwt.TokenValidationParameters.IssuerSigningKey = DevelopmentAdminToken.SigningKey(options);
            }
            else
            {
                jwt.Authority = options.Authority;
            }
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.RequireAuthenticatedUser().RequireRole(options.Role)
                // The audit log names the admin by subject id: a token without one is refused, not audited anonymously.
                .RequireAssertion(context => AdminActor.IdOf(context.User) is not null));
    }
}
