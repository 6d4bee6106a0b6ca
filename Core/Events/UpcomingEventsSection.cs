using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// Published events for everyone that have not started and are open for registration, as a newsletter section: what,
/// when, what kind and the reply deadline, in both languages, and each reader's own attend and decline links (the
/// invitation's, <see cref="EventWork.RsvpLinksExpireAt"/>: the RSVP page
/// applies the deadline, the seats and the waitlist). An event with no seat free for a newcomer says that "attend" joins
/// the waitlist. An event for a segment stays out, since the newsletter goes to all members alike; the online link is
/// never in a newsletter. At most <see cref="MaxEvents"/> events: every one costs each reader's substitutions two links.
/// The same rule holds when a batch of a stored issue goes out: an event cancelled, narrowed to a segment, gone, closed
/// for registration, started or moved since the issue was composed is dropped from it, and one still advertised goes
/// out as it is now (a new title or end time, full or not).
/// </summary>
public sealed class UpcomingEventsSection(IEventStore events, TimeProvider time) : ILimitedNewsletterSection
{
    /// <summary>
    /// Events an issue lists, each with two personal links (about 1.1 kB of substitutions a reader): five keep a
    /// personalization well inside SendGrid's 10,000 bytes beside the greeting, the openings link and the footer's links.
    /// </summary>
    public const int MaxEvents = 5;

    /// <summary>What an entry adds when a newcomer would be waitlisted; its "attend" link is labelled as joining the waitlist.</summary>
    public const string FullJa = "満席のため、キャンセル待ちでのお申し込みとなります。";

    public const string FullEn = "This event is full: you can join the waitlist.";

    private const string KeyPrefix = "event-";

    public int MaxEntries => MaxEvents;

    public async Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await events.UpcomingAsync(now, cancellationToken))
            .Where(e => Advertised(e, now))
            .OrderBy(e => e.Details.StartsAt)
            .Select(Entry)
            .ToArray();

    /// <summary>
    /// Keeps an entry only while its event is still advertised at the batch's time and still starts when its key says
    /// (<see cref="StillAdvertised"/>), written from the event as it is now: a title, end, time zone, kind or free seats
    /// changed since the issue was composed goes out changed, never the old wording. At most <see cref="MaxEvents"/>, the
    /// soonest: an issue stored before the cap may list more.
    /// </summary>
    public async Task<IReadOnlyList<NewsletterEntry>> StillSendableAsync(IReadOnlyList<NewsletterEntry> entries, DateTimeOffset composedAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var kept = await StillAdvertised.FilterAsync(entries, NewsletterSectionKind.Events, KeyPrefix, NetworkEvent.IsId, events.GetAsync, e => Advertised(e, now), e => e.Details.StartsAt, Entry, cancellationToken);
        var beyondCap = kept.Where(e => e.Section == NewsletterSectionKind.Events).Skip(MaxEvents).ToHashSet(ReferenceEqualityComparer.Instance);
        return kept.Where(e => !beyondCap.Contains(e)).ToArray();
    }

    private static NewsletterEntry Entry(NetworkEvent e) => new(
        NewsletterSectionKind.Events,
        StillAdvertised.Key(KeyPrefix, e.Id, e.Details.StartsAt),
        e.Details.Title.Japanese,
        e.Details.Title.English,
        $"{EventMail.When(e.Details, Locale.Japanese)}（{EventMail.KindLabel(e.Details.Kind, Locale.Japanese)}）お申し込み締切: {EventMail.Deadline(e.Details, Locale.Japanese)}{(IsFull(e) ? "\n" + FullJa : "")}",
        $"{EventMail.When(e.Details, Locale.English)} ({EventMail.KindLabel(e.Details.Kind, Locale.English)}). Please reply by {EventMail.Deadline(e.Details, Locale.English)}.{(IsFull(e) ? "\n" + FullEn : "")}",
        null)
    {
        Rsvp = new EntryRsvp(e.LinkScope, EventWork.RsvpLinksExpireAt(e), IsFull(e)),
    };

    /// <summary>A newcomer would be waitlisted: no seat free, or people already waiting for one (<see cref="NetworkEvent.Attend"/>).</summary>
    private static bool IsFull(NetworkEvent e) => e.Attending >= e.Details.Capacity || e.Waitlisted > 0;

    /// <summary>Published for everyone and still open for registration: an event whose deadline has passed cannot be
    /// replied to, so advertising it would only disappoint.</summary>
    private static bool Advertised(NetworkEvent e, DateTimeOffset now) =>
        e.RegistrationAt(now) == Registration.Open && e.Details.Audience.IsEveryone;
}
