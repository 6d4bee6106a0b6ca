using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Functions.Hosting.Security;

public sealed class AdminAuthOptions : IValidatableObject
{
    public const string SectionName = "AdminAuth";

    /// <summary>The largest clock skew the admin token checks may allow: a minute or two, never the library's five.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Entra ID authority, <c>https://login.microsoftonline.com/&lt;tenant id&gt;/v2.0</c>: its metadata gives the signing
    /// keys, its tenant id both issuers (<see cref="EntraIssuers"/>). Required outside Development.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Application ID URI (<c>api://…</c>) the tokens are issued for: the <c>aud</c> of Entra's v1.0 access tokens, which a
    /// registration issues unless its manifest asks for v2.0.
    /// </summary>
    public string Audience { get; set; } = "";

    /// <summary>
    /// Application (client) id of the same registration: the <c>aud</c> of Entra's v2.0 access tokens. Empty (the default)
    /// accepts only <see cref="Audience"/>, so a registration issuing v2.0 tokens is refused until it is set.
    /// </summary>
    public string ClientId { get; set; } = "";

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

    /// <summary>The audiences an admin token may name: the App ID URI (v1.0 tokens) and, when set, the client id (v2.0 tokens).</summary>
    public IReadOnlyList<string> ValidAudiences() =>
        [.. new[] { Audience, ClientId }.Where(audience => !string.IsNullOrWhiteSpace(audience)).Distinct(StringComparer.Ordinal)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Authority) && !EntraIssuers.TryGetTenantId(Authority, out _))
        {
            yield return new ValidationResult(
                "must be https://login.microsoftonline.com/<tenant id>/v2.0 with the tenant's id (a GUID), not a domain name or 'common': "
                + "the tokens' issuers name the tenant by its id", [nameof(Authority)]);
        }

        if (!string.IsNullOrWhiteSpace(ClientId) && !Guid.TryParse(ClientId, out _))
        {
            yield return new ValidationResult(
                "must be the admin registration's Application (client) id, a GUID (the App ID URI api://… goes in AdminAuth:Audience)", [nameof(ClientId)]);
        }

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
