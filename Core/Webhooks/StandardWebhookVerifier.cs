using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AlumniNetwork.Core.Webhooks;

public enum WebhookVerification
{
    Valid,
    MissingHeaders,
    TimestampOutOfTolerance,
    BadSignature,
}

/// <summary>
/// Standard Webhooks (standardwebhooks.com) verification: HMAC-SHA256 over <c>id.timestamp.body</c>, any of several
/// secrets (rotation), any of several <c>v1,</c> signatures, constant-time comparison, timestamp tolerance both ways.
/// </summary>
public sealed class StandardWebhookVerifier
{
    private const string SecretPrefix = "whsec_";
    private readonly byte[][] keys;
    private readonly TimeSpan tolerance;
    private readonly TimeProvider time;

    public StandardWebhookVerifier(IEnumerable<string> secrets, TimeSpan tolerance, TimeProvider time)
    {
        keys = secrets.Where(s => !string.IsNullOrWhiteSpace(s)).Select(DecodeSecret).ToArray();
        if (keys.Length == 0)
        {
            throw new ArgumentException("At least one webhook secret is required.", nameof(secrets));
        }

        this.tolerance = tolerance;
        this.time = time;
    }

    /// <summary>How far a timestamp may stand from now, either way.</summary>
    public TimeSpan Tolerance => tolerance;

    public WebhookVerification Verify(string? id, string? timestamp, string? signatureHeader, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return WebhookVerification.MissingHeaders;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() ||
            (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return WebhookVerification.TimestampOutOfTolerance;
        }

        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));

        var candidates = signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Select(s => TryDecode(s[3..]))
            .OfType<byte[]>()
            .ToArray();
        foreach (var key in keys)
        {
            var expected = HMACSHA256.HashData(key, content);
            if (candidates.Any(candidate => CryptographicOperations.FixedTimeEquals(candidate, expected)))
            {
                return WebhookVerification.Valid;
            }
        }

        return WebhookVerification.BadSignature;
    }

    /// <summary>Signs as a sender would; used by tests and the local sample sender.</summary>
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(DecodeSecret(secret), content));
    }

    private static byte[] DecodeSecret(string secret)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        return Convert.FromBase64String(encoded);
    }

    private static byte[]? TryDecode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
