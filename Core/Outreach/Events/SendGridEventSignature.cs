using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AlumniNetwork.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// Verifies SendGrid's Signed Event Webhook: ECDSA P-256 with SHA-256 over the timestamp header followed by the raw
/// body, the signature DER-encoded (RFC 3279) and base64'd; the timestamp must be within the tolerance both ways.
/// </summary>
public sealed class SendGridEventSignature
{
    private readonly byte[] publicKey;
    private readonly TimeSpan tolerance;
    private readonly TimeProvider time;

    public SendGridEventSignature(IOptions<SendGridEventWebhookOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        publicKey = SendGridEventWebhookOptions.DecodePublicKey(settings.EventWebhookPublicKey)
            ?? throw new ArgumentException("The SendGrid event webhook key is not an ECDSA P-256 public key.", nameof(options));
        tolerance = settings.EventWebhookTolerance;
        this.time = time;
    }

    public WebhookVerification Verify(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
        {
            return WebhookVerification.MissingHeaders;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() ||
            (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return WebhookVerification.TimestampOutOfTolerance;
        }

        byte[] der;
        try
        {
            der = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return WebhookVerification.BadSignature;
        }

        // A new key object per call: ECDsa instances are not documented as safe for concurrent use.
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(publicKey, out _);
        try
        {
            return key.VerifyData(SignedContent(timestamp, body), der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                ? WebhookVerification.Valid
                : WebhookVerification.BadSignature;
        }
        catch (CryptographicException)
        {
            return WebhookVerification.BadSignature;
        }
    }

    /// <summary>Signs as SendGrid would; used by tests and local tools, never by the app.</summary>
    public static string Sign(ECDsa privateKey, string timestamp, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(privateKey.SignData(SignedContent(timestamp, body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    private static byte[] SignedContent(string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }
}
