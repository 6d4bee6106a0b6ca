namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// <see cref="INewsletterSection.StillSendableAsync"/> for a section whose entries each name one stored record by key,
/// <c>{prefix}{id}-{version}</c> (an opening, an event): reads each record the entries name once, however many entries
/// name it (an issue lists at most <see cref="NewsletterDraft.MaxEntriesPerSection"/> per section), and keeps an entry
/// only while its record is still advertised. A record gone, or a key that names none, drops its entry: what cannot be
/// checked is not sent to every reader. Other sections' entries pass through.
/// </summary>
public static class StillAdvertised
{
    public static async Task<IReadOnlyList<NewsletterEntry>> FilterAsync<T>(
        IReadOnlyList<NewsletterEntry> entries,
        NewsletterSectionKind section,
        string keyPrefix,
        Func<string, bool> isId,
        Func<string, CancellationToken, Task<T?>> read,
        Func<T, bool> advertised,
        CancellationToken cancellationToken)
        where T : class
    {
        string? IdOf(NewsletterEntry e) => IdIn(e.Key, keyPrefix, isId);

        var ids = entries.Where(e => e.Section == section).Select(IdOf).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var current = await Task.WhenAll(ids.Select(id => read(id, cancellationToken)));
        var kept = ids.Where((_, i) => current[i] is { } record && advertised(record)).ToHashSet(StringComparer.Ordinal);
        return entries.Where(e => e.Section != section || (IdOf(e) is { } id && kept.Contains(id))).ToArray();
    }

    /// <summary>
    /// The id a key <c>{prefix}{id}-{version}</c> names, or null. A key without the version, <c>{prefix}{id}</c>, names
    /// its id too: issues stored before events were keyed on their start have those (<see cref="SentEntries"/>).
    /// </summary>
    private static string? IdIn(string key, string prefix, Func<string, bool> isId)
    {
        const int IdLength = 32;
        var end = prefix.Length + IdLength;
        return key.StartsWith(prefix, StringComparison.Ordinal) && (key.Length == end || (key.Length > end && key[end] == '-'))
            && key.Substring(prefix.Length, IdLength) is var id && isId(id)
                ? id
                : null;
    }
}
