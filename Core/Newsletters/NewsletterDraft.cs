using AlumniNetwork.Core.Company;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// The issue the newsletter would be if it were composed now: every section's current entries, at most
/// <see cref="MaxEntriesPerSection"/> of each (fewer where a section says so: events, whose reply links are in every
/// reader's substitutions), the entries new since the last issue sent taking the places first.
/// </summary>
public sealed class NewsletterDraft(IEnumerable<INewsletterSection> sections, CompanyCalendar calendar, TimeProvider time)
{
    /// <summary>At most this many entries per section: a newsletter is a digest, not an archive.</summary>
    public const int MaxEntriesPerSection = 10;

    /// <summary>
    /// At most this many of a section's entries are taken at all, the first in the section's order (news newest first,
    /// events by start, openings as listed): every one taken has its key in the issue's row (<see cref="NewsletterIssue.Considered"/>
    /// or <see cref="NewsletterIssue.Deferred"/>), so the row is bounded whatever the stores hold, some 75 KB of keys at
    /// the longest (ADR 0034). Above <see cref="NewsItem.MaxLive"/>, so news created past that limit at the same moment is still taken.
    /// An entry past it is neither shown nor recorded: it is new when it comes inside.
    /// </summary>
    public const int MaxTakenPerSection = 250;

    /// <summary>
    /// The issue as it would go out now, named by this month (previews and test sends): the entries new since the last
    /// issue before it taking the places first, as in the real issue.
    /// </summary>
    public async Task<NewsletterIssue> ComposeAsync(INewsletterIssueStore issues, CancellationToken cancellationToken)
    {
        var issueId = IssueIdAt(time.GetUtcNow());
        return await ComposeAsync(issueId, SentEntries.Of(await issues.PreviousAsync(issueId, cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// Today's entries as the issue <paramref name="issueId"/> (a month's issue composed late keeps its month's name),
    /// the first <see cref="MaxTakenPerSection"/> of each section.
    /// Each section's places go first to its new entries that the last issue left out for room
    /// (<see cref="SentEntries.WasDeferred"/>), then to its other entries not in <paramref name="sent"/>, then to the
    /// rest, each in the section's order; the entries placed are listed in the section's order. So an issue holds every
    /// entry that is new unless one section has more new ones than places. What each section offered is kept as
    /// <see cref="NewsletterIssue.Considered"/>, less the new entries left out for room: they stay new, are kept as
    /// <see cref="NewsletterIssue.Deferred"/>, and take places first in the next issue, so an older one is not left out
    /// again by newer ones month after month.
    /// </summary>
    public async Task<NewsletterIssue> ComposeAsync(string issueId, SentEntries sent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entries = new List<NewsletterEntry>();
        var considered = new List<string>();
        var deferred = new List<string>();
        foreach (var section in sections)
        {
            // Shown and recorded are chosen from the same entries, so what "nothing new" compares with is what was on offer.
            var offered = (await section.EntriesAsync(now, cancellationToken)).Take(MaxTakenPerSection).ToArray();
            var cap = section is ILimitedNewsletterSection limited ? limited.MaxEntries : MaxEntriesPerSection;
            var places = Enumerable.Range(0, offered.Length).OrderBy(i => Rank(offered[i], sent)).Take(cap).ToHashSet();
            entries.AddRange(offered.Where((_, i) => places.Contains(i)));
            considered.AddRange(offered.Where((entry, i) => places.Contains(i) || sent.Contains(entry)).Select(e => e.Key));
            deferred.AddRange(offered.Where((entry, i) => !places.Contains(i) && !sent.Contains(entry)).Select(e => e.Key));
        }

        return new NewsletterIssue(issueId, now, entries) { Considered = considered, Deferred = deferred };
    }

    /// <summary>Who takes a section's places first: new entries left out last time, then other new ones, then sent ones.</summary>
    private static int Rank(NewsletterEntry entry, SentEntries sent) =>
        sent.Contains(entry) ? 2 : sent.WasDeferred(entry) ? 0 : 1;

    /// <summary>Issues are monthly, named by the company's local month.</summary>
    private string IssueIdAt(DateTimeOffset instant) => NewsletterIssue.IdOf(calendar.ToLocal(instant));
}
