using System.Globalization;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Newsletters;
using Microsoft.Extensions.Options;
using NCrontab;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class NewsletterScheduleTests
{
    private const string Tokyo = "Asia/Tokyo";
    private const string NewYork = "America/New_York";
    private const string FirstMonday = NewsletterOptions.DefaultSchedule;
    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };

    private static NewsletterSchedule Schedule(string zone, string expression = FirstMonday) =>
        new(Options.Create(new NewsletterOptions { NewsletterSchedule = expression }), new CompanyCalendar(Builders.Company(zone)));

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Fact]
    public void NCrontab_DayOfMonthAndDayOfWeek_MustBothMatch()
    {
        // The default schedule "days 1-7 and Monday" means the first Monday only if both day fields must match (AND);
        // Vixie cron reads them as OR, which would be every day 1-7 and every Monday.
        var firstMondays = CrontabSchedule.Parse(FirstMonday, SixFields)
            .GetNextOccurrences(new DateTime(2027, 1, 1), new DateTime(2028, 1, 1))
            .ToArray();

        Assert.Equal(12, firstMondays.Length);
        Assert.All(firstMondays, at => Assert.True(at.DayOfWeek == DayOfWeek.Monday && at.Day <= 7, $"{at:O}"));
        Assert.Equal(new DateTime(2027, 1, 4, 10, 0, 0), firstMondays[0]);
    }

    [Theory]
    [InlineData(Tokyo, "2027-02-01T01:00:00Z", "2027-02-01T01:00:00Z", "2027-02")] // Monday 1 February, 10:00 JST
    [InlineData(Tokyo, "2027-02-03T12:00:00Z", "2027-02-01T01:00:00Z", "2027-02")] // two days late: caught up
    [InlineData(NewYork, "2027-02-01T15:00:00Z", "2027-02-01T15:00:00Z", "2027-02")] // 10:00 EST
    [InlineData(NewYork, "2027-03-01T15:00:00Z", "2027-03-01T15:00:00Z", "2027-03")] // still EST (DST from 14 March)
    [InlineData(NewYork, "2027-04-05T14:00:00Z", "2027-04-05T14:00:00Z", "2027-04")] // 10:00 EDT: an hour earlier in UTC
    [InlineData(NewYork, "2027-11-01T14:00:00Z", "2027-11-01T14:00:00Z", "2027-11")] // still EDT (DST until 7 November)
    [InlineData(NewYork, "2027-12-06T15:00:00Z", "2027-12-06T15:00:00Z", "2027-12")] // EST again
    public void FirstMondayAtTenLocal_IsDueAtThatInstant_ForThatLocalMonth(string zone, string now, string occurrence, string issueId)
    {
        var due = Schedule(zone).DueAt(Instant(now));

        Assert.Equal(new NewsletterOccurrence(Instant(occurrence), issueId), due);
    }

    [Theory]
    [InlineData(Tokyo, "2027-02-01T00:59:59Z")] // 09:59 JST on the first Monday
    [InlineData(Tokyo, "2027-01-31T16:00:00Z")] // 1 February 01:00 JST, still 31 January in UTC
    [InlineData(NewYork, "2027-02-01T01:00:00Z")] // Monday 1 February in UTC, but 31 January 20:00 in New York
    [InlineData(NewYork, "2027-02-01T14:59:59Z")] // 09:59 EST
    [InlineData(NewYork, "2027-04-05T13:59:59Z")] // 09:59 EDT
    [InlineData(Tokyo, "2027-02-08T01:00:00Z")] // exactly the catch-up window after
    [InlineData(Tokyo, "2027-02-09T01:00:00Z")] // eight days after
    public void BeforeTheOccurrenceOrPastTheCatchUpWindow_IsNotDue(string zone, string now) =>
        Assert.Null(Schedule(zone).DueAt(Instant(now)));

    [Fact]
    public void JustInsideTheCatchUpWindow_IsStillDue() =>
        Assert.Equal("2027-02", Schedule(Tokyo).DueAt(Instant("2027-02-08T00:59:59Z"))?.IssueId);

    [Fact]
    public void OccurrenceLateInAMonth_CaughtUpInTheNext_KeepsItsOwnMonth()
    {
        var due = Schedule(Tokyo, "0 0 10 28 * *").DueAt(Instant("2027-02-02T01:00:00Z"));

        Assert.Equal(new NewsletterOccurrence(Instant("2027-01-28T01:00:00Z"), "2027-01"), due);
    }

    [Fact]
    public void OccurrenceOnTheFirstLocally_IsThatMonthsIssue_ThoughUtcIsStillInThePreviousMonth()
    {
        var due = Schedule(Tokyo, "0 0 8 1 * *").DueAt(Instant("2027-01-31T23:30:00Z"));

        Assert.Equal(new NewsletterOccurrence(Instant("2027-01-31T23:00:00Z"), "2027-02"), due);
    }

    [Theory]
    [InlineData("2027-03-14T06:59:59Z", null)]
    [InlineData("2027-03-14T07:00:00Z", "2027-03-14T07:00:00Z")]
    public void TimeSkippedBySpringForward_IsDueAtTheFirstInstantAfterTheGap(string now, string? occurrence)
    {
        // 02:30 on 14 March 2027 does not exist in New York: the clocks go from 02:00 EST to 03:00 EDT (07:00 UTC).
        var due = Schedule(NewYork, "0 30 2 14 3 *").DueAt(Instant(now));

        Assert.Equal(occurrence is null ? null : Instant(occurrence), due?.At);
    }

    [Fact]
    public void TimeShownTwiceWhenClocksFallBack_IsDueTheFirstTime()
    {
        // 01:30 on 7 November 2027 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
        var due = Schedule(NewYork, "0 30 1 7 11 *").DueAt(Instant("2027-11-07T05:45:00Z"));

        Assert.Equal(Instant("2027-11-07T05:30:00Z"), due?.At);
    }

    [Theory]
    [InlineData("0 0 1 1-7 Mon")] // five fields: no seconds
    [InlineData("0 0 25 1-7 * Mon")]
    [InlineData("first Monday")]
    [InlineData("")]
    [InlineData(null)]
    public void NotSixFieldNcrontab_IsRefusedByTheOptions(string? expression)
    {
        var options = new NewsletterOptions { NewsletterSchedule = expression! };

        var error = Assert.Single(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));

        Assert.Equal([nameof(NewsletterOptions.NewsletterSchedule)], error.MemberNames);
        Assert.Contains("NCRONTAB expression of six fields", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 10 30 2 *", "must fire every year")] // 30 February
    [InlineData("0 0 10 29 2 *", "must fire every year")] // 29 February: every four years
    [InlineData("0 0 10 31 12 Mon", "must fire every year")] // 31 December on a Monday: some six years apart
    [InlineData("* * * * * *", "more than once a day")] // every second: each tick would walk 800,000 occurrences
    [InlineData("0 * * * * *", "more than once a day")]
    [InlineData("0 0 10,22 1 * *", "more than once a day")] // twice on the first of the month
    public void ScheduleThatSkipsAYearOrFiresMoreThanDaily_IsRefusedByTheOptions_NamingTheSetting(string expression, string rule)
    {
        var options = new NewsletterOptions { NewsletterSchedule = expression };

        var error = Assert.Single(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));

        Assert.Equal([nameof(NewsletterOptions.NewsletterSchedule)], error.MemberNames);
        Assert.Contains(rule, error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 0 * * *")] // daily: the most a schedule may fire
    [InlineData("0 0 10 31 * *")] // seven months a year
    [InlineData("0 0 10 1 1 *")] // yearly
    [InlineData("0 0 0 1 1 *")] // yearly at midnight on 1 January, the first instant of each year checked
    public void ScheduleFiringAtMostDailyAndEveryYear_IsValid(string expression)
    {
        var options = new NewsletterOptions { NewsletterSchedule = expression };

        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }

    [Fact]
    public void DefaultSchedule_IsValid() =>
        Assert.Empty(new NewsletterOptions().Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new NewsletterOptions())));
}
