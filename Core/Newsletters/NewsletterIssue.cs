namespace AlumniNetwork.Core.Newsletters;

/// <summary>What a newsletter section is about; sections appear in this order.</summary>
public enum NewsletterSectionKind
{
    News,
    Events,
    Openings,
}

/// <summary>
/// One entry of a newsletter, in both languages, as it was when the issue was composed. <paramref name="Key"/> is
/// stable across issues, which is how "nothing new since the last issue" is decided: a news item's is its id alone
/// (<c>news-{id}</c>), so a corrected typo does not make the whole issue new; an event's is its id and start
/// (<c>event-{id}-{start}</c>), so an event moved to another time is news again.
/// </summary>
public sealed record NewsletterEntry(
    NewsletterSectionKind Section,
    string Key,
    string TitleJa,
    string TitleEn,
    string TextJa,
    string TextEn,
    Uri? Link)
{
    /// <summary>
    /// The reply the entry takes from each reader through links of their own (an event's attend / decline), or null.
    /// Written by the section from its record when a batch goes out, never stored: links are personal, and whether an
    /// event is full is decided when the mail leaves, not when the issue was composed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public EntryRsvp? Rsvp { get; init; }
}

/// <summary>
/// An entry that takes a reply on the RSVP page: each reader gets their own signed attend and decline links, bound to
/// <paramref name="Scope"/> and working until <paramref name="LinksExpireAt"/>, as the invitation's do.
/// </summary>
/// <param name="Full">No seat is free for a newcomer: "attend" puts the reader on the waitlist, and says so.</param>
public sealed record EntryRsvp(string Scope, DateTimeOffset LinksExpireAt, bool Full);

/// <summary>
/// A composed monthly issue: its entries are a snapshot, so every batch of its campaign renders the same mail, less any
/// entry its section no longer lets out (<see cref="INewsletterSection.StillSendableAsync"/>). A month with nothing new
/// is stored too, as a skipped issue without entries, so the month is decided once: news added later waits for next
/// month's issue rather than sending this month's days late.
/// </summary>
/// <param name="Id">The company-local month, <c>2027-01</c>.</param>
/// <param name="ComposedAt">When the issue was composed, or the month decided to be skipped.</param>
/// <param name="Skipped">No issue this month: never sent, and not what the next issue is compared with.</param>
public sealed record NewsletterIssue(string Id, DateTimeOffset ComposedAt, IReadOnlyList<NewsletterEntry> Entries, bool Skipped = false)
{
    public string CampaignId => $"newsletter-{Id}";

    /// <summary>
    /// The keys of the entries the issue lists and of those the sections offered (the first
    /// <see cref="NewsletterDraft.MaxTakenPerSection"/> of each) that were sent before but left out by
    /// the cap of <see cref="NewsletterDraft.MaxEntriesPerSection"/>: what the next issue's "nothing new" compares with
    /// (<see cref="SentEntries"/>), so an old entry passed over for room is not news later, while a new one left out
    /// (an 11th new news item) is still new next month and goes out then. Null on issues stored before it was kept:
    /// their entries stand for it.
    /// </summary>
    public IReadOnlyList<string>? Considered { get; init; }

    /// <summary>
    /// The keys of the new entries the sections offered that the cap left out: the next issue gives them places before
    /// its brand-new ones (<see cref="SentEntries.WasDeferred"/>), else a section ordered newest first would leave an
    /// older one out again whenever it has as many newer ones as places. Null on issues stored before it was kept.
    /// </summary>
    public IReadOnlyList<string>? Deferred { get; init; }

    /// <summary>The record that month <paramref name="id"/> has no issue because nothing was new.</summary>
    public static NewsletterIssue SkippedMonth(string id, DateTimeOffset decidedAt) => new(id, decidedAt, [], Skipped: true);

    /// <summary>The id of the issue for the month <paramref name="local"/> falls in on the company's clocks.</summary>
    public static string IdOf(DateTimeOffset local) => local.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A feature that contributes entries to the newsletter (news items, upcoming events, open positions).</summary>
public interface INewsletterSection
{
    /// <summary>
    /// The entries to show in an issue composed at <paramref name="now"/>, in the order the issue shows them: the draft
    /// takes the first <see cref="NewsletterDraft.MaxTakenPerSection"/>.
    /// </summary>
    Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The entries of a stored issue that may still go out, asked once per batch: its batches can leave days after it
    /// was composed (a late start, ADR 0034; a slow fan-out), and a section whose entries can stop being sendable (an
    /// opening closed or made sensitive, an event cancelled or started, a news item removed) drops its own; a kept entry
    /// may come back worded as its record is now (an edited news item, a retitled event), under its stored key.
    /// Other sections' entries pass through. Default: all of them.
    /// </summary>
    /// <param name="composedAt">When the issue was composed (<see cref="NewsletterIssue.ComposedAt"/>).</param>
    Task<IReadOnlyList<NewsletterEntry>> StillSendableAsync(IReadOnlyList<NewsletterEntry> entries, DateTimeOffset composedAt, CancellationToken cancellationToken) =>
        Task.FromResult(entries);
}

/// <summary>A section that lists fewer entries an issue than <see cref="NewsletterDraft.MaxEntriesPerSection"/>.</summary>
public interface ILimitedNewsletterSection : INewsletterSection
{
    /// <summary>At most this many of the section's entries go in an issue.</summary>
    int MaxEntries { get; }
}

public interface INewsletterIssueStore
{
    /// <summary>Stores the issue (or the skipped month) unless one for its month exists; false when it does (nothing changed).</summary>
    Task<bool> TryAddAsync(NewsletterIssue issue, CancellationToken cancellationToken);

    /// <summary>The month's issue, or its skipped record.</summary>
    Task<NewsletterIssue?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The most recent issue before <paramref name="id"/> that was not skipped, if any: the last one sent.</summary>
    Task<NewsletterIssue?> PreviousAsync(string id, CancellationToken cancellationToken);
}

/// <summary>
/// News items as a newsletter section: those inside their publish window when the issue is composed. When a batch of a
/// stored issue goes out, an item removed or outside its publish window at the batch's time is dropped from it, and one
/// still published goes out as it is now: a removed item is not sent to readers still waiting for the issue, nor is old
/// wording, and a corrected item is not lost to them (its key, its id alone, counts it as sent for next month).
/// </summary>
public sealed class NewsSection(INewsItemStore news, TimeProvider time) : INewsletterSection
{
    private const string KeyPrefix = "news-";

    public async Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await news.ListAsync(cancellationToken))
            .Where(item => item.IsPublishedAt(now))
            .Select(Entry)
            .ToArray();

    /// <summary>
    /// Reads each item the issue lists once (at most <see cref="NewsletterDraft.MaxEntriesPerSection"/>) and keeps its
    /// entry only while the item is there and published now, worded as the item is now under the entry's stored key: an
    /// item edited after the issue was composed goes out edited (a batch never sends nothing for a fixed typo). A key
    /// that names no item is dropped: what cannot be checked is not sent to every reader. A key of the first form,
    /// <c>news-{id}-{updatedUnix}</c>, is read as its id (<see cref="SentEntries.Current"/>).
    /// </summary>
    public async Task<IReadOnlyList<NewsletterEntry>> StillSendableAsync(IReadOnlyList<NewsletterEntry> entries, DateTimeOffset composedAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ids = entries.Where(e => e.Section == NewsletterSectionKind.News).Select(e => IdIn(e.Key)).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToArray();
        var items = await Task.WhenAll(ids.Select(id => news.GetAsync(id, cancellationToken)));
        var kept = items.OfType<NewsItem>().Where(item => item.IsPublishedAt(now)).ToDictionary(item => item.Id, StringComparer.Ordinal);
        return entries
            .Select(e => e.Section != NewsletterSectionKind.News ? e
                : IdIn(e.Key) is { } id && kept.TryGetValue(id, out var item) ? Entry(item) with { Key = e.Key }
                : null)
            .OfType<NewsletterEntry>()
            .ToArray();
    }

    private static NewsletterEntry Entry(NewsItem item) =>
        new(NewsletterSectionKind.News, KeyPrefix + item.Id, item.TitleJa, item.TitleEn, item.BodyJa, item.BodyEn, item.Link);

    private static string? IdIn(string key) =>
        SentEntries.Current(key) is var current && current.StartsWith(KeyPrefix, StringComparison.Ordinal)
        && current[KeyPrefix.Length..] is var id && NewsItem.IsId(id)
            ? id
            : null;
}
