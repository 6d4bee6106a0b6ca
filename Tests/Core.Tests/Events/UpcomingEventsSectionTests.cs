using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Newsletters;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class UpcomingEventsSectionTests
{
    private readonly Mock<IEventStore> events = new();
    private readonly FakeTimeProvider time = new(EventBuilders.Now);

    private static NetworkEvent At(int day, EventStatus status = EventStatus.Published, AudienceSegment? audience = null)
    {
        var e = EventBuilders.Event(status: status);
        var details = e.Details with
        {
            StartsAt = e.Details.StartsAt.AddDays(day),
            EndsAt = e.Details.EndsAt.AddDays(day),
            RegistrationDeadline = e.Details.RegistrationDeadline.AddDays(day),
            Audience = audience ?? AudienceSegment.Everyone,
        };
        e.Details = details;
        return e;
    }

    private UpcomingEventsSection Section() => new(events.Object, time);

    private static string Key(NetworkEvent e) => $"event-{e.Id}-{e.Details.StartsAt.ToUnixTimeSeconds()}";

    private async Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(params NetworkEvent[] upcoming)
    {
        events.Setup(s => s.UpcomingAsync(EventBuilders.Now, It.IsAny<CancellationToken>())).ReturnsAsync(upcoming);
        return await Section().EntriesAsync(EventBuilders.Now, CancellationToken.None);
    }

    [Fact]
    public async Task PublishedEventsForEveryone_AreListedSoonestFirst_InBothLanguages()
    {
        var later = At(day: 7);
        var sooner = At(day: 0);

        var entries = await EntriesAsync(later, sooner);

        Assert.Equal([Key(sooner), Key(later)], entries.Select(e => e.Key));
        var first = entries[0];
        Assert.Equal(NewsletterSectionKind.Events, first.Section);
        Assert.Equal(("アルムナイ講演会", "Alumni lecture"), (first.TitleJa, first.TitleEn));
        Assert.StartsWith("2027年2月10日(水) 19:00–21:00 (Asia/Tokyo)（講演会シリーズ）", first.TextJa, StringComparison.Ordinal);
        Assert.StartsWith("Wednesday 10 February 2027, 19:00–21:00 (Asia/Tokyo) (Lecture series).", first.TextEn, StringComparison.Ordinal);
        Assert.DoesNotContain("meet.example.com", first.TextJa + first.TextEn, StringComparison.Ordinal);
        // The reply is each reader's own link (NewsletterMail), the entry says until when; an event with seats says nothing of a waitlist.
        Assert.EndsWith("お申し込み締切: 2027年2月8日(月) 18:00 (Asia/Tokyo)", first.TextJa, StringComparison.Ordinal);
        Assert.EndsWith("Please reply by Monday 8 February 2027, 18:00 (Asia/Tokyo).", first.TextEn, StringComparison.Ordinal);
        Assert.Equal(new EntryRsvp(sooner.LinkScope, sooner.Details.EndsAt + EventWork.RsvpLinkLife, Full: false), first.Rsvp);
        Assert.Null(first.Link);
    }

    [Fact]
    public async Task ARescheduledEvent_HasANewKey_AnUnchangedOneTheSame()
    {
        var e = At(day: 1);
        var before = (await EntriesAsync(e)).Single().Key;
        var again = (await EntriesAsync(e)).Single().Key;

        e.Details = e.Details with { StartsAt = e.Details.StartsAt.AddDays(7), EndsAt = e.Details.EndsAt.AddDays(7) };
        var moved = (await EntriesAsync(e)).Single().Key;

        Assert.Equal(before, again);
        Assert.NotEqual(before, moved);
        Assert.StartsWith($"event-{e.Id}-", moved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledEvents_AndEventsForASegment_StayOutOfTheNewsletter()
    {
        var forEveryone = At(day: 1);
        var cancelled = At(day: 2, status: EventStatus.Cancelled);
        var forOneDepartment = At(day: 3, audience: new AudienceSegment { Departments = ["Markets"] });

        var entries = await EntriesAsync(forEveryone, cancelled, forOneDepartment);

        Assert.Equal([Key(forEveryone)], entries.Select(e => e.Key));
    }

    [Fact]
    public async Task AnEventWhoseRegistrationHasClosed_StaysOutOfTheNewsletter_AndIsDroppedFromAStoredIssue()
    {
        var (open, closing) = (At(day: 1), At(day: 1));
        closing.Details = closing.Details with { RegistrationDeadline = EventBuilders.Now.AddHours(1) };
        var composed = await EntriesAsync(open, closing);
        foreach (var e in new[] { open, closing })
        {
            events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        }

        time.Advance(TimeSpan.FromHours(1));
        var sendable = await Section().StillSendableAsync(composed, EventBuilders.Now, CancellationToken.None);
        events.Setup(s => s.UpcomingAsync(time.GetUtcNow(), It.IsAny<CancellationToken>())).ReturnsAsync([open, closing]);
        var later = await Section().EntriesAsync(time.GetUtcNow(), CancellationToken.None);

        Assert.Equal([Key(open), Key(closing)], composed.Select(e => e.Key));
        Assert.Equal([Key(open)], sendable.Select(e => e.Key));
        Assert.Equal([Key(open)], later.Select(e => e.Key));
    }

    [Fact]
    public async Task StoredIssue_DropsEventsCancelledNarrowedOrStartedByTheBatch_KeepsTheRest()
    {
        // Each event closes for registration two days before its start: the one still on stays open at the batch's time.
        var (stillOn, cancelled, narrowed, started) = (At(day: 4), At(day: 3), At(day: 3), At(day: 1));
        var news = new NewsletterEntry(NewsletterSectionKind.News, "news-1", "お知らせ", "News", "本文", "Text", null);
        var composed = (await EntriesAsync(stillOn, cancelled, narrowed, started)).Prepend(news).ToArray();
        cancelled.Cancel(EventBuilders.Now);
        narrowed.Details = narrowed.Details with { Audience = new AudienceSegment { Departments = ["Markets"] } };
        foreach (var e in new[] { stillOn, cancelled, narrowed, started })
        {
            events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        }

        // The batch goes out after the first event began, before the others do.
        time.SetUtcNow(started.Details.StartsAt.AddMinutes(1));
        var sendable = await Section().StillSendableAsync(composed, EventBuilders.Now, CancellationToken.None);

        Assert.Equal(["news-1", Key(stillOn)], sendable.Select(e => e.Key));
        foreach (var e in new[] { stillOn, cancelled, narrowed, started })
        {
            events.Verify(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Fact]
    public async Task StoredIssue_DropsAnEventMovedSinceComposition_KeepsOneUnchanged()
    {
        var (unchanged, moved) = (At(day: 3), At(day: 4));
        var composed = await EntriesAsync(unchanged, moved);
        moved.Details = moved.Details with { StartsAt = moved.Details.StartsAt.AddSeconds(1), EndsAt = moved.Details.EndsAt.AddSeconds(1) };
        foreach (var e in new[] { unchanged, moved })
        {
            events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        }

        var sendable = await Section().StillSendableAsync(composed, EventBuilders.Now, CancellationToken.None);

        Assert.Equal([Key(unchanged)], sendable.Select(e => e.Key));
    }

    [Fact]
    public async Task StoredIssue_SendsAnEventRetitledOrWithANewEndSinceComposition_AsItIsNow()
    {
        var (retitled, longer, unchanged) = (At(day: 3), At(day: 4), At(day: 5));
        var composed = await EntriesAsync(retitled, longer, unchanged);
        retitled.Details = retitled.Details with { Title = new LocalizedText("アルムナイ講演会（特別回）", "Alumni lecture (special)") };
        longer.Details = longer.Details with { EndsAt = longer.Details.EndsAt.AddHours(1) };
        foreach (var e in new[] { retitled, longer, unchanged })
        {
            events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        }

        var sendable = await Section().StillSendableAsync(composed, EventBuilders.Now, CancellationToken.None);

        Assert.Equal([Key(retitled), Key(longer), Key(unchanged)], sendable.Select(e => e.Key));
        Assert.Equal(("アルムナイ講演会（特別回）", "Alumni lecture (special)"), (sendable[0].TitleJa, sendable[0].TitleEn));
        Assert.Equal((composed[0].TextJa, composed[0].TextEn), (sendable[0].TextJa, sendable[0].TextEn));
        Assert.StartsWith("2027年2月14日(日) 19:00–22:00 (Asia/Tokyo)", sendable[1].TextJa, StringComparison.Ordinal);
        Assert.StartsWith("Sunday 14 February 2027, 19:00–22:00 (Asia/Tokyo)", sendable[1].TextEn, StringComparison.Ordinal);
        Assert.DoesNotContain("21:00", sendable[1].TextJa + sendable[1].TextEn, StringComparison.Ordinal);
        Assert.Equal(composed[2], sendable[2]);
    }

    [Fact]
    public async Task StoredIssue_DropsAnEventGoneOrAKeyNamingNone_ReadsAFirstFormKey()
    {
        var (gone, firstForm) = (At(day: 1), At(day: 2));
        events.Setup(s => s.GetAsync(firstForm.Id, It.IsAny<CancellationToken>())).ReturnsAsync(firstForm);
        var entries = new NewsletterEntry[]
        {
            new(NewsletterSectionKind.Events, Key(gone), "交流会", "Meetup", "本文", "Text", null),
            new(NewsletterSectionKind.Events, "event-1-1", "交流会", "Meetup", "本文", "Text", null),
            new(NewsletterSectionKind.Events, $"event-{firstForm.Id}", "講演会", "Lecture", "本文", "Text", null),
            new(NewsletterSectionKind.Openings, $"opening-{gone.Id}-1", "募集", "Opening", "本文", "Text", null),
        };

        var sendable = await Section().StillSendableAsync(entries, EventBuilders.Now, CancellationToken.None);

        Assert.Equal([$"event-{firstForm.Id}", $"opening-{gone.Id}-1"], sendable.Select(e => e.Key));
        events.Verify(s => s.GetAsync(gone.Id, It.IsAny<CancellationToken>()), Times.Once);
        events.Verify(s => s.GetAsync(firstForm.Id, It.IsAny<CancellationToken>()), Times.Once);
        events.VerifyNoOtherCalls();
    }
}
