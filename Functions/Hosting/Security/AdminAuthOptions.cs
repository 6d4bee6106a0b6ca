using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Functions.Hosting.Security;

public sealed class AdminAuthOptions : IValidatableObject
{
    public const string SectionName = "AdminAuth";

    /// <summary>The largest clock skew the admin token checks may allow: a minute or two, never the library's five.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>Entra ID authority, e.g. <c>https://login.microsoftonline.com/&lt;tenant&gt;/v2.0</c>. Required outside Development.</summary>
    public string? Authority { get; set; }

    /// <summary>Application ID URI or client id the tokens are issued for.</summary>
    public string Audience { get; set; } = "";

    /// <summary>App role an admin must hold (default <c>Alumni.Admin</c>).</summary>
    public string Role { get; set; } = "Alumni.Admin";

    /// <summary>
    /// Longest lifetime an admin token may have, from its <c>iat</c> (else <c>nbf</c>) to its <c>exp</c> (default
    /// 24 hours). A longer-lived token is refused even while it is unexpired: a leaked one must not work for days.
    /// Entra ID access tokens live 60 to 90 minutes.
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Clock difference allowed on <c>nbf</c> and <c>exp</c> (default 1 minute, at most 2).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Development only: base64 key for locally issued tokens. Ignored in any other environment.</summary>
    public string? DevelopmentSigningKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxTokenLifetime <= TimeSpan.Zero || MaxTokenLifetime > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult("must be more than zero and at most 7 days", [nameof(MaxTokenLifetime)]);
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew)
        {
            yield return new ValidationResult($"must be between 00:00:00 and {MaxClockSkew:c}", [nameof(ClockSkew)]);
        }
    }
}
