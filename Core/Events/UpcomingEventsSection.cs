using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// Published events for everyone that have not started, as a newsletter section: what, when and what kind, in both
/// languages. An event for a segment stays out, since the newsletter goes to all members alike. The reply link is
/// personal, so it stays in each person's invitation; the online link is never in a newsletter.
/// </summary>
public sealed class UpcomingEventsSection(IEventStore events) : INewsletterSection
{
    public async Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await events.UpcomingAsync(now, cancellationToken))
            .Where(e => e.Status == EventStatus.Published && e.Details.Audience.IsEveryone)
            .OrderBy(e => e.Details.StartsAt)
            .Select(e => new NewsletterEntry(
                NewsletterSectionKind.Events,
                $"event-{e.Id}-{e.Details.StartsAt.ToUnixTimeSeconds()}",
                e.Details.Title.Japanese,
                e.Details.Title.English,
                $"{EventMail.When(e.Details, Locale.Japanese)}（{EventMail.KindLabel(e.Details.Kind, Locale.Japanese)}）ご案内メールのリンクからお申し込みいただけます。",
                $"{EventMail.When(e.Details, Locale.English)} ({EventMail.KindLabel(e.Details.Kind, Locale.English)}). Reply through the link in your invitation.",
                null))
            .ToArray();
}
