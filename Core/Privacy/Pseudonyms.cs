using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Privacy;

public sealed class PrivacyOptions : IValidatableObject
{
    public const string SectionName = "Privacy";

    /// <summary>
    /// Base64 of at least 32 random bytes: the key of the pseudonyms that stand in for email addresses, employee ids and
    /// departures in suppression lists, employee claims and their erasure and purge tombstones. A plain hash of an employee id such as <c>E12345</c> can be reversed
    /// by trying every id; a keyed one cannot without the key.
    /// </summary>
    [Required]
    public string PseudonymKey { get; set; } = "";

    /// <summary>
    /// Whether the personal data export leaves out the HR system's rehire-eligibility assessment (default true: the
    /// product never shows it to the alumnus, ADR 0014 amended). Japan's APPI (Art. 33(2)(ii)) lets a company withhold
    /// data whose disclosure would seriously interfere with its business, which an HR assessment can be; the export says
    /// what was withheld and why (<see cref="RehireEligibilityWithholdingReason"/>) instead of omitting it silently. An
    /// operator who chooses to disclose it sets this to false.
    /// </summary>
    public bool WithholdRehireEligibility { get; set; } = true;

    /// <summary>The reason the export gives when <see cref="WithholdRehireEligibility"/> is on.</summary>
    public string RehireEligibilityWithholdingReason { get; set; } =
        "人事評価のため開示していません（個人情報保護法第33条第2項第2号：業務の適正な実施に著しい支障を及ぼすおそれ）。 " +
        "Withheld: an HR assessment whose disclosure could seriously interfere with the company's business (APPI Article 33(2)(ii)).";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Base64Key.Decode(PseudonymKey) is not { Length: >= 32 })
        {
            yield return new ValidationResult("must be base64 of at least 32 bytes", [nameof(PseudonymKey)]);
        }

        if (WithholdRehireEligibility && string.IsNullOrWhiteSpace(RehireEligibilityWithholdingReason))
        {
            yield return new ValidationResult("must give the reason the export states when rehire eligibility is withheld", [nameof(RehireEligibilityWithholdingReason)]);
        }
    }
}

/// <summary>Keyed, one-way stand-ins for personal identifiers that must be matched later but never read back.</summary>
public sealed class Pseudonyms(IOptions<PrivacyOptions> options)
{
    private readonly byte[] key = Base64Key.Decode(options.Value.PseudonymKey) ?? throw new InvalidOperationException("Privacy:PseudonymKey must be base64.");

    /// <param name="kind">What the value is (<c>email</c>, <c>employee</c>, <c>departure</c>), so equal values of different kinds differ.</param>
    public string Of(string kind, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{kind}:{value}")));
}
