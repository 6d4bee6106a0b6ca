using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// Published events for everyone that have not started, as a newsletter section: what, when and what kind, in both
/// languages. An event for a segment stays out, since the newsletter goes to all members alike. The reply link is
/// personal, so it stays in each person's invitation; the online link is never in a newsletter. The same rule holds
/// when a batch of a stored issue goes out: an event cancelled, narrowed to a segment, gone, started or moved since the
/// issue was composed is dropped from it.
/// </summary>
public sealed class UpcomingEventsSection(IEventStore events, TimeProvider time) : INewsletterSection
{
    private const string KeyPrefix = "event-";

    public async Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await events.UpcomingAsync(now, cancellationToken))
            .Where(e => Advertised(e, now))
            .OrderBy(e => e.Details.StartsAt)
            .Select(e => new NewsletterEntry(
                NewsletterSectionKind.Events,
                StillAdvertised.Key(KeyPrefix, e.Id, e.Details.StartsAt),
                e.Details.Title.Japanese,
                e.Details.Title.English,
                $"{EventMail.When(e.Details, Locale.Japanese)}（{EventMail.KindLabel(e.Details.Kind, Locale.Japanese)}）ご案内メールのリンクからお申し込みいただけます。",
                $"{EventMail.When(e.Details, Locale.English)} ({EventMail.KindLabel(e.Details.Kind, Locale.English)}). Reply through the link in your invitation.",
                null))
            .ToArray();

    /// <summary>Keeps an entry only while its event is still advertised at the batch's time (<see cref="StillAdvertised"/>).</summary>
    public Task<IReadOnlyList<NewsletterEntry>> StillSendableAsync(IReadOnlyList<NewsletterEntry> entries, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return StillAdvertised.FilterAsync(entries, NewsletterSectionKind.Events, KeyPrefix, NetworkEvent.IsId, events.GetAsync, e => Advertised(e, now), e => e.Details.StartsAt, cancellationToken);
    }

    private static bool Advertised(NetworkEvent e, DateTimeOffset now) =>
        e.Status == EventStatus.Published && e.Details.Audience.IsEveryone && e.Details.StartsAt >= now;
}
