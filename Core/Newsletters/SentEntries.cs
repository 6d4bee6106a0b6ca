namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// The entries of the last issue sent, as "nothing new since" (<see cref="ComposeNewsletter"/>) asks about them: every
/// entry it listed and every one sent before that it passed over for room (<see cref="NewsletterIssue.Considered"/>),
/// or its entries when it predates that record. Issues
/// composed before entries were keyed as they are now (<see cref="NewsletterEntry"/>) stored <c>news-{id}-{updatedUnix}</c>
/// and <c>event-{id}</c>. The first names its item and is read as <c>news-{id}</c>. The second has no start, so it stands
/// for the event at whatever start it has now: a move between such an issue and the next is not news, once (ADR 0034).
/// </summary>
public sealed class SentEntries
{
    private const string NewsPrefix = "news-";

    private readonly HashSet<string> keys;
    private readonly HashSet<string> deferred;

    private SentEntries(IEnumerable<string> storedKeys, IEnumerable<string> deferredKeys)
    {
        keys = storedKeys.Select(Current).ToHashSet(StringComparer.Ordinal);
        deferred = deferredKeys.ToHashSet(StringComparer.Ordinal);
    }

    /// <param name="issue">The last issue sent; null when none was.</param>
    public static SentEntries Of(NewsletterIssue? issue) =>
        new(issue?.Considered ?? issue?.Entries.Select(e => e.Key) ?? [], issue?.Deferred ?? []);

    /// <summary>
    /// The entry was new in the last issue sent but left out for room (<see cref="NewsletterIssue.Deferred"/>), so it
    /// takes a place before entries new this time. Deferred keys are stored as entries are keyed now: no older form.
    /// </summary>
    public bool WasDeferred(NewsletterEntry entry) => deferred.Contains(entry.Key);

    public bool Contains(NewsletterEntry entry) =>
        keys.Contains(entry.Key)
        || (entry.Section == NewsletterSectionKind.Events && entry.Key.LastIndexOf('-') is > 0 and var start && keys.Contains(entry.Key[..start]));

    /// <summary>A stored key as entries are keyed now: a first-form news key loses its edit time; any other is kept.</summary>
    public static string Current(string storedKey) =>
        storedKey.StartsWith(NewsPrefix, StringComparison.Ordinal) && storedKey.LastIndexOf('-') is var dash && dash >= NewsPrefix.Length
        && storedKey[(dash + 1)..] is { Length: > 0 } edited && edited.All(char.IsAsciiDigit)
            ? storedKey[..dash]
            : storedKey;
}
