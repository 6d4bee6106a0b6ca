using System.Globalization;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// <see cref="INewsletterSection.StillSendableAsync"/> for a section whose entries each name one stored record by key,
/// <c>{prefix}{id}-{version}</c> (an opening, an event): reads each record the entries name once, however many entries
/// name it (an issue lists at most <see cref="NewsletterDraft.MaxEntriesPerSection"/> per section), and keeps an entry
/// only while its record is still advertised and still at the key's version (the instant the entry was written from: a
/// moved event's old date, an edited opening's old text is not sent). A kept entry is written again from the record as
/// it is now when the section gives <c>entryOf</c>, under its stored key: what the version does not cover (an event's
/// title or end) goes out as it stands. A record gone, or a key that names none, drops its entry: what cannot be
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
        Func<T, DateTimeOffset> version,
        Func<T, NewsletterEntry>? entryOf,
        CancellationToken cancellationToken)
        where T : class
    {
        var ids = entries.Where(e => e.Section == section).Select(e => IdIn(e.Key, keyPrefix, isId).Id).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToArray();
        var current = await Task.WhenAll(ids.Select(id => read(id, cancellationToken)));
        var kept = ids.Select((id, i) => (id, record: current[i])).Where(r => r.record is { } record && advertised(record))
            .ToDictionary(r => r.id, r => r.record!, StringComparer.Ordinal);
        return entries.Where(e => e.Section != section || (IdIn(e.Key, keyPrefix, isId) is ({ } id, var at)
                && kept.TryGetValue(id, out var now) && (at is null || at == VersionOf(version(now)))))
            .Select(e => e.Section == section && entryOf is not null ? entryOf(kept[IdIn(e.Key, keyPrefix, isId).Id!]) with { Key = e.Key } : e)
            .ToArray();
    }

    /// <summary>The key of an entry written from the record <paramref name="id"/> as it stood at <paramref name="version"/>.</summary>
    public static string Key(string prefix, string id, DateTimeOffset version) => $"{prefix}{id}-{VersionOf(version)}";

    private static string VersionOf(DateTimeOffset version) => version.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The id a key <c>{prefix}{id}-{version}</c> names, or null, and its version. A key without the version,
    /// <c>{prefix}{id}</c>, names its id at any version: issues stored before events were keyed on their start have
    /// those (<see cref="SentEntries"/>).
    /// </summary>
    private static (string? Id, string? Version) IdIn(string key, string prefix, Func<string, bool> isId)
    {
        const int IdLength = 32;
        var end = prefix.Length + IdLength;
        return key.StartsWith(prefix, StringComparison.Ordinal) && (key.Length == end || (key.Length > end && key[end] == '-'))
            && key.Substring(prefix.Length, IdLength) is var id && isId(id)
                ? (id, key.Length == end ? null : key[(end + 1)..])
                : (null, null);
    }
}
