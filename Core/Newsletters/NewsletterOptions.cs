using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// When the month's newsletter is due. The setting is top-level (<c>NewsletterSchedule</c>), beside the timers'
/// schedules, so it has no section; unlike theirs, the app reads it, not the Functions host.
/// </summary>
public sealed class NewsletterOptions : IValidatableObject
{
    public const string DefaultSchedule = "0 0 10 1-7 * Mon";

    /// <summary>
    /// NCRONTAB with seconds (six fields), read in the company's time zone (<c>Company:TimeZone</c>). Default
    /// <c>0 0 10 1-7 * Mon</c>: the first Monday of the month at 10:00 (NCRONTAB needs both day fields to match).
    /// </summary>
    public string NewsletterSchedule { get; set; } = DefaultSchedule;

    /// <summary>
    /// The schedule may fire at most once a day: the issue is monthly, so a closer schedule gains nothing, and each tick
    /// walks every occurrence of the catch-up window (some 800,000 for every second). Daily stays allowed for a local
    /// run or a test that wants the issue due whenever it starts.
    /// </summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromDays(1);

    // Fixed years, not the clock: the answer does not change with the day the app starts. 28 years hold every pairing
    // of weekday and date, leap days included, so a schedule that fires in each of them fires every year; one that skips
    // a year (29 February; 31 December on a Monday, some six years apart) is refused with one that never fires.
    private static readonly DateTime YearFrom = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
    private const int YearsChecked = 28;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Newsletters.NewsletterSchedule.TryParse(NewsletterSchedule) is not { } schedule)
        {
            yield return new ValidationResult(
                $"must be an NCRONTAB expression of six fields (second minute hour day month day-of-week) in the company's time zone, such as '{DefaultSchedule}' for the first Monday of the month at 10:00",
                [nameof(NewsletterSchedule)]);
            yield break;
        }

        // Lazy: stops at the second occurrence of a schedule closer than a day, and 28 years of a daily one are 10,227.
        DateTime? previous = null;
        for (var year = YearFrom; year < YearFrom.AddYears(YearsChecked); year = year.AddYears(1))
        {
            var firedThisYear = false;
            // NCrontab leaves out the start, so one second before: midnight on 1 January is in its year.
            foreach (var occurrence in schedule.GetNextOccurrences(year.AddSeconds(-1), year.AddYears(1)))
            {
                if (occurrence - previous < MinimumInterval)
                {
                    yield return new ValidationResult(
                        $"must not fire more than once a day (the newsletter is monthly), such as '{DefaultSchedule}' for the first Monday of the month at 10:00",
                        [nameof(NewsletterSchedule)]);
                    yield break;
                }

                previous = occurrence;
                firedThisYear = true;
            }

            if (!firedThisYear)
            {
                yield return new ValidationResult(
                    $"must fire every year (30 February never occurs; 29 February, or 31 December on a Monday, skips years), such as '{DefaultSchedule}' for the first Monday of the month at 10:00",
                    [nameof(NewsletterSchedule)]);
                yield break;
            }
        }
    }
}
