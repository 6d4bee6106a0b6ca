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
    /// Complementary suppression for cells that add up to a shown (or derivable) total: each cell as shown (null: hidden),
    /// and when exactly one is hidden, which the total minus the others would give away, the smallest other positive
    /// cell is hidden too. Never a zero: marked hidden but not small, it could only be 0 or 5 and more, and the pair's sum
    /// would pin it to 0. With no positive cell left, the hidden cell is the whole total, a small group shown nowhere.
    /// </summary>
    public static long?[] ShownWithTotal(IReadOnlyList<long?> cells)
    {
        var shown = cells.ToArray();
        if (shown.Count(c => c is null) == 1 &&
            Enumerable.Range(0, shown.Length).Where(i => shown[i] > 0).OrderBy(i => shown[i]).Select(i => (int?)i).FirstOrDefault() is { } next)
        {
            shown[next] = null;
        }

        return shown;
    }

    /// <summary>
    /// <paramref name="part"/> out of <paramref name="whole"/> as a fraction, or null when the whole is empty or either
    /// side, or what is left of the whole, is a suppressed count (a rate over 6 with 1 left out would reveal that 1).
    /// </summary>
    public static double? Rate(long part, long whole) =>
        whole == 0 || IsSuppressed(part) || IsSuppressed(whole) || IsSuppressed(whole - part) ? null : (double)part / whole;
}
