namespace AlumniNetwork.Core.Insights;

/// <summary>
/// Small-group suppression for every figure the dashboard shows: a count of 1 to 4 people is never shown (it could point
/// at someone), nor any rate whose numerator or denominator is such a count. Zero is shown: "nobody" names no one.
/// </summary>
public static class SmallGroups
{
    public const int MinimumSize = 5;

    public static bool IsSuppressed(long people) => people is > 0 and < MinimumSize;

    /// <summary>The count, or null when it must not be shown.</summary>
    public static long? Shown(long people) => IsSuppressed(people) ? null : people;

    /// <summary>
    /// A part of <paramref name="whole"/> shown next to it, or null when it must not be: when it, or what the whole holds
    /// besides it, is a suppressed count (with the whole shown, the part would reveal that remainder by subtraction).
    /// </summary>
    public static long? ShownPart(long part, long whole) => IsSuppressed(part) || IsSuppressed(whole - part) ? null : part;

    /// <summary>
    /// <paramref name="part"/> out of <paramref name="whole"/> as a fraction, or null when the whole is empty or either
    /// side, or what is left of the whole, is a suppressed count (a rate over 6 with 1 left out would reveal that 1).
    /// </summary>
    public static double? Rate(long part, long whole) =>
        whole == 0 || IsSuppressed(part) || IsSuppressed(whole) || IsSuppressed(whole - part) ? null : (double)part / whole;
}
