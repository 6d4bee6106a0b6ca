using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// The SendGrid Signed Event Webhook: the key SendGrid signs event batches with, and how far its clock may be from ours.
/// Bound from the same <c>SendGrid</c> section as the sending options; only the event webhook reads these.
/// </summary>
public sealed class SendGridEventWebhookOptions : IValidatableObject
{
    public const string SectionName = "SendGrid";

    /// <summary>Beyond this a captured batch stays replayable for too long (as for the HR webhook's tolerance).</summary>
    public static readonly TimeSpan MaxEventWebhookTolerance = TimeSpan.FromHours(1);

    /// <summary>
    /// Base64 DER SubjectPublicKeyInfo of SendGrid's ECDSA P-256 verification key (Mail Settings, Signed Event Webhook).
    /// A public key, but kept in Key Vault in Azure so it is rotated in one place.
    /// </summary>
    [Required]
    public string EventWebhookPublicKey { get; set; } = "";

    /// <summary>Accepted difference between the signing timestamp and our clock, both ways (default 5 minutes).</summary>
    public TimeSpan EventWebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the webhook can verify events, so the provider's evidence about sends arrives at all.</summary>
    public bool IsConfigured => DecodePublicKey(EventWebhookPublicKey) is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DecodePublicKey(EventWebhookPublicKey) is null)
        {
            yield return new ValidationResult("must be a base64 DER SubjectPublicKeyInfo of an ECDSA P-256 key", [nameof(EventWebhookPublicKey)]);
        }

        if (EventWebhookTolerance <= TimeSpan.Zero || EventWebhookTolerance > MaxEventWebhookTolerance)
        {
            // Zero would refuse every batch; a long one widens the window in which a captured batch can be replayed.
            yield return new ValidationResult($"must be more than 00:00:00 and at most {MaxEventWebhookTolerance:c}", [nameof(EventWebhookTolerance)]);
        }
    }

    /// <returns>The key's DER bytes, or null when the text is not a P-256 public key.</returns>
    internal static byte[]? DecodePublicKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        try
        {
            var der = Convert.FromBase64String(base64.Trim());
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(der, out var read);
            return read == der.Length && key.KeySize == 256 ? der : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
