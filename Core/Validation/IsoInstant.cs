using System.Globalization;

namespace AlumniNetwork.Core.Validation;

/// <summary>
/// An ISO 8601 date and time that states its offset, <c>Z</c> or <c>±hh:mm</c>
/// (<c>2027-01-04T10:00:00+09:00</c>). One without an offset is refused: it would otherwise be read in the server's own
/// time zone, which is not the company's.
/// </summary>
public static class IsoInstant
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public static bool TryParse(string? text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
}
