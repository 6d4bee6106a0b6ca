using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Openings;

/// <summary>
/// Open positions as a newsletter section: open openings that are not sensitive (a confidential project never goes to
/// everyone who reads the newsletter), newest first as the store lists them. The key changes when an opening changes,
/// so a changed opening is news again. The link to the openings page is each reader's own, signed, and added by the newsletter.
/// The same rule holds when a batch of a stored issue goes out: an opening closed, withdrawn or made sensitive since the
/// issue was composed is dropped from it.
/// </summary>
public sealed class OpenPositionsSection(IOpeningStore openings) : INewsletterSection
{
    public const int MaxText = 300;

    private const string KeyPrefix = "opening-";

    public async Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await openings.ListAsync(cancellationToken))
            .Where(Advertised)
            .Select(o => new NewsletterEntry(NewsletterSectionKind.Openings, $"{KeyPrefix}{o.Id}-{o.UpdatedAt.ToUnixTimeSeconds()}",
                o.Details.Title.Japanese, o.Details.Title.English, Summary(o, Locale.Japanese), Summary(o, Locale.English), null))
            .ToArray();

    /// <summary>
    /// Reads each opening the entries name once (an issue lists at most <see cref="NewsletterDraft.MaxEntriesPerSection"/>),
    /// and keeps an entry only while its opening is still advertised. An opening gone, or a key that names none, drops
    /// its entry: what cannot be checked is not sent to every reader.
    /// </summary>
    public async Task<IReadOnlyList<NewsletterEntry>> StillSendableAsync(IReadOnlyList<NewsletterEntry> entries, CancellationToken cancellationToken)
    {
        var ids = entries.Where(e => e.Section == NewsletterSectionKind.Openings).Select(e => IdOf(e.Key)).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var current = await Task.WhenAll(ids.Select(id => openings.GetAsync(id, cancellationToken)));
        var advertised = current.OfType<Opening>().Where(Advertised).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        return entries.Where(e => e.Section != NewsletterSectionKind.Openings || (IdOf(e.Key) is { } id && advertised.Contains(id))).ToArray();
    }

    private static bool Advertised(Opening o) => o.IsOpen && !o.IsSensitive;

    /// <summary>The opening an entry key <c>opening-{id}-{updatedUnix}</c> names, or null.</summary>
    private static string? IdOf(string key) =>
        key.StartsWith(KeyPrefix, StringComparison.Ordinal) && key.Length > KeyPrefix.Length + 32 && key[KeyPrefix.Length + 32] == '-'
        && key.Substring(KeyPrefix.Length, 32) is var id && Opening.IsId(id)
            ? id
            : null;

    private static string Summary(Opening o, Locale l)
    {
        var facts = string.Join(OpeningText.T(l, "／", " / "), OpeningText.Facts(o.Details, l).Take(4).Select(f => f.Value));
        var description = o.Details.Description.In(l);
        return $"{facts}\n{(description.Length > MaxText ? description[..MaxText] + "…" : description)}";
    }
}
