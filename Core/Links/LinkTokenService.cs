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
public sealed record LinkTokenCheck(LinkTokenStatus Status, AlumnusId? AlumnusId, string? Scope = null);

/// <summary>
/// Signed, purpose-bound, expiring links: <c>keyId.payload.signature</c>, HMAC-SHA256 over <c>keyId.payload</c>.
/// The payload holds purpose, alumnus id, expiry and, for links about one thing (an event's RSVP, a survey wave), its
/// scope; ids only, no personal data.
/// </summary>
public sealed class LinkTokenService(IOptions<SignedLinkOptions> options, TimeProvider time)
{
    /// <param name="scope">Binds the link to one thing (ids and letters, digits, '-', ':' and '_' only); a link with a scope never works for another.</param>
    /// <param name="expiresAt">Overrides the purpose's lifetime, e.g. an RSVP link that ends with the event.</param>
    public string Issue(LinkPurpose purpose, AlumnusId alumnusId, string? scope = null, DateTimeOffset? expiresAt = null)
    {
        if (scope is not null && !IsValidScope(scope))
        {
            throw new ArgumentException("A link scope is 1-100 ASCII letters, digits, '-', ':' or '_'.", nameof(scope));
        }

        var settings = options.Value;
        var expires = (expiresAt ?? time.GetUtcNow() + settings.LifetimeOf(purpose)).ToUnixTimeSeconds();
        var fields = string.Create(CultureInfo.InvariantCulture, $"{purpose}|{alumnusId}|{expires}");
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(scope is null ? fields : $"{fields}|{scope}"));
        var signed = $"{settings.ActiveKeyId}.{payload}";
        return $"{signed}.{Base64Url.EncodeToString(Sign(KeyBytes(settings.ActiveKeyId)!, signed))}";
    }

    public LinkTokenCheck Check(string? token, LinkPurpose purpose)
    {
        if (Read(token) is not { } read || read.Purpose != purpose.ToString())
        {
            return new LinkTokenCheck(LinkTokenStatus.Invalid, null);
        }

        return time.GetUtcNow().ToUnixTimeSeconds() >= read.Expires
            ? new LinkTokenCheck(LinkTokenStatus.Expired, read.AlumnusId, read.Scope)
            : new LinkTokenCheck(LinkTokenStatus.Valid, read.AlumnusId, read.Scope);
    }

    /// <summary>
    /// The alumnus a genuinely signed token names, whatever its purpose or expiry; null for anything else. For
    /// bookkeeping that must not be steered by forged tokens (rate-limit partitions), never for access.
    /// </summary>
    public AlumnusId? SignedSubject(string? token) => Read(token)?.AlumnusId;

    private (string Purpose, AlumnusId AlumnusId, long Expires, string? Scope)? Read(string? token)
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

        var fields = payload.Split('|');
        return fields.Length is 3 or 4 && AlumnusId.TryParse(fields[1], out var alumnusId) &&
            long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            ? (fields[0], alumnusId, expires, fields.Length == 4 ? fields[3] : null)
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
}
