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
    /// Complementary suppression for cells that add up to a shown (or derivable) total, printed with one marker for every
    /// hidden cell (a "&lt;5" beside a plain "hidden" would bound them and the sum would pin them): each cell as
    /// <paramref name="shown"/> decided (null: hidden), and more hidden, smallest positive first, while the total less
    /// the shown cells would give a hidden one away: when one is hidden alone, or when their sum leaves no hidden cell
    /// room to be a group of <see cref="MinimumSize"/> or more (each hidden cell being at least 1). Never a zero: hidden,
    /// it would read as at least 1. With no positive cell left, the hidden cells are the whole total, shown nowhere.
    /// </summary>
    public static long?[] ShownWithTotal(IReadOnlyList<long> people, IReadOnlyList<long?> shown)
    {
        var cells = shown.ToArray();
        while (Enumerable.Range(0, cells.Length).Where(i => cells[i] is null).ToArray() is { Length: > 0 } hidden &&
               (hidden.Length == 1 || hidden.Sum(i => people[i]) - (hidden.Length - 1) < MinimumSize) &&
               Enumerable.Range(0, cells.Length).Where(i => cells[i] > 0).OrderBy(i => cells[i]).Select(i => (int?)i).FirstOrDefault() is { } next)
        {
            cells[next] = null;
        }

        return cells;
    }

    /// <summary>
    /// <paramref name="part"/> out of <paramref name="whole"/> as a fraction, or null when the whole is empty or either
    /// side, or what is left of the whole, is a suppressed count (a rate over 6 with 1 left out would reveal that 1).
    /// </summary>
    public static double? Rate(long part, long whole) =>
        whole == 0 || IsSuppressed(part) || IsSuppressed(whole) || IsSuppressed(whole - part) ? null : (double)part / whole;
}
