using AlumniNetwork.Core.Company;

// Not AlumniNetwork.Core.Tests.Company: that namespace would shadow the Company.… names other tests use.
namespace AlumniNetwork.Core.Tests;

public sealed class CompanyCalendarTests
{
    private static CompanyCalendar In(string zone) => new(Builders.Company(zone));

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // 23:30 UTC on the last day of November is 08:30 on 1 December in Tokyo.
    [InlineData("Asia/Tokyo", "2026-11-30T23:30:00Z", "2026-12-01")]
    [InlineData("Asia/Tokyo", "2026-11-30T14:59:59Z", "2026-11-30")]
    [InlineData("UTC", "2026-11-30T23:30:00Z", "2026-11-30")]
    // New York: 1 November 2026 is the day its clocks fall back (02:00 EDT to 01:00 EST); the day starts at 04:00 UTC.
    [InlineData("America/New_York", "2026-11-01T03:59:59Z", "2026-10-31")]
    [InlineData("America/New_York", "2026-11-01T04:00:00Z", "2026-11-01")]
    // London in summer time (BST, UTC+1): 23:30 UTC on 31 March is already April.
    [InlineData("Europe/London", "2027-03-31T23:30:00Z", "2027-04-01")]
    public void DayOf_IsTheDateTheCompanysClocksShow(string zone, string instant, string day) =>
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), In(zone).DayOf(Utc(instant)));

    [Theory]
    [InlineData("Asia/Tokyo", "2026-11-17", "2026-10-31T15:00:00Z", "2026-11-30T15:00:00Z")]
    // October in New York starts in daylight time (UTC-4) and ends in it too: the clocks fall back two hours after it closes.
    [InlineData("America/New_York", "2026-10-05", "2026-10-01T04:00:00Z", "2026-11-01T04:00:00Z")]
    // November starts in daylight time and ends in standard time (UTC-5).
    [InlineData("America/New_York", "2026-11-30", "2026-11-01T04:00:00Z", "2026-12-01T05:00:00Z")]
    // March in London starts in GMT and ends in BST, which began on its last Sunday.
    [InlineData("Europe/London", "2027-03-01", "2027-03-01T00:00:00Z", "2027-03-31T23:00:00Z")]
    public void AMonth_StartsAndEndsAtTheCompanysMidnight_WhateverTheDaylightSaving(string zone, string day, string start, string end)
    {
        var calendar = In(zone);
        var d = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal((Utc(start), Utc(end)), (calendar.StartOfMonth(d), calendar.EndOfMonth(d)));
    }

    [Theory]
    [InlineData("Asia/Tokyo")]
    [InlineData("America/New_York")]
    [InlineData("Europe/London")]
    [InlineData("UTC")]
    // Havana's clocks change at midnight: on 2026-11-01 they fall back from 01:00 to 00:00, so that midnight happens twice.
    [InlineData("America/Havana")]
    public void EveryInstant_IsInTheMonthWhoseStartAndEndItIsBetween(string zone)
    {
        var calendar = In(zone);
        // Every half hour across 2026 and 2027, through both daylight-saving changes of each year.
        for (var at = Utc("2026-01-01T00:00:00Z"); at < Utc("2028-01-01T00:00:00Z"); at = at.AddMinutes(30))
        {
            var day = calendar.DayOf(at);
            Assert.True(calendar.StartOfMonth(day) <= at && at < calendar.EndOfMonth(day), $"{at:O} in {zone}");
        }
    }
}
