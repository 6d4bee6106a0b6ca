using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Functions.Hosting;

public sealed class HrisOptions : IValidatableObject
{
    public const string SectionName = "Hris";

    /// <summary>Standard Webhooks secrets (<c>whsec_…</c>); several at once during rotation.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>Checked at start-up, so an unresolved Key Vault reference fails the start, not the first webhook.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookSecrets.All(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("must hold at least one secret", [nameof(WebhookSecrets)]);
        }

        for (var i = 0; i < WebhookSecrets.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(WebhookSecrets[i]))
            {
                // An empty rotation slot is allowed; the verifier skips it.
                continue;
            }

            var encoded = WebhookSecrets[i].StartsWith("whsec_", StringComparison.Ordinal) ? WebhookSecrets[i][6..] : WebhookSecrets[i];
            if (Core.Validation.Base64Key.Decode(encoded) is not { Length: >= 16 })
            {
                yield return new ValidationResult("must be a Standard Webhooks secret: whsec_ and base64 of at least 16 bytes", [$"{nameof(WebhookSecrets)}:{i}"]);
            }
        }
    }
}
