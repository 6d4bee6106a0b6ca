using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Company;

/// <summary>Dates in the company's time zone turned into instants: where "the day has ended" is decided.</summary>
public sealed class CompanyCalendar(IOptions<CompanyOptions> company)
{
    private readonly TimeZoneInfo zone = company.Value.ResolveTimeZone();

    /// <summary>The zone as configured (<c>Asia/Tokyo</c>), as emails and pages name it beside a local time.</summary>
    public string ZoneName => company.Value.TimeZone;

    /// <summary>The instant as the company's clocks show it (for dates printed in emails and pages).</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>The date the company's clocks show at <paramref name="instant"/>: the day (and month, and year) it belongs to.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>Midnight after <paramref name="day"/> in the company's time zone.</summary>
    public DateTimeOffset EndOf(DateOnly day) => At(day.AddDays(1), 0);

    /// <summary>
    /// Midnight starting the month of <paramref name="day"/> in the company's time zone. With <see cref="DayOf"/> it cuts
    /// time into whole months: an instant is in a month exactly when it is at or after the month's start and before the next
    /// one's (<see cref="EndOfMonth"/>), also when a daylight-saving change falls on that midnight.
    /// </summary>
    public DateTimeOffset StartOfMonth(DateOnly day) => At(new DateOnly(day.Year, day.Month, 1), 0);

    /// <summary>When the month of <paramref name="day"/> closes: midnight starting the next month, in the company's time zone.</summary>
    public DateTimeOffset EndOfMonth(DateOnly day) => StartOfMonth(new DateOnly(day.Year, day.Month, 1).AddMonths(1));

    public DateTimeOffset At(DateOnly day, int hour) => ToInstant(day.ToDateTime(new TimeOnly(hour, 0)));

    /// <summary>
    /// The instant the company's clocks show <paramref name="local"/>. A time a daylight-saving change skips does not
    /// exist: it becomes the first instant after the gap (02:30 on the spring-forward night is 03:00). A time the clocks
    /// show twice when they fall back is taken the first time.
    /// </summary>
    public DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Gaps start and end on a whole minute: the first valid minute is where the clocks jumped to.
            local = new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(local))
            {
                local = local.AddMinutes(1);
            }
        }

        // Of the two offsets of an ambiguous time, the larger (daylight) one gives the earlier instant.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
