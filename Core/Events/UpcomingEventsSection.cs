using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// Published events for everyone that have not started, as a newsletter section: what, when and what kind, in both
/// languages. An event for a segment stays out, since the newsletter goes to all members alike. The reply link is
/// personal, so it stays in each person's invitation, sent at publication to members then receiving event mail (the entry says so);
/// the online link is never in a newsletter. The same rule holds
/// when a batch of a stored issue goes out: an event cancelled, narrowed to a segment, gone, closed for registration,
/// started or moved since the issue was composed is dropped from it, and one still advertised goes out as it is now (a
/// new title or end time).
/// </summary>
public sealed class UpcomingEventsSection(IEventStore events, TimeProvider time) : INewsletterSection
{
    /// <summary>
    /// How to reply, without promising a link the reader may not have: the invitation with the personal reply link goes
    /// once, when the event is published, to the members who then held consent to event mail (ADR 0023); nothing invites
    /// later, so turning event mail on afterwards does not bring it, and the entry does not say it would.
    /// </summary>
    public const string HowToReplyJa = "お申し込みのリンクは、イベント公開時にイベントのメールを受け取る設定だった方へのご案内メールに記載しています。";

    public const string HowToReplyEn = "The reply link is in the invitation emailed when the event was announced, to members who then received event emails.";

    private const string KeyPrefix = "event-";

    public async Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await events.UpcomingAsync(now, cancellationToken))
            .Where(e => Advertised(e, now))
            .OrderBy(e => e.Details.StartsAt)
            .Select(Entry)
            .ToArray();

    /// <summary>
    /// Keeps an entry only while its event is still advertised at the batch's time and still starts when its key says
    /// (<see cref="StillAdvertised"/>), written from the event as it is now: a title, end, time zone or kind changed
    /// since the issue was composed goes out changed, never the old wording.
    /// </summary>
    public Task<IReadOnlyList<NewsletterEntry>> StillSendableAsync(IReadOnlyList<NewsletterEntry> entries, DateTimeOffset composedAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return StillAdvertised.FilterAsync(entries, NewsletterSectionKind.Events, KeyPrefix, NetworkEvent.IsId, events.GetAsync, e => Advertised(e, now), e => e.Details.StartsAt, Entry, cancellationToken);
    }

    private static NewsletterEntry Entry(NetworkEvent e) => new(
        NewsletterSectionKind.Events,
        StillAdvertised.Key(KeyPrefix, e.Id, e.Details.StartsAt),
        e.Details.Title.Japanese,
        e.Details.Title.English,
        $"{EventMail.When(e.Details, Locale.Japanese)}（{EventMail.KindLabel(e.Details.Kind, Locale.Japanese)}）{HowToReplyJa}",
        $"{EventMail.When(e.Details, Locale.English)} ({EventMail.KindLabel(e.Details.Kind, Locale.English)}). {HowToReplyEn}",
        null);

    /// <summary>Published for everyone and still open for registration: an event whose deadline has passed cannot be
    /// replied to, so advertising it would only disappoint.</summary>
    private static bool Advertised(NetworkEvent e, DateTimeOffset now) =>
        e.RegistrationAt(now) == Registration.Open && e.Details.Audience.IsEveryone;
}
