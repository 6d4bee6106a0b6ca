using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// Published events for everyone that have not started, as a newsletter section: what, when and what kind, in both
/// languages. An event for a segment stays out, since the newsletter goes to all members alike. The reply link is
/// personal, so it stays in each person's invitation, which only members receiving event mail get (the entry says so);
/// the online link is never in a newsletter. The same rule holds
/// when a batch of a stored issue goes out: an event cancelled, narrowed to a segment, gone, closed for registration,
/// started or moved since the issue was composed is dropped from it, and one still advertised goes out as it is now (a
/// new title or end time).
/// </summary>
public sealed class UpcomingEventsSection(IEventStore events, TimeProvider time) : INewsletterSection
{
    /// <summary>
    /// How to reply, without promising a link the reader may not have: invitations go only to members who consented to
    /// event mail, and a newsletter reader may not have. The footer of every newsletter has the preferences link
    /// (<see cref="AlumniNetwork.Core.Outreach.PromotionalFooter"/>), whose label this names.
    /// </summary>
    public const string HowToReplyJa = "お申し込みのリンクはイベントのご案内メールでお送りしています（イベントのメールを受け取る設定の方のみ）。設定は、このメール末尾の「配信設定の変更」から変えられます。";

    public const string HowToReplyEn = "Invitations with a reply link go to members who receive event emails; you can turn those on through \"Change your email preferences\" at the end of this email.";

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
