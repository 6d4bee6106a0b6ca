using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Openings;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Company;

/// <summary>
/// The company's own mail domains (subdomains count): where current employees' work addresses and team mailboxes are.
/// Company-internal mail outside the alumni consent rules (staff event invitations, collaboration answers, interest
/// notices, newsletter test sends) goes only to an address here, never to someone's private address, which may be an
/// alumnus's. Resolved once from <c>Company:MailDomains</c>, else its old name <c>Openings:RecruiterMailboxDomains</c>,
/// else the domain of <c>SendGrid:FromEmail</c> (ADR 0028).
/// </summary>
public sealed class CompanyMailDomains
{
    public CompanyMailDomains(IEnumerable<string> domains)
    {
        Domains = domains.Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        if (Domains.Count == 0 || Domains.Any(d => !IsDomain(d)))
        {
            throw new ArgumentException("Company mail domains must be one or more domains such as example.co.jp.", nameof(domains));
        }
    }

    public IReadOnlyList<string> Domains { get; }

    /// <summary>The rule a refused address broke, for a problem-details body (names no address).</summary>
    public string Rule => $"must be a work address at the company's mail domains ({string.Join(", ", Domains)}; subdomains count), not a private address";

    /// <summary>The rule a personal address at these domains broke, for a problem-details body (names no address).</summary>
    public string PersonalRule => $"must be a personal address, not a work address at the company's mail domains ({string.Join(", ", Domains)}; subdomains count)";

    /// <summary>Whether the address is at one of the domains or a subdomain of one (<c>corp.example.co.jp</c> for <c>example.co.jp</c>).</summary>
    public bool Contains(EmailAddress address)
    {
        var domain = address.Normalized[(address.Normalized.LastIndexOf('@') + 1)..].TrimEnd('.');
        return Domains.Any(d => domain.Equals(d, StringComparison.Ordinal) || domain.EndsWith("." + d, StringComparison.Ordinal));
    }

    /// <summary>A mail domain as a setting may name one: dot-separated labels of letters, digits and inner hyphens, no '@'.</summary>
    public static bool IsDomain(string? text)
    {
        var domain = text?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(domain) || domain.Length > 253 || !domain.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        return domain.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && label[0] != '-' && label[^1] != '-');
    }

    /// <summary>The domains in force, from settings that passed <see cref="Problems"/> at start-up.</summary>
    public static CompanyMailDomains From(CompanyOptions company, OpeningsOptions openings, SendGridOptions sendGrid) =>
        new(Configured(company, openings, sendGrid));

    /// <summary>The settings in force: the first of Company:MailDomains, Openings:RecruiterMailboxDomains, the sender's domain.</summary>
    public static IReadOnlyList<string> Configured(CompanyOptions company, OpeningsOptions openings, SendGridOptions sendGrid) =>
        company.MailDomains is { Count: > 0 } configured ? configured
        : openings.RecruiterMailboxDomains is { Count: > 0 } old ? old
        : [sendGrid.FromEmail[(sendGrid.FromEmail.LastIndexOf('@') + 1)..]];

    /// <summary>
    /// Start-up check across the three settings: every domain given is a domain (under the old name too, when it is the one
    /// in force), the sender's domain (the default) is one and not a public mail provider's, and the old name does not say
    /// something other than the new one.
    /// </summary>
    public static IEnumerable<string> Problems(CompanyOptions company, OpeningsOptions openings, SendGridOptions sendGrid)
    {
        if (company.MailDomains.Any(d => !IsDomain(d)))
        {
            yield return "Company:MailDomains must be mail domains such as example.co.jp, without '@' (subdomains count).";
        }

        if (company.MailDomains.Count > 0 && openings.RecruiterMailboxDomains.Count > 0
            && !Normalized(company.MailDomains).SetEquals(Normalized(openings.RecruiterMailboxDomains)))
        {
            yield return "Openings:RecruiterMailboxDomains is the old name of Company:MailDomains and names other domains; keep only Company:MailDomains.";
        }

        if (company.MailDomains.Count == 0 && openings.RecruiterMailboxDomains.Any(d => !IsDomain(d)))
        {
            yield return "Openings:RecruiterMailboxDomains (the old name of Company:MailDomains) must be mail domains such as example.co.jp, without '@' or '*' (subdomains count).";
        }

        if (company.MailDomains.Count == 0 && openings.RecruiterMailboxDomains.Count == 0)
        {
            var senderDomain = Configured(company, openings, sendGrid)[0];
            if (!IsDomain(senderDomain))
            {
                yield return "Company:MailDomains is not set and the domain of SendGrid:FromEmail is not a mail domain such as example.co.jp; set Company:MailDomains.";
            }
            else if (IsPublicMailProvider(senderDomain))
            {
                yield return "Company:MailDomains is not set and the domain of SendGrid:FromEmail is a public mail provider's, where anyone has an address; set Company:MailDomains to the company's own domains.";
            }
        }
    }

    /// <summary>
    /// Well-known public mail providers: anyone can have an address there, so a sender there says nothing about where the
    /// company's mailboxes are and is never taken as the default. Not exhaustive: Company:MailDomains is the real answer.
    /// </summary>
    public static IReadOnlySet<string> PublicMailProviders { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "outlook.com", "outlook.jp", "hotmail.com", "hotmail.co.jp", "live.com", "live.jp",
        "msn.com", "yahoo.com", "yahoo.co.jp", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
        "protonmail.com", "gmx.com", "zoho.com", "mail.com", "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp",
    };

    /// <summary>Whether the domain is one of <see cref="PublicMailProviders"/> (case and a trailing dot ignored).</summary>
    public static bool IsPublicMailProvider(string domain) =>
        PublicMailProviders.Contains(domain.Trim().TrimEnd('.').ToLowerInvariant());

    private static HashSet<string> Normalized(IEnumerable<string> domains) =>
        domains.Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
}

/// <summary>Checks <see cref="CompanyMailDomains.Problems"/> when the company options are validated, at start-up.</summary>
public sealed class CompanyMailDomainsValidation(IOptions<OpeningsOptions> openings, IOptions<SendGridOptions> sendGrid) : IValidateOptions<CompanyOptions>
{
    public ValidateOptionsResult Validate(string? name, CompanyOptions options)
    {
        var problems = CompanyMailDomains.Problems(options, openings.Value, sendGrid.Value).ToArray();
        return problems.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
