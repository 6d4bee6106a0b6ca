using System.Globalization;
using System.Text.RegularExpressions;

namespace AlumniNetwork.Core.Validation;

/// <summary>
/// An ISO 8601 date and time that states its offset, <c>Z</c> or <c>±hh:mm</c>
/// (<c>2027-01-04T10:00:00+09:00</c>). One without an offset is refused: it would otherwise be read in the server's own
/// time zone, which is not the company's. Up to nine digits of a second are read (Java's <c>Instant</c> writes
/// nanoseconds); those past the seventh, finer than .NET's tick, are dropped.
/// </summary>
public static partial class IsoInstant
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public static bool TryParse(string? text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text is null ? null : BeyondTicks().Replace(text, ""), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);

    /// <summary>The eighth and ninth digits of a second's fraction, before the offset.</summary>
    [GeneratedRegex(@"(?<=:\d\d\.\d{7})\d{1,2}(?=Z$|[+-]\d\d:\d\d$)", RegexOptions.CultureInvariant)]
    private static partial Regex BeyondTicks();
}
