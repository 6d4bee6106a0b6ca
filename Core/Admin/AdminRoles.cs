namespace AlumniNetwork.Core.Admin;

/// <summary>What an admin may do. Each page and each JSON endpoint requires exactly one capability.</summary>
public enum AdminCapability
{
    /// <summary>Read and change personal data: search, a person's page, flags, CSV export, the audit log.</summary>
    PersonalData,

    /// <summary>The insight dashboard and reports: aggregates only, small groups suppressed, no personal data.</summary>
    Insights,

    /// <summary>Comeback and project openings and the interest alumni express in them.</summary>
    Openings,

    /// <summary>The conflict-of-interest register and its approval queue.</summary>
    ConflictOfInterest,
}

/// <summary>
/// The Entra ID app roles of the alumni team and the capabilities each grants. One table, read by the JSON API's and the
/// console's authorization policies alike, so a role never means one thing on a page and another on an endpoint.
/// </summary>
public static class AdminRoles
{
    /// <summary>Everything.</summary>
    public const string Admin = "Alumni.Admin";

    /// <summary>Openings and the interest received.</summary>
    public const string Recruiter = "Alumni.Recruiter";

    /// <summary>The conflict-of-interest register and approvals.</summary>
    public const string Compliance = "Alumni.Compliance";

    /// <summary>Dashboard and reports only; never personal data.</summary>
    public const string Viewer = "Alumni.Viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Recruiter, Compliance, Viewer];

    /// <summary>
    /// The roles that grant <paramref name="capability"/>. <paramref name="adminRole"/> is the deployment's name for the
    /// all-capabilities role (<c>AdminAuth:Role</c>, default <see cref="Admin"/>).
    /// </summary>
    public static IReadOnlyList<string> Granting(AdminCapability capability, string adminRole = Admin) => capability switch
    {
        AdminCapability.PersonalData => [adminRole],
        AdminCapability.Insights => [adminRole, Viewer],
        AdminCapability.Openings => [adminRole, Recruiter],
        AdminCapability.ConflictOfInterest => [adminRole, Compliance],
        _ => throw new ArgumentOutOfRangeException(nameof(capability), capability, "Unknown capability."),
    };

    /// <summary>Whether any of <paramref name="roles"/> grants <paramref name="capability"/>; role names compare exactly, as Entra issues them.</summary>
    public static bool Grants(IEnumerable<string> roles, AdminCapability capability, string adminRole = Admin) =>
        roles.Intersect(Granting(capability, adminRole), StringComparer.Ordinal).Any();
}
