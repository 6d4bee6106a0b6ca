using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Tests.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Insights;

public sealed class InsightSourcesTests
{
    private static readonly DateTimeOffset Now = AdminFixtures.Now;
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<IEngagementCounters> engagement = new();

    private static Alumnus Person(AlumnusStatus status, DateOnly lastWorkingDay, DateTimeOffset? joinedAt = null)
    {
        var a = AdminFixtures.Alumnus("山田", "花子", $"{Guid.NewGuid():N}@example.net", status: status);
        a.LastWorkingDay = lastWorkingDay;
        a.JoinedAt = joinedAt;
        return a;
    }

    private static async Task<InsightSnapshot> CollectAsync(IInsightSource source, string zone = "Asia/Tokyo")
    {
        var collector = new InsightCollector(Now, new CompanyCalendar(Builders.Company(zone)));
        await source.CollectAsync(collector, CancellationToken.None);
        return collector.MergeInto(InsightSnapshot.Empty);
    }

    [Fact]
    public async Task Alumni_AreCountedByStatusJoinMonthAndCohort()
    {
        var q3 = new DateOnly(2026, 8, 31);
        alumni.Lists(
            Person(AlumnusStatus.Departed, new DateOnly(2026, 11, 30)),
            Person(AlumnusStatus.Invited, q3),
            Person(AlumnusStatus.Joined, q3, new DateTimeOffset(2026, 9, 20, 0, 0, 0, TimeSpan.Zero)),
            Person(AlumnusStatus.Joined, q3, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
            Person(AlumnusStatus.Returned, q3, new DateTimeOffset(2026, 9, 25, 0, 0, 0, TimeSpan.Zero)));
        alumni.Setup(a => a.CountErasedAsync(It.IsAny<CancellationToken>())).ReturnsAsync(2);

        var snapshot = await CollectAsync(new AlumniInsights(alumni.Object));

        Assert.Equal([1L, 1, 2, 1, 2], InsightKeys.Statuses.Select(s => snapshot.Value(InsightKeys.Status(s))));
        Assert.Equal((2, 1, 0), (snapshot.Value(InsightKeys.JoinsIn("2026-09")), snapshot.Value(InsightKeys.JoinsIn("2026-12")), snapshot.Value(InsightKeys.JoinsIn("2026-10"))));
        Assert.Equal((4, 3), (snapshot.Value(InsightKeys.CohortSize("2026Q3")), snapshot.Value(InsightKeys.CohortJoined("2026Q3"))));
        Assert.Equal((1, 0), (snapshot.Value(InsightKeys.CohortSize("2026Q4")), snapshot.Value(InsightKeys.CohortJoined("2026Q4"))));
    }

    [Theory]
    // 23:30 UTC on 30 November is 1 December in Tokyo, still November in UTC.
    [InlineData("Asia/Tokyo", "2026-11-30T23:30:00Z", "2026-12")]
    [InlineData("UTC", "2026-11-30T23:30:00Z", "2026-11")]
    // 03:30 UTC on 1 November is 23:30 on 31 October in New York (EDT), the night its clocks fall back.
    [InlineData("America/New_York", "2026-11-01T03:30:00Z", "2026-10")]
    // 23:30 UTC on 30 September is 00:30 on 1 October in London (BST), still September in UTC.
    [InlineData("Europe/London", "2026-09-30T23:30:00Z", "2026-10")]
    public async Task Joins_AreCountedInTheCompanysMonth(string zone, string joinedAt, string month)
    {
        alumni.Lists(Person(AlumnusStatus.Joined, new DateOnly(2026, 8, 31), DateTimeOffset.Parse(joinedAt, System.Globalization.CultureInfo.InvariantCulture)));

        var snapshot = await CollectAsync(new AlumniInsights(alumni.Object), zone);

        Assert.Equal(1, snapshot.Value(InsightKeys.JoinsIn(month)));
        Assert.Equal(1, snapshot.Metrics.Where(m => m.Key.StartsWith("joins.", StringComparison.Ordinal)).Sum(m => m.Value.Value));
    }

    [Fact]
    public async Task Consent_GivenAt2330UtcOnTheLastDay_CountsFromTheNextMonthInTokyo()
    {
        var held = Person(AlumnusStatus.Joined, new DateOnly(2026, 8, 31));
        alumni.Setup(a => a.HeldIdsAsync(It.IsAny<CancellationToken>())).Returns(new[] { held.Id }.ToAsyncEnumerable());
        consents.Setup(c => c.AllAsync(It.IsAny<CancellationToken>())).Returns(new[]
        {
            new ConsentRecord(held.Id, ConsentPurpose.Newsletter, true, new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero), ConsentMethod.Link, "v1"),
        }.ToAsyncEnumerable());

        var snapshot = await CollectAsync(new ConsentInsights(alumni.Object, consents.Object));

        long Newsletter(string month) => snapshot.Value(InsightKeys.ConsentGranted(nameof(ConsentPurpose.Newsletter), month));
        Assert.Equal((0, 1), (Newsletter("2026-10"), Newsletter("2026-11")));
    }

    [Fact]
    public async Task PersonWhoseErasureIsUnderWay_CountsAsErasedNotByStatusOrCohort()
    {
        var q3 = new DateOnly(2026, 8, 31);
        var erasing = Person(AlumnusStatus.Joined, q3, new DateTimeOffset(2026, 9, 20, 0, 0, 0, TimeSpan.Zero));
        erasing.ErasureStartedAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        alumni.Lists(Person(AlumnusStatus.Joined, q3, new DateTimeOffset(2026, 9, 25, 0, 0, 0, TimeSpan.Zero)), erasing);
        alumni.Setup(a => a.CountErasedAsync(It.IsAny<CancellationToken>())).ReturnsAsync(2);

        var snapshot = await CollectAsync(new AlumniInsights(alumni.Object));

        Assert.Equal((1, 3), (snapshot.Value(InsightKeys.Status(InsightKeys.Joined)), snapshot.Value(InsightKeys.Status(InsightKeys.Erased))));
        Assert.Equal((1, 1, 1), (snapshot.Value(InsightKeys.JoinsIn("2026-09")), snapshot.Value(InsightKeys.CohortSize("2026Q3")), snapshot.Value(InsightKeys.CohortJoined("2026Q3"))));
    }

    [Fact]
    public async Task Consent_IsCountedPerPurposeAtEachMonthEnd_ForPeopleStillHeldOnly()
    {
        var held = Person(AlumnusStatus.Joined, new DateOnly(2026, 8, 31));
        var erased = AlumnusId.New();
        alumni.Setup(a => a.HeldIdsAsync(It.IsAny<CancellationToken>())).Returns(new[] { held.Id }.ToAsyncEnumerable());
        ConsentRecord Entry(AlumnusId id, ConsentPurpose purpose, bool granted, int year, int month, int day) =>
            new(id, purpose, granted, new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero), ConsentMethod.Link, "v1");
        consents.Setup(c => c.AllAsync(It.IsAny<CancellationToken>())).Returns(new[]
        {
            Entry(erased, ConsentPurpose.Newsletter, true, 2026, 9, 1),
            Entry(held.Id, ConsentPurpose.NetworkMembership, true, 2026, 9, 10),
            Entry(held.Id, ConsentPurpose.Newsletter, true, 2026, 9, 10),
            Entry(held.Id, ConsentPurpose.Newsletter, false, 2026, 11, 5),
        }.ToAsyncEnumerable());

        var snapshot = await CollectAsync(new ConsentInsights(alumni.Object, consents.Object));

        long Newsletter(string month) => snapshot.Value(InsightKeys.ConsentGranted(nameof(ConsentPurpose.Newsletter), month));
        Assert.Equal((0, 1, 1, 0, 0), (Newsletter("2026-08"), Newsletter("2026-09"), Newsletter("2026-10"), Newsletter("2026-11"), Newsletter("2026-12")));
        Assert.Equal(1, snapshot.Value(InsightKeys.ConsentGranted(nameof(ConsentPurpose.NetworkMembership), "2026-12")));
    }

    [Fact]
    public async Task EmailEngagement_AddsShardsUpPerKindAndMonth()
    {
        engagement.Setup(e => e.CampaignCountsAsync("2026-01", It.IsAny<CancellationToken>())).Returns(new[]
        {
            new CampaignEngagement("welcome", "2026-12", 10, 4, 1),
            new CampaignEngagement("welcome", "2026-12", 5, 2, 0),
            new CampaignEngagement("newsletter", "2026-11", 7, 3, 2),
        }.ToAsyncEnumerable());

        var snapshot = await CollectAsync(new EmailEngagementInsights(engagement.Object));

        Assert.Equal((15, 6, 1), (
            snapshot.Value(InsightKeys.EmailEvents("welcome", "Delivered", "2026-12")),
            snapshot.Value(InsightKeys.EmailEvents("welcome", "Opened", "2026-12")),
            snapshot.Value(InsightKeys.EmailEvents("welcome", "Clicked", "2026-12"))));
        Assert.Equal(["newsletter", "welcome"], InsightKeys.CampaignKinds(snapshot));
    }

    [Fact]
    public async Task RollUp_RunsEverySource_AndRetriesWhenAnotherRollUpWroteFirst()
    {
        var store = new Mock<IInsightStore>();
        var source = new Mock<IInsightSource>();
        source.Setup(s => s.CollectAsync(It.IsAny<InsightCollector>(), It.IsAny<CancellationToken>()))
            .Callback((InsightCollector c, CancellationToken _) => c.Set("status.joined", 3))
            .Returns(Task.CompletedTask);
        store.SetupSequence(s => s.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync((InsightSnapshot.Empty, null))
            .ReturnsAsync((new InsightSnapshot(Now.AddMinutes(-1), new Dictionary<string, InsightMetric> { ["status.returned"] = new(2) }), "e1"));
        store.SetupSequence(s => s.TrySaveAsync(It.IsAny<InsightSnapshot>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(false)
            .ReturnsAsync(true);

        var report = await new RollUpInsights([source.Object], store.Object, new CompanyCalendar(Builders.Company()), new FakeTimeProvider(Now), NullLogger<RollUpInsights>.Instance).HandleAsync(CancellationToken.None);

        Assert.Equal(new InsightsReport(2, Now), report);
        source.Verify(s => s.CollectAsync(It.IsAny<InsightCollector>(), It.IsAny<CancellationToken>()), Times.Once);
        store.Verify(s => s.TrySaveAsync(It.Is<InsightSnapshot>(x => x.Value("status.joined") == 3 && x.Value("status.returned") == 2), "e1", It.IsAny<CancellationToken>()));
    }
}
