using AlumniNetwork.Core.Admin;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// One authorization policy per capability, built from <see cref="AdminRoles"/>. The JSON API (bearer tokens) and the
/// console (platform sign-in, or the development cookie) require the same policies; only the scheme that authenticates
/// the caller differs. Personal data is the JSON API's own <see cref="AdminAuthentication.PolicyName"/> policy.
/// </summary>
public static class AdminPolicies
{
    public const string PersonalData = AdminAuthentication.PolicyName;
    public const string Insights = "AlumniInsights";
    public const string Openings = "AlumniOpenings";
    public const string ConflictOfInterest = "AlumniConflictOfInterest";

    /// <summary>Any role of the alumni team: what the console's shell (home, language, sign-out) requires.</summary>
    public const string AnyRole = "AlumniTeam";

    public static string For(AdminCapability capability) => capability switch
    {
        AdminCapability.PersonalData => PersonalData,
        AdminCapability.Insights => Insights,
        AdminCapability.Openings => Openings,
        AdminCapability.ConflictOfInterest => ConflictOfInterest,
        _ => throw new ArgumentOutOfRangeException(nameof(capability), capability, "Unknown capability."),
    };

    public static void AddCapabilityPolicies(this WebApplicationBuilder builder)
    {
        var adminRole = builder.Configuration.GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>()?.Role ?? AdminRoles.Admin;
        var policies = builder.Services.AddAuthorizationBuilder();
        foreach (var capability in Enum.GetValues<AdminCapability>().Where(c => c != AdminCapability.PersonalData))
        {
            policies.AddPolicy(For(capability), policy => policy.RequireAuthenticatedUser()
                .RequireRole(AdminRoles.Granting(capability, adminRole))
                .RequireAssertion(context => AdminActor.IdOf(context.User) is not null));
        }

        policies.AddPolicy(AnyRole, policy => policy.RequireAuthenticatedUser()
            .RequireRole(AdminRoles.All.Append(adminRole).Distinct(StringComparer.Ordinal))
            .RequireAssertion(context => AdminActor.IdOf(context.User) is not null));
    }
}
