using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// JWT bearer for admin APIs: Entra ID in production (v1.0 and v2.0 access tokens of the admin registration's tenant,
/// for its App ID URI or its client id), a locally issued token in Development; an admin role policy.
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
                ValidAudiences = options.ValidAudiences(),
                RoleClaimType = "roles",
                NameClaimType = "name",
                ClockSkew = options.ClockSkew,
                RequireExpirationTime = true,
            };
            jwt.Events = new JwtBearerEvents { OnTokenValidated = context => RefuseLongLived(context, options.MaxTokenLifetime) };
            if (useDevelopmentKey)
            {
                jwt.TokenValidationParameters.ValidIssuer = DevelopmentIssuer;
                jwt.TokenValidationParameters.IssuerSigningKey = DevelopmentAdminToken.SigningKey(options);
            }
            else
            {
                // The signing keys come from the authority's metadata; the issuers from its tenant id, because that
                // metadata names only the v2.0 issuer and a default registration issues v1.0 tokens (EntraIssuers).
                jwt.Authority = options.Authority;
                if (EntraIssuers.TryGetTenantId(options.Authority, out _))
                {
                    jwt.TokenValidationParameters.ValidIssuers = EntraIssuers.Of(options.Authority!);
                }
            }
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.RequireAuthenticatedUser().RequireRole(options.Role)
                // The audit log names the admin by subject id: a token without one is refused, not audited anonymously.
                .RequireAssertion(context => AdminActor.IdOf(context.User) is not null));
    }

    /// <summary>
    /// Refuses a token whose lifetime (<c>exp</c> minus <c>iat</c>, else <c>nbf</c>) is longer than allowed, or cannot
    /// be told because it names neither start: the signature and expiry alone would accept a token minted for a year.
    /// </summary>
    private static Task RefuseLongLived(TokenValidatedContext context, TimeSpan maxLifetime)
    {
        if (context.SecurityToken is not JsonWebToken token)
        {
            context.Fail("The admin token is not a JSON Web Token.");
            return Task.CompletedTask;
        }

        var start = token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out _) ? token.IssuedAt
            : token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out _) ? token.ValidFrom
            : (DateTime?)null;
        if (start is null)
        {
            context.Fail("The admin token names neither iat nor nbf, so its lifetime cannot be checked.");
        }
        else if (token.ValidTo - start.Value > maxLifetime)
        {
            context.Fail($"The admin token lives longer than AdminAuth:MaxTokenLifetime ({maxLifetime:c}).");
        }

        return Task.CompletedTask;
    }
}
