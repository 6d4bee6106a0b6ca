using AlumniNetwork.Core.Alumni;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class WelcomeScheduleTests
{
    private static WelcomeSchedule Schedule(int delayDays, int sendHour = 9, string zone = "Asia/Tokyo") =>
        new(Options.Create(new WelcomeOptions { DelayDays = delayDays, SendHour = sendHour }), new Company.CompanyCalendar(Builders.Company(zone)));

    [Fact]
    public void DefaultDelay_IsTwoDaysLaterAtNineTokyoTime() =>
        Assert.Equal(DateTimeOffset.Parse("2026-12-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Schedule(2).DueAt(new DateOnly(2026, 11, 30)));

    [Theory]
    [InlineData(0, 9)]
    [InlineData(0, 0)]
    [InlineData(0, 23)]
    public void NoDelay_IsNeverBeforeTheLastWorkingDayHasEnded(int delay, int hour)
    {
        var due = Schedule(delay, hour).DueAt(new DateOnly(2026, 11, 30));

        // Midnight after 30 November in Tokyo is 15:00 UTC on 30 November.
        Assert.True(due >= DateTimeOffset.Parse("2026-11-30T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DaylightSavingGap_MovesToTheFirstValidTime()
    {
        // 2026-03-08 02:00 does not exist in New York.
        var due = Schedule(1, sendHour: 2, zone: "America/New_York").DueAt(new DateOnly(2026, 3, 7));

        Assert.Equal(DateTimeOffset.Parse("2026-03-08T07:00:00Z", System.Globalization.CultureInfo.InvariantCulture), due);
    }
}
