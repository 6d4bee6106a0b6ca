using System.ComponentModel.DataAnnotations;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Company;

/// <summary>The company that runs this deployment: one deployment serves one company.</summary>
public sealed class CompanyOptions : IValidatableObject
{
    public const string SectionName = "Company";

    /// <summary>Shown in emails and pages as the sender.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>IANA or Windows time zone id; last working days end at midnight here. Default Asia/Tokyo.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>Locale for alumni whose departure names none: <c>ja-JP</c> (default) or <c>en-US</c>.</summary>
    [Required]
    public string DefaultLocale { get; set; } = "ja-JP";

    /// <summary>
    /// Public https base address of the function app, scheme and host only (<c>https://alumni.example.co.jp</c>); alumni
    /// links start with it. A path is refused at start-up: the pages link to each other and post their forms to
    /// root-relative routes (<c>/api/alumni/…</c>), which would leave a path prefix behind a proxy. So is http, except on
    /// a loopback host (<c>http://localhost:7071</c>, local runs and tests): the refusal links and their one-click
    /// List-Unsubscribe header start with it, and RFC 8058 accepts only https there.
    /// </summary>
    [Required]
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// The company's own mail domains (e.g. <c>example.co.jp</c>; subdomains count): current employees' work addresses and
    /// team mailboxes are there. Company-internal mail goes only to an address at one of them. Empty: the old
    /// <c>Openings:RecruiterMailboxDomains</c> if set, else the domain of <c>SendGrid:FromEmail</c>. Checked at start-up
    /// (<see cref="CompanyMailDomains"/>).
    /// </summary>
    public List<string> MailDomains { get; set; } = [];

    public TimeZoneInfo ResolveTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>
    /// Checked at start-up, so a base address the pages cannot live under, a time zone this server does not know or a
    /// locale the app has no texts for fails the start, not an alumnus's form or every HRIS webhook.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult(
                $"Company:TimeZone '{TimeZone}' is not a time zone id this server knows: use an IANA id such as Asia/Tokyo "
                + "(or a Windows id such as Tokyo Standard Time), not an abbreviation such as JST", [nameof(TimeZone)]);
        }

        if (!string.IsNullOrWhiteSpace(DefaultLocale) && !Locales.TryParse(DefaultLocale, out _))
        {
            yield return new ValidationResult(
                $"Company:DefaultLocale must be {Locales.JapaneseTag} or {Locales.EnglishTag} (exactly so spelled), not '{DefaultLocale}'",
                [nameof(DefaultLocale)]);
        }

        if (PublicBaseUrl is { } url && !IsSiteRoot(url))
        {
            yield return new ValidationResult(
                "Company:PublicBaseUrl must be an https address of scheme and host only, such as https://alumni.example.co.jp "
                + "(http only on localhost or a loopback address, for local runs: one-click unsubscribe links must be https, RFC 8058), "
                + "with no path, query or fragment: the alumni pages link and post to routes from the site root (/api/alumni/…), "
                + "so the app cannot be served under a path prefix", [nameof(PublicBaseUrl)]);
        }
    }

    /// <summary>An absolute https address (http on a loopback host) whose path is the root: what <see cref="PublicBaseUrl"/> must be.</summary>
    public static bool IsSiteRoot(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        && url.AbsolutePath == "/" && url.Query.Length == 0 && url.Fragment.Length == 0;
}
