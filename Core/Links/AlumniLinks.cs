using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Links;

/// <summary>Absolute, signed links to the alumni pages. The paths are the HTTP functions' routes.</summary>
public sealed class AlumniLinks(LinkTokenService tokens, IOptions<CompanyOptions> company)
{
    public static string PathOf(LinkPurpose purpose) => purpose switch
    {
        LinkPurpose.Join => "api/alumni/join",
        LinkPurpose.Preferences => "api/alumni/preferences",
        LinkPurpose.Profile => "api/alumni/profile",
        LinkPurpose.Export => "api/alumni/export",
        LinkPurpose.Erase => "api/alumni/erase",
        LinkPurpose.Unsubscribe => "api/alumni/unsubscribe",
        LinkPurpose.Rsvp => "api/alumni/rsvp",
        LinkPurpose.Survey => "api/alumni/survey",
        LinkPurpose.Openings => "api/alumni/openings",
        LinkPurpose.CollaborationCard => "api/alumni/collaboration/card",
        LinkPurpose.CollaborationDirectory => "api/alumni/collaboration/directory",
        LinkPurpose.CollaborationAnswer => "api/alumni/collaboration/answer",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "No page for this purpose yet."),
    };

    /// <summary>A bare token, for a form that carries it in a hidden field rather than in its address.</summary>
    public string Token(LinkPurpose purpose, IRecipient alumnus) => tokens.Issue(purpose, alumnus);

    /// <summary>A link relative to the site root, for pages that link to each other.</summary>
    /// <param name="scope">Binds the link to one thing (an event); see <see cref="LinkTokenService.Issue"/>.</param>
    /// <param name="expiresAt">Overrides the purpose's lifetime.</param>
    public string Relative(LinkPurpose purpose, IRecipient alumnus, string? extraQuery = null, string? scope = null, DateTimeOffset? expiresAt = null) =>
        $"/{PathOf(purpose)}?token={Uri.EscapeDataString(tokens.Issue(purpose, alumnus, scope, expiresAt))}{(extraQuery is null ? "" : "&" + extraQuery)}";

    /// <summary>
    /// A link under <see cref="CompanyOptions.PublicBaseUrl"/>, which is scheme and host only (checked at start-up, since
    /// the pages link and post to root-relative routes): <c>https://example.co.jp/api/alumni/…</c>.
    /// </summary>
    public Uri Absolute(LinkPurpose purpose, IRecipient alumnus, string? extraQuery = null, string? scope = null, DateTimeOffset? expiresAt = null) =>
        new(company.Value.PublicBaseUrl!, Relative(purpose, alumnus, extraQuery, scope, expiresAt));
}
