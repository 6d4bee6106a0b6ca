using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Insights;

/// <summary>
/// From one pass over the Alumni table: alumni by status now, joins per month (the company's months, last 12, frozen once
/// a month closes), and each departure cohort's size and joiners (by quarter of the last working day, last 8 quarters,
/// never shrinking, so people purged for never joining still count in their cohort's denominator). Erased people are counted by their
/// tombstones; returned (rehired) alumni by their status, like the others.
/// </summary>
public sealed class AlumniInsights(IAlumniStore alumni) : IInsightSource
{
    public const int Months = 12;
    public const int Quarters = 8;

    public async Task CollectAsync(InsightCollector collector, CancellationToken cancellationToken)
    {
        var byStatus = new Dictionary<AlumnusStatus, long>();
        var joins = new Dictionary<string, long>(StringComparer.Ordinal);
        var cohortSize = new Dictionary<string, long>(StringComparer.Ordinal);
        var cohortJoined = new Dictionary<string, long>(StringComparer.Ordinal);
        long erasing = 0;
        await foreach (var alumnus in alumni.ListAsync(cancellationToken))
        {
            // An erasure under way counts as done (the retention purge finishes what a failure left): they asked to be gone.
            if (alumnus.ErasureStartedAt is not null)
            {
                erasing++;
                continue;
            }

            byStatus[alumnus.Status] = byStatus.GetValueOrDefault(alumnus.Status) + 1;
            var cohort = InsightPeriods.Quarter(alumnus.LastWorkingDay);
            cohortSize[cohort] = cohortSize.GetValueOrDefault(cohort) + 1;
            if (alumnus.JoinedAt is { } joinedAt)
            {
                var month = InsightPeriods.Month(joinedAt, collector.Calendar);
                joins[month] = joins.GetValueOrDefault(month) + 1;
                cohortJoined[cohort] = cohortJoined.GetValueOrDefault(cohort) + 1;
            }
        }

        collector.Set(InsightKeys.Status(InsightKeys.Departed), byStatus.GetValueOrDefault(AlumnusStatus.Departed));
        collector.Set(InsightKeys.Status(InsightKeys.Invited), byStatus.GetValueOrDefault(AlumnusStatus.Invited));
        collector.Set(InsightKeys.Status(InsightKeys.Joined), byStatus.GetValueOrDefault(AlumnusStatus.Joined));
        collector.Set(InsightKeys.Status(InsightKeys.Returned), byStatus.GetValueOrDefault(AlumnusStatus.Returned));
        collector.Set(InsightKeys.Status(InsightKeys.Erased), await alumni.CountErasedAsync(cancellationToken) + erasing, MetricMerge.KeepHighest);
        foreach (var month in InsightPeriods.LastMonths(collector.Today, Months).Select(InsightPeriods.Month))
        {
            collector.Set(InsightKeys.JoinsIn(month), joins.GetValueOrDefault(month), MetricMerge.FreezeWhenClosed, month);
        }

        foreach (var quarter in InsightPeriods.LastQuarters(collector.Today, Quarters).Select(InsightPeriods.Quarter))
        {
            collector.Set(InsightKeys.CohortSize(quarter), cohortSize.GetValueOrDefault(quarter), MetricMerge.KeepHighest, quarter);
            collector.Set(InsightKeys.CohortJoined(quarter), cohortJoined.GetValueOrDefault(quarter), MetricMerge.KeepHighest, quarter);
        }
    }
}
