using AlumniNetwork.Core.Company;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// When a welcome invitation is due: <c>lastWorkingDay + DelayDays</c> at <c>SendHour</c> in the company's time zone,
/// and never before the last working day has ended there (midnight after it).
/// </summary>
public sealed class WelcomeSchedule(IOptions<WelcomeOptions> welcome, IOptions<CompanyOptions> company)
{
    private readonly TimeZoneInfo zone = company.Value.ResolveTimeZone();

    public DateTimeOffset DueAt(DateOnly lastWorkingDay)
    {
        var settings = welcome.Value;
        var planned = ToUtc(lastWorkingDay.AddDays(settings.DelayDays).ToDateTime(new TimeOnly(settings.SendHour, 0)));
        var dayEnded = ToUtc(lastWorkingDay.AddDays(1).ToDateTime(TimeOnly.MinValue));
        return planned > dayEnded ? planned : dayEnded;
    }

    private DateTimeOffset ToUtc(DateTime local)
    {
        // A local time skipped by a daylight-saving change does not exist; the first valid minute after it does.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
