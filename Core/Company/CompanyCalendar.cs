using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Company;

/// <summary>Dates in the company's time zone turned into instants: where "the day has ended" is decided.</summary>
public sealed class CompanyCalendar(IOptions<CompanyOptions> company)
{
    private readonly TimeZoneInfo zone = company.Value.ResolveTimeZone();

    /// <summary>The instant as the company's clocks show it (for dates printed in emails and pages).</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>Midnight after <paramref name="day"/> in the company's time zone.</summary>
    public DateTimeOffset EndOf(DateOnly day) => At(day.AddDays(1), 0);

    public DateTimeOffset At(DateOnly day, int hour)
    {
        var local = day.ToDateTime(new TimeOnly(hour, 0));

        // A local time skipped by a daylight-saving change does not exist; the first valid half hour after it does.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
