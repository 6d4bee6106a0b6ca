using AlumniNetwork.Core.Company;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// When a welcome invitation is due: <c>lastWorkingDay + DelayDays</c> at <c>SendHour</c> in the company's time zone,
/// and never before the last working day has ended there (midnight after it).
/// </summary>
public sealed class WelcomeSchedule(IOptions<WelcomeOptions> welcome, CompanyCalendar calendar)
{
    public DateTimeOffset DueAt(DateOnly lastWorkingDay)
    {
        var settings = welcome.Value;
        var planned = calendar.At(lastWorkingDay.AddDays(settings.DelayDays), settings.SendHour);
        var dayEnded = calendar.EndOf(lastWorkingDay);
        return planned > dayEnded ? planned : dayEnded;
    }

    /// <summary>The first <c>SendHour</c> in the company's time zone at or after <paramref name="now"/>: when a welcome owed again goes out.</summary>
    public DateTimeOffset NextSlot(DateTimeOffset now)
    {
        var today = calendar.DayOf(now);
        var slot = calendar.At(today, welcome.Value.SendHour);
        return slot >= now ? slot : calendar.At(today.AddDays(1), welcome.Value.SendHour);
    }
}
