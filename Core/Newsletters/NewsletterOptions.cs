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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Newsletters.NewsletterSchedule.TryParse(NewsletterSchedule) is null)
        {
            yield return new ValidationResult(
                $"must be an NCRONTAB expression of six fields (second minute hour day month day-of-week) in the company's time zone, such as '{DefaultSchedule}' for the first Monday of the month at 10:00",
                [nameof(NewsletterSchedule)]);
        }
    }
}
