using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Insights;

namespace AlumniNetwork.Core.Tests.Insights;

public sealed class InsightCollectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 10, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);
    private static readonly CompanyCalendar Tokyo = new(Builders.Company());

    private static InsightSnapshot Previous(params (string Key, long Value, string? Period)[] metrics) =>
        new(Now.AddHours(-1), metrics.ToDictionary(m => m.Key, m => new InsightMetric(m.Value, m.Period)));

    [Fact]
    public void Replace_TakesTheNewValue()
    {
        var collector = new InsightCollector(Now, Tokyo);
        collector.Set("status.joined", 7);

        var merged = collector.MergeInto(Previous(("status.joined", 9, null)));

        Assert.Equal(7, merged.Value("status.joined"));
        Assert.Equal(Now, merged.ComputedAt);
    }

    [Fact]
    public void KeepHighest_NeverGoesDown()
    {
        var collector = new InsightCollector(Now, Tokyo);
        collector.Set("cohort.2026Q3.size", 40, MetricMerge.KeepHighest, "2026Q3");
        collector.Set("cohort.2026Q4.size", 12, MetricMerge.KeepHighest, "2026Q4");

        var merged = collector.MergeInto(Previous(("cohort.2026Q3.size", 55, "2026Q3"), ("cohort.2026Q4.size", 10, "2026Q4")));

        Assert.Equal((55, 12), (merged.Value("cohort.2026Q3.size"), merged.Value("cohort.2026Q4.size")));
    }

    [Fact]
    public void FreezeWhenClosed_KeepsAClosedMonthButUpdatesTheOpenOne()
    {
        var collector = new InsightCollector(Now, Tokyo);
        collector.Set("joins.2026-11", 3, MetricMerge.FreezeWhenClosed, "2026-11");
        collector.Set("joins.2026-12", 8, MetricMerge.FreezeWhenClosed, "2026-12");
        collector.Set("joins.2026-10", 6, MetricMerge.FreezeWhenClosed, "2026-10");

        var merged = collector.MergeInto(Previous(("joins.2026-11", 5, "2026-11"), ("joins.2026-12", 2, "2026-12")));

        Assert.Equal((5, 8, 6), (merged.Value("joins.2026-11"), merged.Value("joins.2026-12"), merged.Value("joins.2026-10")));
    }

    [Fact]
    public void FreezeWhenClosed_AValueFromInsideTheMonth_IsReplacedOnceByTheFirstRunAfterIt()
    {
        var lastInside = new InsightSnapshot(new DateTimeOffset(2026, 11, 30, 23, 50, 0, Jst),
            new Dictionary<string, InsightMetric> { ["joins.2026-11"] = new(10, "2026-11") });
        var firstAfter = new InsightCollector(new DateTimeOffset(2026, 12, 1, 0, 5, 0, Jst), Tokyo);
        firstAfter.Set("joins.2026-11", 11, MetricMerge.FreezeWhenClosed, "2026-11");
        var later = new InsightCollector(new DateTimeOffset(2026, 12, 1, 0, 20, 0, Jst), Tokyo);
        later.Set("joins.2026-11", 9, MetricMerge.FreezeWhenClosed, "2026-11");

        var frozen = firstAfter.MergeInto(lastInside);
        var kept = later.MergeInto(frozen);

        Assert.Equal((11, 11), (frozen.Value("joins.2026-11"), kept.Value("joins.2026-11")));
    }

    [Theory]
    // The month closes at the company's midnight: 15:00 UTC in Tokyo, 05:00 UTC in New York in winter (EST) ...
    [InlineData("Asia/Tokyo", "2026-11", "2026-11-30T14:59:00Z", "2026-11-30T15:00:00Z")]
    [InlineData("America/New_York", "2026-11", "2026-12-01T04:59:00Z", "2026-12-01T05:00:00Z")]
    // ... 04:00 UTC in summer (EDT), though the clocks fall back later that night; 23:00 UTC in London in summer (BST).
    [InlineData("America/New_York", "2026-10", "2026-11-01T03:59:00Z", "2026-11-01T04:00:00Z")]
    [InlineData("Europe/London", "2027-03", "2027-03-31T22:59:00Z", "2027-03-31T23:00:00Z")]
    public void FreezeWhenClosed_ClosesTheMonthAtTheCompanysMidnight(string zone, string month, string lastInside, string firstAfter)
    {
        var calendar = new CompanyCalendar(Builders.Company(zone));
        InsightSnapshot RolledUpAt(string at, long joins) => new(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture),
            new Dictionary<string, InsightMetric> { [$"joins.{month}"] = new(joins, month) });
        InsightSnapshot Next(InsightSnapshot previous)
        {
            var next = new InsightCollector(previous.ComputedAt!.Value.AddMinutes(15), calendar);
            next.Set($"joins.{month}", 99, MetricMerge.FreezeWhenClosed, month);
            return next.MergeInto(previous);
        }

        Assert.Equal(99, Next(RolledUpAt(lastInside, 10)).Value($"joins.{month}"));
        Assert.Equal(10, Next(RolledUpAt(firstAfter, 10)).Value($"joins.{month}"));
    }

    [Fact]
    public void FreezeWhenClosed_ARollUpAt2330UtcOnTheLastDay_IsAfterTheMonthClosedInTokyo()
    {
        // 08:30 on 1 December in Tokyo: November closed at midnight there, so this run's November stands.
        var first = new InsightSnapshot(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero),
            new Dictionary<string, InsightMetric> { ["joins.2026-11"] = new(10, "2026-11") });
        var next = new InsightCollector(new DateTimeOffset(2026, 11, 30, 23, 45, 0, TimeSpan.Zero), Tokyo);
        next.Set("joins.2026-11", 8, MetricMerge.FreezeWhenClosed, "2026-11");

        Assert.Equal(10, next.MergeInto(first).Value("joins.2026-11"));
    }

    [Fact]
    public void FiguresOlderThanTwoYears_AreDroppedByTheCompanysYear()
    {
        // 1 January 2027 in Tokyo, still 2026 in UTC: 2024 is now more than two years back.
        var merged = new InsightCollector(new DateTimeOffset(2026, 12, 31, 15, 30, 0, TimeSpan.Zero), Tokyo)
            .MergeInto(Previous(("joins.2025-01", 3, "2025-01"), ("joins.2024-12", 3, "2024-12")));

        Assert.Equal(3, merged.Value("joins.2025-01"));
        Assert.False(merged.Metrics.ContainsKey("joins.2024-12"));
    }

    [Fact]
    public void FiguresNobodyProducedAnyMore_AreKept_UnlessOlderThanTwoYears()
    {
        var merged = new InsightCollector(Now, Tokyo).MergeInto(Previous(("status.returned", 4, null), ("joins.2024-01", 3, "2024-01"), ("joins.2023-12", 3, "2023-12")));

        Assert.Equal(4, merged.Value("status.returned"));
        Assert.Equal(3, merged.Value("joins.2024-01"));
        Assert.False(merged.Metrics.ContainsKey("joins.2023-12"));
    }

    [Fact]
    public void UnknownFigure_ReadsZero() => Assert.Equal(0, InsightSnapshot.Empty.Value("status.returned"));

    [Fact]
    public void FreezingWithoutAMonth_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new InsightCollector(Now, Tokyo).Set("joins", 1, MetricMerge.FreezeWhenClosed));

    [Fact]
    public void Snapshot_SurvivesJson()
    {
        var snapshot = Previous(("status.joined", 12, null), ("joins.2026-12", 3, "2026-12"));

        var read = InsightSnapshot.FromJson(snapshot.ToJson());

        Assert.Equal(snapshot.ComputedAt, read.ComputedAt);
        Assert.Equal(snapshot.Metrics, read.Metrics);
    }
}
