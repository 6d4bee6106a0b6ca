using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Tests.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class ComposeNewsletterTests
{
    // First Monday of January 2027, 10:00 in Tokyo: the default schedule's occurrence.
    private static readonly DateTimeOffset JanuaryIssueDue = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(5);
    private FakeTimeProvider time = new(JanuaryIssueDue);
    private readonly Mock<INewsletterSection> news = new();
    private readonly Mock<INewsletterIssueStore> issues = new();
    private readonly Mock<ICampaigns> campaigns = new();

    /// <summary>What the store holds, by month; the mock answers from it as the table does.</summary>
    private readonly SortedDictionary<string, NewsletterIssue> stored = new(StringComparer.Ordinal);

    public ComposeNewsletterTests()
    {
        issues.Setup(i => i.TryAddAsync(It.IsAny<NewsletterIssue>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((NewsletterIssue issue, CancellationToken _) => stored.TryAdd(issue.Id, issue));
        issues.Setup(i => i.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => stored.GetValueOrDefault(id));
        issues.Setup(i => i.PreviousAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => stored.Values.LastOrDefault(i => string.CompareOrdinal(i.Id, id) < 0 && !i.Skipped));
        Current();
    }

    private static NewsletterEntry Entry(string key) => new(NewsletterSectionKind.News, key, "題", "Title", "本文", "Body", null);

    private static CampaignRequest Request(string issueId) => new($"newsletter-{issueId}", CampaignKind.Newsletter, issueId, AudienceSegment.Everyone, "timer");

    private ComposeNewsletter Handler(string schedule = NewsletterOptions.DefaultSchedule, INewsletterSection? section = null)
    {
        var calendar = new CompanyCalendar(Builders.Company());
        return new(
            new NewsletterSchedule(Options.Create(new NewsletterOptions { NewsletterSchedule = schedule }), calendar),
            new NewsletterDraft([section ?? news.Object], calendar, time),
            issues.Object,
            campaigns.Object,
            time,
            NullLogger<ComposeNewsletter>.Instance);
    }

    private Task<NewsletterOutcome> TickAsync() => Handler().HandleAsync(CancellationToken.None);

    private void Current(params string[] keys) =>
        news.Setup(s => s.EntriesAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(keys.Select(Entry).ToArray());

    private void Sent(string id, params string[] keys) => stored[id] = new NewsletterIssue(id, JanuaryIssueDue.AddMonths(-1), keys.Select(Entry).ToArray());

    [Fact]
    public async Task SomethingNew_StoresTheIssueAndStartsItsCampaign()
    {
        Current("news-a", "news-b");
        Sent("2026-12", "news-a");

        Assert.Equal(NewsletterOutcome.Started, await TickAsync());

        var issue = stored["2027-01"];
        Assert.Equal((false, 2), (issue.Skipped, issue.Entries.Count));
        campaigns.Verify(c => c.StartAsync(Request("2027-01"), It.IsAny<CancellationToken>()));
    }

    [Theory]
    [InlineData(new string[0], new[] { "news-a" })]
    [InlineData(new[] { "news-a" }, new[] { "news-a" })]
    [InlineData(new string[0], null)]
    public async Task NothingNewSinceTheLastIssue_RecordsTheMonthAsSkippedAndSendsNothing(string[] current, string[]? previous)
    {
        Current(current);
        if (previous is not null)
        {
            Sent("2026-12", previous);
        }

        Assert.Equal(NewsletterOutcome.NothingNew, await TickAsync());

        var record = stored["2027-01"];
        Assert.Equal((true, 0), (record.Skipped, record.Entries.Count));
        campaigns.VerifyNoOtherCalls();
    }

    /// <summary>Last month's issue as <paramref name="section"/> composed it then.</summary>
    private async Task SentFromAsync(INewsletterSection section)
    {
        var december = JanuaryIssueDue.AddMonths(-1);
        stored["2026-12"] = new NewsletterIssue("2026-12", december, await section.EntriesAsync(december, CancellationToken.None));
    }

    [Fact]
    public async Task ANewsItemSentLastMonth_EditedSince_IsNothingNew()
    {
        var item = new NewsItem("n1", "同窓会のお知らせ", "Reunion", "本文", "Teh reunion", null, JanuaryIssueDue.AddMonths(-2), null, JanuaryIssueDue.AddMonths(-2));
        var store = new Mock<INewsItemStore>();
        store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([item]);
        var section = new NewsSection(store.Object, time);
        await SentFromAsync(section);

        store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([item with { BodyEn = "The reunion", UpdatedAt = JanuaryIssueDue.AddDays(-3) }]);

        Assert.Equal(NewsletterOutcome.NothingNew, await Handler(section: section).HandleAsync(CancellationToken.None));
        campaigns.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(0, NewsletterOutcome.NothingNew)]
    [InlineData(7, NewsletterOutcome.Started)]
    public async Task AnEventSentLastMonth_IsNewAgain_OnlyWhenItMovedToAnotherTime(int movedByDays, NewsletterOutcome outcome)
    {
        var e = EventBuilders.Event();
        var store = new Mock<IEventStore>();
        store.Setup(s => s.UpcomingAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([e]);
        var section = new UpcomingEventsSection(store.Object, time);
        await SentFromAsync(section);

        e.Details = e.Details with { StartsAt = e.Details.StartsAt.AddDays(movedByDays), EndsAt = e.Details.EndsAt.AddDays(movedByDays) };

        Assert.Equal(outcome, await Handler(section: section).HandleAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(false, NewsletterOutcome.NothingNew)]
    [InlineData(true, NewsletterOutcome.Started)]
    public async Task LastIssueStoredUnderTheFirstFormOfKeys_IsReadAsNow_SoOnlySomethingNewSendsAnIssue(bool newItem, NewsletterOutcome outcome)
    {
        var item = new NewsItem(NewsItem.NewId(), "同窓会のお知らせ", "Reunion", "本文", "Body", null, JanuaryIssueDue.AddMonths(-2), null, JanuaryIssueDue.AddMonths(-2));
        var e = EventBuilders.Event();
        // As the first form keyed them: a news item on its id and edit time, an event on its id alone.
        stored["2026-12"] = new NewsletterIssue("2026-12", JanuaryIssueDue.AddMonths(-1),
        [
            Entry($"news-{item.Id}-{item.UpdatedAt.ToUnixTimeSeconds()}"),
            Entry($"event-{e.Id}") with { Section = NewsletterSectionKind.Events },
        ]);
        var newsStore = new Mock<INewsItemStore>();
        newsStore.Setup(s => s.ListAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(newItem ? [item, item with { Id = NewsItem.NewId() }] : [item]);
        var eventStore = new Mock<IEventStore>();
        eventStore.Setup(s => s.UpcomingAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([e]);
        var now = (await new NewsSection(newsStore.Object, time).EntriesAsync(JanuaryIssueDue, CancellationToken.None))
            .Concat(await new UpcomingEventsSection(eventStore.Object, time).EntriesAsync(JanuaryIssueDue, CancellationToken.None)).ToArray();
        news.Setup(s => s.EntriesAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(now);

        Assert.Equal(outcome, await TickAsync());
        Assert.Equal(newItem ? 3 : 0, stored["2027-01"].Entries.Count);
    }

    /// <summary>Entry keys <c>news-01</c>…, in the section's order (for news: newest publish date first).</summary>
    private static string[] Keys(int count) => Enumerable.Range(1, count).Select(i => $"news-{i:D2}").ToArray();

    [Fact]
    public async Task AnOldEntryPassedOverForRoom_IsNotNewLater_WhenOneSentIsDeleted()
    {
        Sent("2026-12", Keys(11));
        Current([.. Keys(11), "news-new"]);
        Assert.Equal(NewsletterOutcome.Started, await TickAsync());
        Assert.Equal([.. Keys(9), "news-new"], stored["2027-01"].Entries.Select(e => e.Key));

        time.SetUtcNow(new DateTimeOffset(2027, 2, 1, 1, 0, 0, TimeSpan.Zero)); // first Monday of February, 10:00 JST
        Current([.. Keys(11)[1..], "news-new"]);

        Assert.Equal(NewsletterOutcome.NothingNew, await TickAsync());
        Assert.True(stored["2027-02"].Skipped);
        campaigns.Verify(c => c.StartAsync(Request("2027-02"), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MoreThanTenNewItems_TheExtraOneIsNotCountedAsSent_AndGoesOutNextMonth()
    {
        Current(Keys(11));
        Assert.Equal(NewsletterOutcome.Started, await TickAsync());
        Assert.Equal(Keys(10), stored["2027-01"].Entries.Select(e => e.Key));
        Assert.DoesNotContain("news-11", stored["2027-01"].Considered!);

        time.SetUtcNow(new DateTimeOffset(2027, 2, 1, 1, 0, 0, TimeSpan.Zero)); // first Monday of February, 10:00 JST
        Current(Keys(11));

        Assert.Equal(NewsletterOutcome.Started, await TickAsync());
        Assert.Contains("news-11", stored["2027-02"].Entries.Select(e => e.Key));
        campaigns.Verify(c => c.StartAsync(Request("2027-02"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task NewItemsLeftOutForRoom_GoOutNextMonth_BeforeNewerOnes()
    {
        string[] january = [.. Enumerable.Range(1, 12).Select(i => $"news-j{i:D2}")];
        string[] february = [.. Enumerable.Range(1, 10).Select(i => $"news-f{i:D2}")];
        Current(january);
        Assert.Equal(NewsletterOutcome.Started, await TickAsync());
        Assert.Equal(["news-j11", "news-j12"], stored["2027-01"].Deferred!);

        time.SetUtcNow(new DateTimeOffset(2027, 2, 1, 1, 0, 0, TimeSpan.Zero)); // first Monday of February, 10:00 JST
        Current([.. february, .. january]); // newest first: February's ten sort before January's two

        Assert.Equal(NewsletterOutcome.Started, await TickAsync());
        Assert.Equal([.. february[..8], "news-j11", "news-j12"], stored["2027-02"].Entries.Select(e => e.Key));
        Assert.Equal(["news-f09", "news-f10"], stored["2027-02"].Deferred!);
    }

    [Fact]
    public async Task ANewEntryBelowTheTenthPlace_IsNew_AndTakesAPlaceBeforeOldOnes()
    {
        Sent("2026-12", Keys(10));
        // A new item whose publish date is older than the tenth newest sorts last.
        Current([.. Keys(10), "news-late"]);

        Assert.Equal(NewsletterOutcome.Started, await TickAsync());

        Assert.Equal([.. Keys(9), "news-late"], stored["2027-01"].Entries.Select(e => e.Key));
    }

    /// <summary>More keys than the draft takes from a section, in the section's order: <c>news-001</c>…</summary>
    private static string[] PastTheCap() => Enumerable.Range(1, NewsletterDraft.MaxTakenPerSection + 10).Select(i => $"news-{i:D3}").ToArray();

    [Fact]
    public async Task MoreEntriesThanTheDraftTakes_ThoseAfterTheCap_AreNeitherShownNorRecorded()
    {
        var offered = PastTheCap();
        Current(offered);

        Assert.Equal(NewsletterOutcome.Started, await TickAsync());

        var issue = stored["2027-01"];
        Assert.Equal(offered[..NewsletterDraft.MaxEntriesPerSection], issue.Entries.Select(e => e.Key));
        Assert.Equal(offered[..NewsletterDraft.MaxTakenPerSection], issue.Considered!.Concat(issue.Deferred!));
    }

    [Fact]
    public async Task MoreUpcomingEventsThanTheDraftTakes_TheSoonestAreTaken_WhateverOrderTheStoreListsThem()
    {
        // Listed latest first: the section orders by start, and the cap takes the soonest.
        var events = Enumerable.Range(1, NewsletterDraft.MaxTakenPerSection + 1).Reverse().Select(days =>
        {
            var e = EventBuilders.Event();
            e.Details = e.Details with { StartsAt = e.Details.StartsAt.AddDays(days), EndsAt = e.Details.EndsAt.AddDays(days) };
            return e;
        }).ToArray();
        var store = new Mock<IEventStore>();
        store.Setup(s => s.UpcomingAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(events);

        Assert.Equal(NewsletterOutcome.Started, await Handler(section: new UpcomingEventsSection(store.Object, time)).HandleAsync(CancellationToken.None));

        var recorded = stored["2027-01"].Considered!.Concat(stored["2027-01"].Deferred!).ToArray();
        Assert.Equal(NewsletterDraft.MaxTakenPerSection, recorded.Length);
        Assert.DoesNotContain(recorded, key => key.Contains(events[0].Id, StringComparison.Ordinal));
        Assert.Contains(recorded, key => key.Contains(events[^1].Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntriesAfterTheCap_AreNotNew_SoAMonthWithNothingElseNewIsSkipped()
    {
        var offered = PastTheCap();
        Sent("2026-12", offered[..NewsletterDraft.MaxEntriesPerSection]);
        stored["2026-12"] = stored["2026-12"] with { Considered = offered[..NewsletterDraft.MaxTakenPerSection] };
        Current(offered);

        Assert.Equal(NewsletterOutcome.NothingNew, await TickAsync());
        Assert.True(stored["2027-01"].Skipped);
    }

    [Fact]
    public async Task BeforeTheOccurrence_IsNotDue_AndTouchesNoStorage()
    {
        time = new FakeTimeProvider(JanuaryIssueDue.AddSeconds(-1));

        Assert.Equal(NewsletterOutcome.NotDue, await TickAsync());

        issues.VerifyNoOtherCalls();
        news.Verify(s => s.EntriesAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
        campaigns.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task MoreThanAWeekAfterTheOccurrence_IsNotDue_EvenWithNoIssueThisMonth()
    {
        Current("news-a");
        time.SetUtcNow(JanuaryIssueDue.AddDays(8));

        Assert.Equal(NewsletterOutcome.NotDue, await TickAsync());

        Assert.Empty(stored);
        campaigns.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task IssueComposedBefore_StartsItsCampaignAgainAndComposesNothing()
    {
        stored["2027-01"] = new NewsletterIssue("2027-01", JanuaryIssueDue, [Entry("news-a")]);
        Current("news-a", "news-b");

        Assert.Equal(NewsletterOutcome.AlreadyComposed, await TickAsync());

        issues.Verify(i => i.TryAddAsync(It.IsAny<NewsletterIssue>(), It.IsAny<CancellationToken>()), Times.Never);
        news.Verify(s => s.EntriesAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
        campaigns.Verify(c => c.StartAsync(Request("2027-01"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task CampaignStartFailsOnOneTick_TheNextTickStartsIt_WithTheIssueFirstComposed()
    {
        Current("news-a");
        campaigns.SetupSequence(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("503 Service Unavailable"))
            .ReturnsAsync(new CampaignStart.Started("newsletter-2027-01", IsNew: true));

        await Assert.ThrowsAsync<InvalidOperationException>(TickAsync);
        Current("news-a", "news-b");
        time.Advance(Tick);
        var outcome = await TickAsync();

        Assert.Equal(NewsletterOutcome.AlreadyComposed, outcome);
        Assert.Equal(["news-a"], stored["2027-01"].Entries.Select(e => e.Key));
        issues.Verify(i => i.TryAddAsync(It.IsAny<NewsletterIssue>(), It.IsAny<CancellationToken>()), Times.Once);
        campaigns.Verify(c => c.StartAsync(Request("2027-01"), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task StorageFailsBeforeTheIssueIsStored_TheNextTickComposesAndStarts()
    {
        Current("news-a");
        issues.SetupSequence(i => i.PreviousAsync("2027-01", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("503 Service Unavailable"))
            .ReturnsAsync((NewsletterIssue?)null);

        await Assert.ThrowsAsync<InvalidOperationException>(TickAsync);
        time.Advance(Tick);

        Assert.Equal(NewsletterOutcome.Started, await TickAsync());
        campaigns.Verify(c => c.StartAsync(Request("2027-01"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task MonthSkipped_NewsAddedLaterThatMonth_SendsNothingUntilTheNextOccurrence()
    {
        Current();
        Assert.Equal(NewsletterOutcome.NothingNew, await TickAsync());

        Current("news-late");
        time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(NewsletterOutcome.AlreadySkipped, await TickAsync());
        Assert.True(stored["2027-01"].Skipped);
        campaigns.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task NextMonth_ComparesWithTheLastIssueSent_NotWithTheSkippedMonth()
    {
        Sent("2026-12", "news-a");
        stored["2027-01"] = NewsletterIssue.SkippedMonth("2027-01", JanuaryIssueDue);
        time.SetUtcNow(new DateTimeOffset(2027, 2, 1, 1, 0, 0, TimeSpan.Zero)); // first Monday of February, 10:00 JST

        Current("news-a");
        Assert.Equal(NewsletterOutcome.NothingNew, await TickAsync());
        stored.Remove("2027-02");
        Current("news-a", "news-b");
        Assert.Equal(NewsletterOutcome.Started, await TickAsync());

        issues.Verify(i => i.PreviousAsync("2027-02", It.IsAny<CancellationToken>()), Times.Exactly(2));
        campaigns.Verify(c => c.StartAsync(Request("2027-02"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ScheduleTwiceAMonth_SendsOneIssue_TheSecondOccurrenceFindsTheMonthDecided()
    {
        Current("news-a");
        var weekly = Handler("0 0 10 * * Mon");
        Assert.Equal(NewsletterOutcome.Started, await weekly.HandleAsync(CancellationToken.None));

        Current("news-a", "news-b");
        time.Advance(TimeSpan.FromDays(7));

        Assert.Equal(NewsletterOutcome.AlreadyComposed, await weekly.HandleAsync(CancellationToken.None));
        Assert.Equal(["2027-01"], stored.Keys);
        Assert.Equal(["news-a"], stored["2027-01"].Entries.Select(e => e.Key));
    }

    [Fact]
    public async Task IssueMonth_IsTheOccurrencesCompanyLocalMonth()
    {
        time.SetUtcNow(new DateTimeOffset(2027, 1, 31, 16, 0, 0, TimeSpan.Zero)); // 1 February 01:00 in Tokyo
        Current("news-a");

        Assert.Equal(NewsletterOutcome.Started, await Handler("0 0 0 1 * *").HandleAsync(CancellationToken.None));

        Assert.Equal(["2027-02"], stored.Keys);
    }

    [Fact]
    public async Task ConcurrentTickStoredTheMonthFirst_ItsIssueStands()
    {
        var other = new NewsletterIssue("2027-01", JanuaryIssueDue, [Entry("news-a")]);
        Current("news-a", "news-b");
        issues.SetupSequence(i => i.GetAsync("2027-01", It.IsAny<CancellationToken>())).ReturnsAsync((NewsletterIssue?)null).ReturnsAsync(other);
        issues.Setup(i => i.TryAddAsync(It.IsAny<NewsletterIssue>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        Assert.Equal(NewsletterOutcome.AlreadyComposed, await TickAsync());
        campaigns.Verify(c => c.StartAsync(Request("2027-01"), It.IsAny<CancellationToken>()), Times.Once);
    }
}
