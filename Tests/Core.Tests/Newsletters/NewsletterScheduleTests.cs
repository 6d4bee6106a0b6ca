using NCrontab;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class NewsletterScheduleTests
{
    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };

    [Fact]
    public void NCrontab_DayOfMonthAndDayOfWeek_MustBothMatch()
    {
        // The default schedule "days 1-7 and Monday" means the first Monday only if both day fields must match (AND);
        // Vixie cron reads them as OR, which would be every day 1-7 and every Monday.
        var firstMondays = CrontabSchedule.Parse("0 0 10 1-7 * Mon", SixFields)
            .GetNextOccurrences(new DateTime(2027, 1, 1), new DateTime(2028, 1, 1))
            .ToArray();

        Assert.Equal(12, firstMondays.Length);
        Assert.All(firstMondays, at => Assert.True(at.DayOfWeek == DayOfWeek.Monday && at.Day <= 7, $"{at:O}"));
        Assert.Equal(new DateTime(2027, 1, 4, 10, 0, 0), firstMondays[0]);
    }
}
