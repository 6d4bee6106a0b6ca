using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Openings;

public sealed class OpeningsOptions : IValidatableObject
{
    public const string SectionName = "Openings";

    /// <summary>
    /// The old name of <c>Company:MailDomains</c> (<see cref="Company.CompanyMailDomains"/>), still read when that is not set:
    /// the company's mail domains, where a recruiter mailbox must be (interest goes to a team mailbox, never to someone's
    /// private address) and every other company-internal mail goes. Set both only to the same domains.
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
