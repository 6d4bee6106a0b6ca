using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Company;

/// <summary>The company that runs this deployment: one deployment serves one company.</summary>
public sealed class CompanyOptions
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

    /// <summary>Public https base address of the function app; alumni links start with it.</summary>
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
}
