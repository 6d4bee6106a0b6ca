using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>The newsletter's issues on Azurite: a skipped month is recorded, and the next issue is compared with the last one sent.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableNewsletterStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);
    private TestApp app = null!;

    private INewsletterIssueStore Issues => app.Services.GetRequiredService<INewsletterIssueStore>();

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static NewsletterIssue Issue(string id, params string[] keys) =>
        new(id, At, keys.Select(k => new NewsletterEntry(NewsletterSectionKind.News, k, "題", "Title", "本文", "Body", null)).ToArray());

    [Fact]
    public async Task Previous_SkipsSkippedMonths_AndReturnsTheLastIssueSent()
    {
        await Issues.TryAddAsync(Issue("2026-11", "news-old"), CancellationToken.None);
        await Issues.TryAddAsync(Issue("2026-12", "news-a"), CancellationToken.None);
        await Issues.TryAddAsync(NewsletterIssue.SkippedMonth("2027-01", At), CancellationToken.None);

        var previous = await Issues.PreviousAsync("2027-02", CancellationToken.None);

        Assert.Equal("2026-12", previous?.Id);
        Assert.Equal(["news-a"], previous!.Entries.Select(e => e.Key));
        Assert.False(previous.Skipped);
    }

    [Fact]
    public async Task Previous_WithOnlySkippedMonthsBefore_IsNone()
    {
        await Issues.TryAddAsync(NewsletterIssue.SkippedMonth("2026-12", At), CancellationToken.None);
        await Issues.TryAddAsync(NewsletterIssue.SkippedMonth("2027-01", At), CancellationToken.None);

        Assert.Null(await Issues.PreviousAsync("2027-02", CancellationToken.None));
    }

    [Fact]
    public async Task Issue_KeepsTheKeysItsSectionsOffered_AnOlderRowHasNone()
    {
        await Issues.TryAddAsync(Issue("2026-12", "news-a") with { Considered = ["news-a", "news-b"] }, CancellationToken.None);
        await Issues.TryAddAsync(Issue("2027-01", "news-a"), CancellationToken.None);

        Assert.Equal(["news-a", "news-b"], (await Issues.GetAsync("2026-12", CancellationToken.None))!.Considered!);
        Assert.Equal(["news-a", "news-b"], (await Issues.PreviousAsync("2027-01", CancellationToken.None))!.Considered!);
        Assert.Null((await Issues.GetAsync("2027-01", CancellationToken.None))!.Considered);
    }

    [Fact]
    public async Task Issue_KeepsTheKeysLeftOutForRoom_AnOlderRowHasNone()
    {
        await Issues.TryAddAsync(Issue("2026-12", "news-a") with { Deferred = ["news-b", "news-c"] }, CancellationToken.None);
        await Issues.TryAddAsync(Issue("2027-01", "news-a"), CancellationToken.None);

        Assert.Equal(["news-b", "news-c"], (await Issues.PreviousAsync("2027-01", CancellationToken.None))!.Deferred!);
        Assert.Null((await Issues.GetAsync("2027-01", CancellationToken.None))!.Deferred);
    }

    [Theory]
    [InlineData("題")]
    [InlineData("😀")]
    public async Task IssueOfFullSections_WithEveryLimitWhollyInJapaneseOrEmoji_IsStoredAsItIs_AndReadBackWhole(string character)
    {
        // Every section full, every field at its limit: as \uXXXX escapes Japanese came to some 950 KB of the row's 1 MiB,
        // and emoji (12 characters each) past it.
        var link = new Uri("https://example.com/" + new string('a', NewsItem.MaxLinkLength - 20));
        var entries = Enum.GetValues<NewsletterSectionKind>()
            .SelectMany(section => Enumerable.Range(0, NewsletterDraft.MaxEntriesPerSection).Select(i => new NewsletterEntry(
                section, $"{section}-{i}", Text(character, NewsItem.MaxTitleLength), new string('t', NewsItem.MaxTitleLength),
                Text(character, NewsItem.MaxBodyLength), new string('b', NewsItem.MaxBodyLength), link)))
            .ToArray();

        Assert.True(await Issues.TryAddAsync(new NewsletterIssue("2027-03", At, entries), CancellationToken.None));

        var tables = app.Services.GetRequiredService<AlumniTables>();
        var row = (await (await tables.GetAsync(AlumniTables.Newsletters, CancellationToken.None))
            .GetEntityAsync<TableEntity>("issue", "2027-03")).Value;
        Assert.Contains(Text(character, NewsItem.MaxTitleLength), row.GetString("Entries0"), StringComparison.Ordinal);
        Assert.Equal(entries, (await Issues.GetAsync("2027-03", CancellationToken.None))!.Entries);
    }

    [Theory]
    [InlineData("本")]
    [InlineData("😀")]
    [InlineData("\"")]
    public async Task IssueComposedFromMoreThanTheDraftTakesOfEveryKind_WithTheLongestKeysAndText_IsStored_AndNothingNewNextMonthIsSkipped(string character)
    {
        // Every kind offers more than the draft takes, with the longest keys the code writes (a version of 12 digits:
        // the year 9999) and every entry's text at a news item's limits written wholly in one character (a quote is
        // the longest as JSON); December's issue had taken all but news' first.
        var sections = Enum.GetValues<NewsletterSectionKind>().Select(kind => new Offering(kind, character)).ToArray();
        var taken = sections.SelectMany(s => s.Entries.Take(NewsletterDraft.MaxTakenPerSection)).ToArray();
        await Issues.TryAddAsync(new NewsletterIssue("2026-12", At.AddMonths(-1), []) { Considered = [.. taken.Skip(1).Select(e => e.Key)] }, CancellationToken.None);
        var time = new FakeTimeProvider(At);
        var calendar = app.Services.GetRequiredService<CompanyCalendar>();
        var compose = new Core.Newsletters.ComposeNewsletter(
            new NewsletterSchedule(Options.Create(new NewsletterOptions { NewsletterSchedule = "0 0 0 * * *" }), calendar),
            new NewsletterDraft(sections, calendar, time), Issues, new StartedCampaigns(), time, NullLogger<Core.Newsletters.ComposeNewsletter>.Instance);

        Assert.Equal(NewsletterOutcome.Started, await compose.HandleAsync(CancellationToken.None));

        var tables = app.Services.GetRequiredService<AlumniTables>();
        var row = (await (await tables.GetAsync(AlumniTables.Newsletters, CancellationToken.None)).GetEntityAsync<TableEntity>("issue", "2027-01")).Value;
        Assert.InRange(SizeInBytes(row), 0, 1024 * 1024 * 3 / 4);
        Assert.All(row.Select(p => p.Value).OfType<string>(), value => Assert.InRange(value.Length * 2, 0, 60_000));
        var january = (await Issues.GetAsync("2027-01", CancellationToken.None))!;
        Assert.Equal(taken.Select(e => e.Key).Order(), january.Considered!.Concat(january.Deferred!).Order());

        time.SetUtcNow(At.AddMonths(1));
        Assert.Equal(NewsletterOutcome.NothingNew, await compose.HandleAsync(CancellationToken.None));
        Assert.True((await Issues.GetAsync("2027-02", CancellationToken.None))!.Skipped);
    }

    /// <summary>An entity's size as Table Storage counts it: keys and names in UTF-16, a string 4 bytes more, a date 8, a boolean 1.</summary>
    private static int SizeInBytes(TableEntity row) =>
        4 + (row.PartitionKey.Length + row.RowKey.Length) * 2 + row
            .Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            .Sum(p => 8 + p.Key.Length * 2 + p.Value switch { string text => 4 + text.Length * 2, bool => 1, _ => 8 });

    /// <summary>As many of <paramref name="character"/> as fit in <paramref name="limit"/> UTF-16 characters, as the forms count.</summary>
    private static string Text(string character, int limit) => string.Concat(Enumerable.Repeat(character, limit / character.Length));

    /// <summary>A section offering more entries than the draft takes, keyed as long as its kind's keys can be, its text all <paramref name="character"/>.</summary>
    private sealed class Offering(NewsletterSectionKind kind, string character) : INewsletterSection
    {
        public IReadOnlyList<NewsletterEntry> Entries { get; } = Enumerable.Range(0, NewsletterDraft.MaxTakenPerSection + 10)
            .Select(i => new NewsletterEntry(kind, Key(kind, $"{i:x32}"), Text(character, NewsItem.MaxTitleLength), Text(character, NewsItem.MaxTitleLength),
                Text(character, NewsItem.MaxBodyLength), Text(character, NewsItem.MaxBodyLength), new Uri("https://example.com/" + new string('a', NewsItem.MaxLinkLength - 20))))
            .ToArray();

        public Task<IReadOnlyList<NewsletterEntry>> EntriesAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(Entries);

        private static string Key(NewsletterSectionKind kind, string id) => kind switch
        {
            NewsletterSectionKind.News => $"news-{id}",
            NewsletterSectionKind.Events => StillAdvertised.Key("event-", id, DateTimeOffset.MaxValue),
            _ => StillAdvertised.Key("opening-", id, DateTimeOffset.MaxValue),
        };
    }

    /// <summary>The campaign engine as the tick sees it: a start is taken; nothing else is asked of it here.</summary>
    private sealed class StartedCampaigns : ICampaigns
    {
        public Task<CampaignStart> StartAsync(CampaignRequest request, CancellationToken cancellationToken) =>
            Task.FromResult<CampaignStart>(new CampaignStart.Started(request.CampaignId, IsNew: true));

        public Task StopAsync(string campaignId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<CampaignProgress?> GetProgressAsync(string campaignId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<CampaignProgress>> ListAsync(int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<EmailMessage?> PreviewAsync(CampaignKind kind, string sourceId, Core.Alumni.Alumnus sample, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public async Task SkippedMonth_IsReadBackAsSkipped_AndDecidesTheMonth()
    {
        Assert.True(await Issues.TryAddAsync(NewsletterIssue.SkippedMonth("2027-01", At), CancellationToken.None));

        Assert.False(await Issues.TryAddAsync(Issue("2027-01", "news-late"), CancellationToken.None));
        var stored = await Issues.GetAsync("2027-01", CancellationToken.None);
        Assert.Equal((true, 0), (stored!.Skipped, stored.Entries.Count));
    }

    [Fact]
    public async Task SkippedMonth_HasNoMailForTheCampaignEngine()
    {
        // The issue's entry names a stored item: a batch sends only news items it can still find (NewsSection).
        var published = TimeProvider.System.GetUtcNow().AddDays(-1);
        var item = new NewsItem(NewsItem.NewId(), "題", "Title", "本文", "Body", null, published, null, published);
        await app.Services.GetRequiredService<INewsItemStore>().TryAddAsync(item, CancellationToken.None);
        await Issues.TryAddAsync(NewsletterIssue.SkippedMonth("2027-01", At), CancellationToken.None);
        await Issues.TryAddAsync(Issue("2027-02", $"news-{item.Id}"), CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var composer = scope.ServiceProvider.GetServices<Core.Campaigns.ICampaignComposer>().OfType<NewsletterComposer>().Single();

        Assert.Null(await composer.LoadAsync("2027-01", CancellationToken.None));
        Assert.NotNull(await composer.LoadAsync("2027-02", CancellationToken.None));
    }

    [Fact]
    public async Task NewsItemReplace_WithTheETagOfAnOlderRead_IsRefused_AndTheNewerItemStays()
    {
        var news = app.Services.GetRequiredService<INewsItemStore>();
        var item = new NewsItem(NewsItem.NewId(), "題", "Title", "本文", "Body", null, At, null, At);
        Assert.True(await news.TryAddAsync(item, CancellationToken.None));
        var read = (await news.GetAsync(item.Id, CancellationToken.None))!;
        Assert.True(await news.ReplaceAsync(read with { TitleEn = "Newer" }, CancellationToken.None));

        var replaced = await news.ReplaceAsync(read with { TitleEn = "Older" }, CancellationToken.None);

        Assert.False(replaced);
        Assert.Equal("Newer", (await news.GetAsync(item.Id, CancellationToken.None))!.TitleEn);
    }
}
