using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AlumniNetwork.Core.Alumni;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Links;

public enum LinkTokenStatus
{
    Valid,
    Expired,
    Invalid,
}

/// <param name="AlumnusId">Set when the signature checked out (valid or expired), so an expired page can speak the alumnus's language.</param>
/// <param name="Scope">What the link is bound to besides the alumnus (an event, a survey wave), or null for links bound to the alumnus alone.</param>
public sealed record LinkTokenCheck(LinkTokenStatus Status, AlumnusId? AlumnusId, string? Scope = null)
{
    /// <summary>The keyed fingerprint of the address the link was issued for, and the key it was made with.</summary>
    internal (string KeyId, string Fingerprint)? Address { get; init; }
}

/// <summary>
/// Signed, purpose-bound, expiring links: <c>keyId.payload.signature</c>, HMAC-SHA256 over <c>keyId.payload</c>.
/// The payload holds purpose, alumnus id, expiry, a short keyed fingerprint of the personal address the link was mailed
/// to (never the address) and, for links about one thing (an event's RSVP, a survey wave), its scope. A link works only
/// while the record still holds that address, so one mailed to an address HR has since corrected opens nothing (ADR 0007).
/// </summary>
public sealed class LinkTokenService(IOptions<SignedLinkOptions> options, TimeProvider time)
{
    /// <param name="scope">Binds the link to one thing (ids and letters, digits, '-', ':' and '_' only); a link with a scope never works for another.</param>
    /// <param name="expiresAt">Overrides the purpose's lifetime, e.g. an RSVP link that ends with the event.</param>
    public string Issue(LinkPurpose purpose, IRecipient alumnus, string? scope = null, DateTimeOffset? expiresAt = null)
    {
        if (scope is not null && !IsValidScope(scope))
        {
            throw new ArgumentException("A link scope is 1-100 ASCII letters, digits, '-', ':' or '_'.", nameof(scope));
        }

        var settings = options.Value;
        var expires = (expiresAt ?? time.GetUtcNow() + settings.LifetimeOf(purpose)).ToUnixTimeSeconds();
        var key = KeyBytes(settings.ActiveKeyId)!;
        var fields = string.Create(CultureInfo.InvariantCulture, $"{purpose}|{alumnus.Id}|{expires}|{Fingerprint(key, alumnus.PersonalEmail)}");
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(scope is null ? fields : $"{fields}|{scope}"));
        var signed = $"{settings.ActiveKeyId}.{payload}";
        return $"{signed}.{Base64Url.EncodeToString(Sign(key, signed))}";
    }

    public LinkTokenCheck Check(string? token, LinkPurpose purpose)
    {
        if (Read(token) is not { } read || read.Purpose != purpose.ToString())
        {
            return new LinkTokenCheck(LinkTokenStatus.Invalid, null);
        }

        return new LinkTokenCheck(time.GetUtcNow().ToUnixTimeSeconds() >= read.Expires ? LinkTokenStatus.Expired : LinkTokenStatus.Valid, read.AlumnusId, read.Scope)
        {
            Address = (read.KeyId, read.Fingerprint),
        };
    }

    /// <summary>Whether a checked link was issued for <paramref name="address"/>: false once the record holds another one.</summary>
    public bool IsFor(LinkTokenCheck check, EmailAddress address) =>
        check.Address is var (keyId, fingerprint) && KeyBytes(keyId) is { } key &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Fingerprint(key, address)), Encoding.ASCII.GetBytes(fingerprint));

    /// <summary>
    /// The alumnus a genuinely signed token names, whatever its purpose or expiry; null for anything else. For
    /// bookkeeping that must not be steered by forged tokens (rate-limit partitions), never for access.
    /// </summary>
    public AlumnusId? SignedSubject(string? token) => Read(token)?.AlumnusId;

    private (string KeyId, string Purpose, AlumnusId AlumnusId, long Expires, string Fingerprint, string? Scope)? Read(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 } || KeyBytes(parts[0]) is not { } key)
        {
            return null;
        }

        byte[] signature;
        string payload;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
            payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(key, $"{parts[0]}.{parts[1]}")))
        {
            return null;
        }

        // Tokens from before the address fingerprint (three or four fields) are not read: none were ever mailed.
        var fields = payload.Split('|');
        return fields.Length is 4 or 5 && AlumnusId.TryParse(fields[1], out var alumnusId) &&
            long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) && fields[3].Length == FingerprintLength
            ? (parts[0], fields[0], alumnusId, expires, fields[3], fields.Length == 5 ? fields[4] : null)
            : null;
    }

    private static bool IsValidScope(string scope) =>
        scope.Length is >= 1 and <= 100 && scope.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '_');

    private byte[]? KeyBytes(string keyId)
    {
        if (!options.Value.Keys.TryGetValue(keyId, out var encoded))
        {
            return null;
        }

        return Validation.Base64Key.Decode(encoded) is { Length: >= 32 } bytes
            ? bytes
            : throw new InvalidOperationException($"Link key '{keyId}' must be base64 of at least 32 bytes.");
    }

    private static byte[] Sign(byte[] key, string content) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(content));

    private const int FingerprintLength = 8;

    /// <summary>Eight base64url characters (48 bits) of an HMAC of the normalized address under the link key: tells addresses apart, never gives one back.</summary>
    private static string Fingerprint(byte[] key, EmailAddress address) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"address:{address.Normalized}")).AsSpan(0, 6));
}
