using System.Globalization;
using AlumniNetwork.Core.Company;

namespace AlumniNetwork.Core.Insights;

/// <summary>
/// The periods figures are kept for: calendar months and quarters of the company's time zone (ADR 0020), named
/// <c>2026-11</c> and <c>2026Q4</c>, so HR reads them by their own calendar. An instant is placed by the company's date
/// (<see cref="CompanyCalendar.DayOf"/>), never by its UTC date.
/// </summary>
public static class InsightPeriods
{
    /// <summary>The month the company's clocks show at <paramref name="at"/>.</summary>
    public static string Month(DateTimeOffset at, CompanyCalendar calendar) => Month(calendar.DayOf(at));

    public static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The first day of <paramref name="month"/> (<c>yyyy-MM</c>, as <see cref="Month(DateOnly)"/> writes it).</summary>
    public static DateOnly FirstDay(string month) => DateOnly.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture);

    public static string Quarter(DateOnly day) => $"{day.Year}Q{((day.Month - 1) / 3) + 1}";

    /// <summary>The first day of each of the <paramref name="count"/> months up to and including the month of <paramref name="today"/> (the company's date), oldest first.</summary>
    public static IReadOnlyList<DateOnly> LastMonths(DateOnly today, int count)
    {
        var current = new DateOnly(today.Year, today.Month, 1);
        return Enumerable.Range(0, count).Select(i => current.AddMonths(i - count + 1)).ToArray();
    }

    /// <summary>The first day of each of the <paramref name="count"/> quarters up to and including the quarter of <paramref name="today"/> (the company's date), oldest first.</summary>
    public static IReadOnlyList<DateOnly> LastQuarters(DateOnly today, int count)
    {
        var current = new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1);
        return Enumerable.Range(0, count).Select(i => current.AddMonths(3 * (i - count + 1))).ToArray();
    }
}
