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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Base64Key.Decode(PseudonymKey) is not { Length: >= 32 })
        {
            yield return new ValidationResult("must be base64 of at least 32 bytes", [nameof(PseudonymKey)]);
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
