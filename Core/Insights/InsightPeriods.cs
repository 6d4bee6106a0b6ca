using System.Globalization;

namespace AlumniNetwork.Core.Insights;

/// <summary>The periods figures are kept for: calendar months and quarters in UTC, named <c>2026-11</c> and <c>2026Q4</c>.</summary>
public static class InsightPeriods
{
    public static string Month(DateTimeOffset at) => Month(DateOnly.FromDateTime(at.UtcDateTime));

    public static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>When the month <paramref name="month"/> (<c>yyyy-MM</c>, as <see cref="Month(DateOnly)"/> writes it) closes: midnight UTC of the next month's first day.</summary>
    public static DateTimeOffset MonthEnd(string month) =>
        new(DateOnly.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture).AddMonths(1), TimeOnly.MinValue, TimeSpan.Zero);

    public static string Quarter(DateOnly day) => $"{day.Year}Q{((day.Month - 1) / 3) + 1}";

    /// <summary>The first day of each of the <paramref name="count"/> months up to and including the month of <paramref name="now"/>, oldest first.</summary>
    public static IReadOnlyList<DateOnly> LastMonths(DateTimeOffset now, int count)
    {
        var current = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        return Enumerable.Range(0, count).Select(i => current.AddMonths(i - count + 1)).ToArray();
    }

    /// <summary>The first day of each of the <paramref name="count"/> quarters up to and including the quarter of <paramref name="now"/>, oldest first.</summary>
    public static IReadOnlyList<DateOnly> LastQuarters(DateTimeOffset now, int count)
    {
        var current = new DateOnly(now.UtcDateTime.Year, (((now.UtcDateTime.Month - 1) / 3) * 3) + 1, 1);
        return Enumerable.Range(0, count).Select(i => current.AddMonths(3 * (i - count + 1))).ToArray();
    }
}
