using AlumniNetwork.Core.Company;
using Microsoft.Extensions.Options;
using NCrontab;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>An occurrence of the newsletter's schedule: when it was, and the issue it is for.</summary>
/// <param name="IssueId">The company-local month of the occurrence (<c>2027-02</c>), whatever month it is when it is acted on.</param>
public sealed record NewsletterOccurrence(DateTimeOffset At, string IssueId);

/// <summary>
/// When the month's newsletter is due: <see cref="NewsletterOptions.NewsletterSchedule"/> read on the company's clocks.
/// The Functions host reads timer schedules in UTC (Flex Consumption on Linux has no <c>WEBSITE_TIME_ZONE</c>), so the
/// timer only ticks and this decides (ADR 0034).
/// </summary>
public sealed class NewsletterSchedule(IOptions<NewsletterOptions> options, CompanyCalendar calendar)
{
    /// <summary>
    /// How long after an occurrence its issue may still go out. A run missed through an outage or a failure is made up
    /// for within a week; a deployment (or a schedule change) in the middle of a month does not send that month's issue
    /// weeks late.
    /// </summary>
    public static readonly TimeSpan CatchUpWindow = TimeSpan.FromDays(7);

    // Occurrences are found on the company's clocks; a daylight-saving change moves their instants an hour or so either
    // way, so the search reaches a day past both ends and keeps only the instants at or before now.
    private static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };

    private readonly CrontabSchedule schedule = TryParse(options.Value.NewsletterSchedule)
        ?? throw new InvalidOperationException($"{nameof(NewsletterOptions.NewsletterSchedule)} is not an NCRONTAB expression of six fields: start-up validation was skipped.");

    /// <summary>The schedule, or null when <paramref name="expression"/> is not six-field NCRONTAB.</summary>
    public static CrontabSchedule? TryParse(string? expression) =>
        string.IsNullOrWhiteSpace(expression) ? null : CrontabSchedule.TryParse(expression, SixFields);

    /// <summary>The latest occurrence at or before <paramref name="now"/> when it lies within <see cref="CatchUpWindow"/>; otherwise null.</summary>
    public NewsletterOccurrence? DueAt(DateTimeOffset now)
    {
        var local = calendar.ToLocal(now).DateTime;
        DateTimeOffset? latest = null;
        foreach (var occurrence in schedule.GetNextOccurrences(local - CatchUpWindow - Margin, local + Margin))
        {
            var at = calendar.ToInstant(occurrence);
            if (at <= now && (latest is null || at > latest))
            {
                latest = at;
            }
        }

        return latest is { } due && now - due < CatchUpWindow ? new NewsletterOccurrence(due, NewsletterIssue.IdOf(calendar.ToLocal(due))) : null;
    }
}
