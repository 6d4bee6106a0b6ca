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

    [Theory]
    [InlineData("2026-12-04T17:00:00Z", "2026-12-05T00:00:00Z")] // 02:00 in Tokyo: 09:00 the same day
    [InlineData("2026-12-05T00:00:00Z", "2026-12-05T00:00:00Z")] // 09:00 exactly: now
    [InlineData("2026-12-05T03:30:00Z", "2026-12-06T00:00:00Z")] // 12:30: 09:00 the next day
    public void NextSlot_IsTheNextSendHourInCompanyTime(string now, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Schedule(2).NextSlot(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
}
