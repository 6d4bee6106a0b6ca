using AlumniNetwork.Core.Company;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>The issue the newsletter would be if it were composed now: every section's current entries.</summary>
public sealed class NewsletterDraft(IEnumerable<INewsletterSection> sections, CompanyCalendar calendar, TimeProvider time)
{
    /// <summary>At most this many entries per section: a newsletter is a digest, not an archive.</summary>
    public const int MaxEntriesPerSection = 10;

    /// <summary>The issue as it would be now, named by this month (previews and test sends).</summary>
    public Task<NewsletterIssue> ComposeAsync(CancellationToken cancellationToken) => ComposeAsync(IssueIdAt(time.GetUtcNow()), cancellationToken);

    /// <summary>Today's entries as the issue <paramref name="issueId"/>: a month's issue composed late keeps its month's name.</summary>
    public async Task<NewsletterIssue> ComposeAsync(string issueId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entries = new List<NewsletterEntry>();
        foreach (var section in sections)
        {
            entries.AddRange((await section.EntriesAsync(now, cancellationToken)).Take(MaxEntriesPerSection));
        }

        return new NewsletterIssue(issueId, now, entries);
    }

    /// <summary>Issues are monthly, named by the company's local month.</summary>
    private string IssueIdAt(DateTimeOffset instant) => NewsletterIssue.IdOf(calendar.ToLocal(instant));
}
