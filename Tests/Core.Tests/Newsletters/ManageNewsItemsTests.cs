using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Tests.Admin;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class ManageNewsItemsTests
{
    private const string Body = """
        {"titleJa": "お知らせ", "titleEn": "News", "bodyJa": "本文", "bodyEn": "Body", "publishFrom": "2027-01-01T00:00:00+09:00"}
        """;

    /// <summary>
    /// Keys Table Storage refuses with a 400 (over 1 KiB; <c>/ \ # ?</c>; control characters), which would surface as a
    /// 500, and other shapes no item has (upper case, too short).
    /// </summary>
    public static TheoryData<string> MalformedIds => new()
    {
        new string('a', 1100), "a\\" + new string('b', 30), "a#" + new string('b', 30), "a?" + new string('b', 30), "a/" + new string('b', 30),
        "a\u0001" + new string('b', 30), "a\u007f" + new string('b', 30), new string('A', 32), "abc", "",
    };

    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task MalformedId_IsNotFound_WithoutAStorageReadOrAnAuditEntry(string id)
    {
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider());

        Assert.IsType<AdminOutcome<NewsItem>.NotFound>(await news.ReplaceAsync(id, System.Text.Encoding.UTF8.GetBytes(Body), seen: null, "admin", CancellationToken.None));
        Assert.IsType<AdminOutcome<string>.NotFound>(await news.DeleteAsync(id, "admin", CancellationToken.None));
        Assert.IsType<AdminOutcome<NewsItem>.NotFound>(await news.GetAsync(id, CancellationToken.None));
    }

    /// <summary>A title is a heading of the mail and a line of its text part: a break would start a line of its own
    /// (a made-up section), a text-direction character would show it reversed.</summary>
    [Theory]
    [InlineData("titleJa", "お知\\nらせ")]
    [InlineData("titleEn", "News\\n\\n■ Open positions")]
    [InlineData("titleEn", "News\\u2028more")]
    [InlineData("titleEn", "News \\u202Eswen")]
    [InlineData("titleJa", "お知らせ\\tです")]
    public async Task TitleNotOnOneLine_IsInvalidNamingTheField_WithoutAWriteOrAnAuditEntry(string field, string title)
    {
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider());
        var body = Utf8(Body.Replace(field == "titleJa" ? "\"お知らせ\"" : "\"News\"", $"\"{title}\"", StringComparison.Ordinal));

        var created = await news.CreateAsync(body, "admin", key: null, CancellationToken.None);
        var replaced = await news.ReplaceAsync(Current.Id, body, seen: null, "admin", CancellationToken.None);

        Assert.Equal(field, Assert.Single(Assert.IsType<AdminOutcome<NewsItem>.Invalid>(created).Errors).Field);
        Assert.Equal(field, Assert.Single(Assert.IsType<AdminOutcome<NewsItem>.Invalid>(replaced).Errors).Field);
    }

    /// <summary>A body may run over lines; a text-direction or line-separator character would make the mail read other than it is.</summary>
    [Theory]
    [InlineData("bodyJa", "本文\\u2028続き")]
    [InlineData("bodyEn", "Body\\n\\u202Eydob")]
    [InlineData("bodyEn", "\\u2066Body\\u2069")]
    public async Task BodyWithDirectionOrSeparatorCharacters_IsInvalidNamingTheFieldAndRule_WithoutAWriteOrAnAuditEntry(string field, string text)
    {
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider());
        var body = Utf8(Body.Replace(field == "bodyJa" ? "\"本文\"" : "\"Body\"", $"\"{text}\"", StringComparison.Ordinal));

        var created = await news.CreateAsync(body, "admin", key: null, CancellationToken.None);
        var replaced = await news.ReplaceAsync(Current.Id, body, seen: null, "admin", CancellationToken.None);

        var expected = new FieldError(field, FreeText.MisleadingRule);
        Assert.Equal(expected, Assert.Single(Assert.IsType<AdminOutcome<NewsItem>.Invalid>(created).Errors));
        Assert.Equal(expected, Assert.Single(Assert.IsType<AdminOutcome<NewsItem>.Invalid>(replaced).Errors));
    }

    [Fact]
    public void NewIds_HaveTheShapeTheyAreCheckedFor() => Assert.True(NewsItem.IsId(NewsItem.NewId()));

    private static readonly DateTimeOffset Edited = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static readonly NewsItem Current = new(NewsItem.NewId(), "旧", "Old", "本文", "Body", null, Edited, null, Edited) { ETag = "etag-1" };

    private static ReadOnlyMemory<byte> Utf8(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task GetOfAStoredItem_IsDone_WithTheItemAndNoAuditEntry()
    {
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(Current.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Current);
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider(Edited));

        var outcome = await news.GetAsync(Current.Id, CancellationToken.None);

        Assert.Same(Current, Assert.IsType<AdminOutcome<NewsItem>.Done>(outcome).Value);
    }

    [Fact]
    public async Task ReplaceBuiltOnAnOlderVersion_IsStale_WithoutAnAuditEntryOrAWrite()
    {
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(Current.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Current);
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider(Edited.AddHours(1)));

        var outcome = await news.ReplaceAsync(Current.Id, Utf8(Body), RecordVersion.Of(Edited.AddSeconds(-1)), "admin", CancellationToken.None);

        Assert.IsType<AdminOutcome<NewsItem>.Stale>(outcome);
    }

    [Fact]
    public async Task ReplaceBuiltOnTheStoredVersion_WritesWithTheETagOfThatRead()
    {
        var store = new Mock<INewsItemStore>();
        store.Setup(s => s.GetAsync(Current.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Current);
        store.Setup(s => s.ReplaceAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var news = new ManageNewsItems(store.Object, Mock.Of<IAuditLog>(), Builders.Creates(), new FakeTimeProvider(Edited.AddHours(1)));

        var outcome = await news.ReplaceAsync(Current.Id, Utf8(Body), RecordVersion.Of(Edited), "admin", CancellationToken.None);

        Assert.Equal("News", Assert.IsType<AdminOutcome<NewsItem>.Done>(outcome).Value.TitleEn);
        store.Verify(s => s.ReplaceAsync(It.Is<NewsItem>(i => i.ETag == "etag-1" && i.TitleEn == "News"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ReplaceRacedByAnotherChange_IsAConflict_NotANotFound()
    {
        var store = new Mock<INewsItemStore>();
        store.Setup(s => s.GetAsync(Current.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Current);
        store.Setup(s => s.ReplaceAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var news = new ManageNewsItems(store.Object, Mock.Of<IAuditLog>(), Builders.Creates(), new FakeTimeProvider(Edited.AddHours(1)));

        Assert.IsType<AdminOutcome<NewsItem>.Conflict>(await news.ReplaceAsync(Current.Id, Utf8(Body), seen: null, "admin", CancellationToken.None));
    }

    /// <summary>
    /// The "replaced" entry is written before the conditional write (ADR 0005): when the write is refused (changed or
    /// removed meanwhile) the log must say the edit was not saved, or it records a change the item never had.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReplaceRefusedByTheStore_AuditsTheEditAsNotSaved(bool removedMeanwhile)
    {
        var reads = 0;
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(Current.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => reads++ == 0 || !removedMeanwhile ? Current : null);
        store.Setup(s => s.ReplaceAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var audit = new Mock<IAuditLog>();
        var audited = audit.Captures();
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider(Edited.AddHours(1)));

        var outcome = await news.ReplaceAsync(Current.Id, Utf8(Body), seen: null, "admin", CancellationToken.None);

        Assert.IsType(removedMeanwhile ? typeof(AdminOutcome<NewsItem>.NotFound) : typeof(AdminOutcome<NewsItem>.Conflict), outcome);
        Assert.Equal([ManageNewsItems.Replaced, ManageNewsItems.Replaced + UnsavedChange.Suffix], audited.Select(e => e.Action));
        Assert.Equal([Current.Id, Current.Id], audited.Select(e => e.Subject));
    }

    [Fact]
    public async Task ReplaceThatIsSaved_AuditsOnlyTheReplace()
    {
        var store = new Mock<INewsItemStore>();
        store.Setup(s => s.GetAsync(Current.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Current);
        store.Setup(s => s.ReplaceAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var audit = new Mock<IAuditLog>();
        var audited = audit.Captures();
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider(Edited.AddHours(1)));

        Assert.IsType<AdminOutcome<NewsItem>.Done>(await news.ReplaceAsync(Current.Id, Utf8(Body), seen: null, "admin", CancellationToken.None));
        Assert.Equal([ManageNewsItems.Replaced], audited.Select(e => e.Action));
    }

    private static IdempotencyKey Key(string value) => IdempotencyKey.Parse([value], IdempotencyKey.Header, new List<FieldError>())!.Value;

    /// <summary>
    /// Two creates with the same key both miss the read; the other one's insert lands first. This one's "created" entry
    /// was written first (audit first, ADR 0005): it is followed by one saying nothing was created, and the answer is the
    /// other's item, as a repeat's.
    /// </summary>
    [Fact]
    public async Task KeyedCreateThatLosesTheInsertRace_AnswersWithTheWinner_AndAuditsThatItCreatedNothing()
    {
        NewsItem? winner = null;
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string id, CancellationToken _) => winner?.Id == id ? winner : null);
        store.Setup(s => s.TryAddAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>()))
            .Callback((NewsItem lost, CancellationToken _) => winner = lost with { UpdatedAt = Edited.AddSeconds(-1), ETag = "etag-w" }).ReturnsAsync(false);
        store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var audit = new Mock<IAuditLog>();
        var audited = audit.Captures();
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider(Edited));

        var outcome = await news.CreateAsync(Utf8(Body), "admin", Key("retry-1"), CancellationToken.None);

        Assert.Same(winner, Assert.IsType<AdminOutcome<NewsItem>.Repeated>(outcome).Value);
        Assert.Equal([ManageNewsItems.Created, "news.create-not-saved"], audited.Select(e => e.Action));
        Assert.Equal([winner!.Id, winner.Id], audited.Select(e => e.Subject));
        Assert.Contains($"id={winner.Id}; not saved", audited[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyedCreateRepeated_AnswersWithTheStoredItem_AndAnotherBodyIsTheKeysConflict_NeitherWritingNorAuditing()
    {
        NewsItem? added = null;
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string id, CancellationToken _) => added?.Id == id ? added : null);
        store.Setup(s => s.TryAddAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>())).Callback((NewsItem i, CancellationToken _) => added = i).ReturnsAsync(true);
        store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var audit = new Mock<IAuditLog>();
        var audited = audit.Captures();
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider(Edited));
        var first = Assert.IsType<AdminOutcome<NewsItem>.Done>(await news.CreateAsync(Utf8(Body), "admin", Key("retry-1"), CancellationToken.None)).Value;
        audited.Clear();
        store.Invocations.Clear();

        var again = await news.CreateAsync(Utf8(Body), "admin", Key("retry-1"), CancellationToken.None);
        var other = await news.CreateAsync(Utf8(Body.Replace("News", "Other", StringComparison.Ordinal)), "admin", Key("retry-1"), CancellationToken.None);
        var otherAdmin = await news.CreateAsync(Utf8(Body), "admin-2", Key("retry-1"), CancellationToken.None);

        Assert.Same(first, Assert.IsType<AdminOutcome<NewsItem>.Repeated>(again).Value);
        Assert.Equal(ConflictCode.IdempotencyKeyReused, Assert.IsType<AdminOutcome<NewsItem>.Conflict>(other).Code);
        Assert.NotEqual(first.Id, Assert.IsType<AdminOutcome<NewsItem>.Done>(otherAdmin).Value.Id);
        Assert.Equal([ManageNewsItems.Created], audited.Select(e => e.Action));
        store.Verify(s => s.TryAddAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>Live items at <paramref name="live"/>, plus as many whose publish window ended, which do not count.</summary>
    private static Mock<INewsItemStore> StoreWith(int live)
    {
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        NewsItem[] items =
        [
            .. Enumerable.Range(0, live).Select(i => Current with { Id = NewsItem.NewId(), PublishUntil = i % 2 == 0 ? null : Edited.AddDays(1) }),
            .. Enumerable.Range(0, live).Select(_ => Current with { Id = NewsItem.NewId(), PublishUntil = Edited }),
        ];
        store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(items);
        return store;
    }

    [Fact]
    public async Task CreateWithTheMostLiveItemsThereAlready_IsAConflictNamingPublishUntil_WithoutAWriteOrAnAuditEntry()
    {
        var store = StoreWith(NewsItem.MaxLive);
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider(Edited));

        var outcome = await news.CreateAsync(Utf8(Body), "admin", key: null, CancellationToken.None);

        Assert.Equal(ConflictCode.TooManyLiveNewsItems, Assert.IsType<AdminOutcome<NewsItem>.Conflict>(outcome).Code);
        Assert.Equal("publishUntil", ManageNewsItems.TooManyLive.Field);
        store.Verify(s => s.TryAddAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EditOpeningAnEndedItemWithTheMostLiveThereAlready_IsAConflictNamingPublishUntil_WithoutAWriteOrAnAuditEntry()
    {
        var ended = Current with { PublishUntil = Edited.AddDays(-1) };
        var store = StoreWith(NewsItem.MaxLive);
        store.Setup(s => s.GetAsync(ended.Id, It.IsAny<CancellationToken>())).ReturnsAsync(ended);
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var news = new ManageNewsItems(store.Object, audit.Object, Builders.Creates(), new FakeTimeProvider(Edited));

        var outcome = await news.ReplaceAsync(ended.Id, Utf8(Body), seen: null, "admin", CancellationToken.None);

        Assert.Equal(ConflictCode.TooManyLiveNewsItems, Assert.IsType<AdminOutcome<NewsItem>.Conflict>(outcome).Code);
        store.Verify(s => s.ReplaceAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EditOfALiveItemWithTheMostLiveThereAlready_IsDone_ItKeepsItsPlace()
    {
        var store = StoreWith(NewsItem.MaxLive);
        var live = Current with { Id = NewsItem.NewId() };
        store.Setup(s => s.GetAsync(live.Id, It.IsAny<CancellationToken>())).ReturnsAsync(live);
        store.Setup(s => s.ReplaceAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var news = new ManageNewsItems(store.Object, Mock.Of<IAuditLog>(), Builders.Creates(), new FakeTimeProvider(Edited));

        Assert.IsType<AdminOutcome<NewsItem>.Done>(await news.ReplaceAsync(live.Id, Utf8(Body), seen: null, "admin", CancellationToken.None));
    }

    [Fact]
    public async Task CreateWithOneLiveItemLessThanTheMost_IsDone_ItemsWhoseWindowEndedNotCounted()
    {
        var store = StoreWith(NewsItem.MaxLive - 1);
        store.Setup(s => s.TryAddAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var news = new ManageNewsItems(store.Object, Mock.Of<IAuditLog>(), Builders.Creates(), new FakeTimeProvider(Edited));

        Assert.IsType<AdminOutcome<NewsItem>.Done>(await news.CreateAsync(Utf8(Body), "admin", key: null, CancellationToken.None));
    }

    [Fact]
    public async Task CreateOfAnItemWhoseWindowHasEnded_IsDone_EvenWithTheMostLiveItems()
    {
        var store = StoreWith(NewsItem.MaxLive);
        store.Setup(s => s.TryAddAsync(It.IsAny<NewsItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var news = new ManageNewsItems(store.Object, Mock.Of<IAuditLog>(), Builders.Creates(), new FakeTimeProvider(Edited));
        var ended = Body.Replace("\"2027-01-01T00:00:00+09:00\"}", "\"2026-11-01T00:00:00+09:00\", \"publishUntil\": \"2026-11-02T00:00:00+09:00\"}", StringComparison.Ordinal);

        Assert.IsType<AdminOutcome<NewsItem>.Done>(await news.CreateAsync(Utf8(ended), "admin", key: null, CancellationToken.None));
    }
}
