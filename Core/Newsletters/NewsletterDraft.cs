using AlumniNetwork.Core.Company;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>The issue the newsletter would be if it were composed now: every section's current entries.</summary>
public sealed class NewsletterDraft(IEnumerable<INewsletterSection> sections, CompanyCalendar calendar, TimeProvider time)
{
    /// <summary>At most this many entries per section: a newsletter is a digest, not an archive.</summary>
    public const int MaxEntriesPerSection = 10;

    public async Task<NewsletterIssue> ComposeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entries = new List<NewsletterEntry>();
        foreach (var section in sections)
        {
            entries.AddRange((await section.EntriesAsync(now, cancellationToken)).Take(MaxEntriesPerSection));
        }

        return new NewsletterIssue(IssueIdAt(now), now, entries);
    }

    /// <summary>Issues are monthly, named by the company's local month.</summary>
    public string IssueIdAt(DateTimeOffset instant) => calendar.ToLocal(instant).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
