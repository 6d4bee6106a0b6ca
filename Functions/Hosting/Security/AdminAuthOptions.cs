namespace AlumniNetwork.Functions.Hosting.Security;

public sealed class AdminAuthOptions
{
    public const string SectionName = "AdminAuth";

    /// <summary>Entra ID authority, e.g. <c>https://login.microsoftonline.com/&lt;tenant&gt;/v2.0</c>. Required outside Development.</summary>
    public string? Authority { get; set; }

    /// <summary>Application ID URI or client id the tokens are issued for.</summary>
    public string Audience { get; set; } = "";

    /// <summary>App role an admin must hold (default <c>Alumni.Admin</c>).</summary>
    public string Role { get; set; } = "Alumni.Admin";

    /// <summary>Development only: base64 key for locally issued tokens. Ignored in any other environment.</summary>
    public string? DevelopmentSigningKey { get; set; }
}
