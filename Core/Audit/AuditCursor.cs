using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AlumniNetwork.Core.Audit;

/// <summary>
/// Where a page of the audit log stopped: the last entry read, by its instant and its id (ties within one tick are
/// ordered by id). Handed out opaque (base64url) as <c>next</c> and taken back as <c>cursor</c>; it selects a position
/// in a range the admin may read anyway, so it needs no signature, only a strict shape.
/// </summary>
public sealed record AuditCursor(DateTimeOffset At, string EntryId)
{
    private const int TicksLength = 19;
    private const int IdLength = 32;
    private const char Separator = '.';
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks:D19}{Separator}{EntryId}")));

    /// <summary>Reads a cursor <see cref="Encode"/> made; false for anything else (garbled, cut, edited out of shape).</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out AuditCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(value) || value.Length > 2 * (TicksLength + 1 + IdLength) || !Base64Url.IsValid(value))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value));
        if (text.Length != TicksLength + 1 + IdLength || text[TicksLength] != Separator
            || !long.TryParse(text.AsSpan(0, TicksLength), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !IsEntryId(text.AsSpan(TicksLength + 1)))
        {
            return false;
        }

        cursor = new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(TicksLength + 1)..]);
        return true;
    }

    /// <summary>An entry id as the log writes it: 32 lower-case hex digits.</summary>
    public static bool IsEntryId(ReadOnlySpan<char> id) => id.Length == IdLength && !id.ContainsAnyExcept(Hex);
}
