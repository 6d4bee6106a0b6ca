using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Openings;

/// <summary>
/// Open positions as a newsletter section: open openings that are not sensitive (a confidential project never goes to
/// everyone who reads the newsletter), newest first as the store lists them. The key changes when an opening changes,
/// so a changed opening is news again. The link to the openings page is each reader's own, signed, and added by the newsletter.
/// The same rule holds when a batch of a stored issue goes out: an opening closed, withdrawn, made sensitive or edited
/// since the issue was composed is dropped from it (only an admin's edit moves <see cref="Opening.UpdatedAt"/>).
/// </summary>
public sealed class OpenPositionsSection(IOpeningStore openings) : INewsletterSection
{
    public const int MaxText = 300;

    private const string KeyPrefix = "opening-";

    public async Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await openings.ListAsync(cancellationToken))
            .Where(Advertised)
            .Select(o => new NewsletterEntry(NewsletterSectionKind.Openings, StillAdvertised.Key(KeyPrefix, o.Id, o.UpdatedAt),
                o.Details.Title.Japanese, o.Details.Title.English, Summary(o, Locale.Japanese), Summary(o, Locale.English), null))
            .ToArray();

    /// <summary>Keeps an entry only while its opening is still advertised (<see cref="StillAdvertised"/>).</summary>
    public Task<IReadOnlyList<NewsletterEntry>> StillSendableAsync(IReadOnlyList<NewsletterEntry> entries, DateTimeOffset composedAt, CancellationToken cancellationToken) =>
        StillAdvertised.FilterAsync(entries, NewsletterSectionKind.Openings, KeyPrefix, Opening.IsId, openings.GetAsync, Advertised, o => o.UpdatedAt, null, cancellationToken);

    private static bool Advertised(Opening o) => o.IsOpen && !o.IsSensitive;

    private static string Summary(Opening o, Locale l)
    {
        var facts = string.Join(OpeningText.T(l, "／", " / "), OpeningText.Facts(o.Details, l).Take(4).Select(f => f.Value));
        var description = o.Details.Description.In(l);
        return $"{facts}\n{(description.Length > MaxText ? FreeText.Cut(description, MaxText) + "…" : description)}";
    }
}
