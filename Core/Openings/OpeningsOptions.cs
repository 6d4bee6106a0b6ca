using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Openings;

public sealed class OpeningsOptions : IValidatableObject
{
    public const string SectionName = "Openings";

    /// <summary>
    /// The company's mail domains a recruiter mailbox may be at (e.g. <c>example.co.jp</c>; subdomains count). Interest in
    /// an opening goes to a team mailbox of the company, never to someone's private address. Empty: the domain of
    /// <c>SendGrid:FromEmail</c>, the company's own sending domain.
    /// </summary>
    public List<string> RecruiterMailboxDomains { get; set; } = [];

    /// <summary>How many matches the match list shows at most, best first (default 500).</summary>
    public int MaxMatches { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RecruiterMailboxDomains.Any(d => string.IsNullOrWhiteSpace(d) || d.Contains('@', StringComparison.Ordinal) || !d.Contains('.', StringComparison.Ordinal)))
        {
            yield return new ValidationResult("must be mail domains such as example.co.jp, without '@'", [nameof(RecruiterMailboxDomains)]);
        }

        if (MaxMatches is < 1 or > 5000)
        {
            yield return new ValidationResult("must be from 1 to 5000", [nameof(MaxMatches)]);
        }
    }
}
