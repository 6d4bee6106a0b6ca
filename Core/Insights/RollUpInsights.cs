using AlumniNetwork.Core.Company;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Insights;

/// <summary>How a new figure combines with the one already in the snapshot.</summary>
public enum MetricMerge
{
    /// <summary>The new value replaces the old: a figure the sources can always recompute (alumni by status now).</summary>
    Replace,

    /// <summary>The higher of the two: a cohort's size must not shrink when the retention purge deletes people who never joined.</summary>
    KeepHighest,

    /// <summary>
    /// Replaced while its month is open, then frozen: the first value computed after the month ended (at midnight in the
    /// company's time zone) stands, so later erasures and purges do not rewrite history the programme already reported.
    /// </summary>
    FreezeWhenClosed,
}

/// <summary>
/// What the sources produced in one roll-up, and how it merges into the stored snapshot. Its months and years are the
/// company's (<see cref="Calendar"/>), as HR reads them.
/// </summary>
public sealed class InsightCollector(DateTimeOffset now, CompanyCalendar calendar)
{
    /// <summary>Periods of years more than this many before this year (the company's) are dropped, which keeps the snapshot one small row.</summary>
    public const int KeptYears = 2;

    private readonly Dictionary<string, (InsightMetric Metric, MetricMerge Merge)> produced = new(StringComparer.Ordinal);

    public DateTimeOffset Now { get; } = now;

    /// <summary>The company's date now: the last month and quarter the sources count are its.</summary>
    public DateOnly Today { get; } = calendar.DayOf(now);

    /// <summary>The company's calendar, which places each counted instant in its month (<see cref="InsightPeriods.Month(DateTimeOffset, CompanyCalendar)"/>).</summary>
    public CompanyCalendar Calendar { get; } = calendar;

    public int Count => produced.Count;

    public void Set(string key, long value, MetricMerge merge = MetricMerge.Replace, string? period = null)
    {
        if (merge == MetricMerge.FreezeWhenClosed && period is null)
        {
            throw new ArgumentException("A figure that freezes when its month closes needs the month.", nameof(period));
        }

        produced[key] = (new InsightMetric(value, period), merge);
    }

    /// <summary>The snapshot after this roll-up: the previous figures, merged with the new ones by each one's rule.</summary>
    public InsightSnapshot MergeInto(InsightSnapshot previous)
    {
        var metrics = previous.Metrics.Where(m => IsKept(m.Value.Period)).ToDictionary(StringComparer.Ordinal);
        foreach (var (key, (metric, merge)) in produced)
        {
            var old = metrics.GetValueOrDefault(key);
            metrics[key] = merge switch
            {
                MetricMerge.KeepHighest when old is not null && old.Value > metric.Value => old,
                // Frozen only by a value computed after the month closed: the last run inside the month does not count.
                MetricMerge.FreezeWhenClosed when old is not null && previous.ComputedAt >= Calendar.EndOfMonth(InsightPeriods.FirstDay(metric.Period!)) => old,
                _ => metric,
            };
        }

        return new InsightSnapshot(Now, metrics);
    }

    private bool IsKept(string? period) =>
        period is not { Length: >= 4 } || !int.TryParse(period.AsSpan(0, 4), out var year) || year >= Today.Year - KeptYears;
}

/// <summary>
/// Something the dashboard shows figures of. Each source reads its own data and names its own figures
/// (<see cref="InsightKeys"/>); a later feature adds a source class and registers it, and the roll-up runs it too.
/// </summary>
public interface IInsightSource
{
    Task CollectAsync(InsightCollector collector, CancellationToken cancellationToken);
}

public sealed record InsightsReport(int Metrics, DateTimeOffset ComputedAt);

/// <summary>
/// The <c>RollUpInsights</c> timer: runs every source, merges the figures into the stored snapshot and writes it with
/// optimistic concurrency, so the dashboard reads one row however many alumni there are. Running twice only recomputes
/// the same figures; a crash before the write leaves the previous snapshot in place.
/// </summary>
public sealed partial class RollUpInsights(
    IEnumerable<IInsightSource> sources, IInsightStore store, CompanyCalendar calendar, TimeProvider time, ILogger<RollUpInsights> logger)
{
    private const int MaxAttempts = 5;

    public async Task<InsightsReport> HandleAsync(CancellationToken cancellationToken)
    {
        var collector = new InsightCollector(time.GetUtcNow(), calendar);
        // One source at a time: each scans a table, and the roll-up has all the time it needs, unlike the page readers.
        foreach (var source in sources)
        {
            var started = time.GetTimestamp();
            await source.CollectAsync(collector, cancellationToken);
            var (name, seconds) = (source.GetType().Name, time.GetElapsedTime(started).TotalSeconds);
            LogSourceCollected(name, seconds);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (previous, etag) = await store.GetAsync(cancellationToken);
            var snapshot = collector.MergeInto(previous);
            if (await store.TrySaveAsync(snapshot, etag, cancellationToken))
            {
                LogRolledUp(snapshot.Metrics.Count);
                return new InsightsReport(snapshot.Metrics.Count, collector.Now);
            }
        }

        throw new InvalidOperationException("The insight snapshot kept changing while it was written.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Insight source {Source} collected in {Seconds:F1} s")]
    private partial void LogSourceCollected(string source, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Insights rolled up: {Metrics} figures")]
    private partial void LogRolledUp(int metrics);
}
