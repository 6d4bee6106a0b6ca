using AlumniNetwork.Core.Insights;

namespace AlumniNetwork.Core.Rehires;

/// <summary>The names of the rehire figures in the insight snapshot.</summary>
public static class RehireInsightKeys
{
    /// <summary>Alumni who returned in the month (<c>2027-04</c>).</summary>
    public static string ReturnsIn(string month) => $"rehires.{month}";

    /// <summary>Of those, how many the network had reached in the year before their return.</summary>
    public static string AttributedIn(string month) => $"rehires.attributed.{month}";

    /// <summary>Returns of the last 12 months whose first touch was of this kind (<see cref="TouchKind"/>).</summary>
    public static string FirstTouch(TouchKind kind) => $"rehires.first.{kind}";

    /// <summary>Median whole days from the last working day to the return, over the last 12 months' returns that have one.</summary>
    public const string MedianDaysAway = "rehires.days.median";

    /// <summary>
    /// How many returns the median is of (the dashboard hides it for a small group): those with a last working day, fewer
    /// than <see cref="Returns12Months"/> when a return matched without one.
    /// </summary>
    public const string DaysAwayOf = "rehires.days.12m";

    /// <summary>Returns of the last 12 months.</summary>
    public const string Returns12Months = "rehires.12m";
}

/// <summary>
/// Rehires for the dashboard, from the hires matched in the last 12 months (one or two partitions of the Rehires table):
/// returns and attributed returns per month, returns by the kind of their first touch, and the median time away.
/// Recomputed each roll-up (erasure anonymises a return but keeps it counted).
/// </summary>
public sealed class RehireInsights(IRehireStore rehires) : IInsightSource
{
    public const int Months = 12;

    public async Task CollectAsync(InsightCollector collector, CancellationToken cancellationToken)
    {
        var months = InsightPeriods.LastMonths(collector.Today, Months);
        // To the end of this month: HR systems report a hire before its first day.
        var matched = await rehires.MatchedAsync(months[0], months[^1].AddMonths(1).AddDays(-1), cancellationToken);
        foreach (var month in months.Select(InsightPeriods.Month))
        {
            var inMonth = matched.Where(r => InsightPeriods.Month(r.HiredOn) == month).ToArray();
            collector.Set(RehireInsightKeys.ReturnsIn(month), inMonth.Length, MetricMerge.Replace, month);
            collector.Set(RehireInsightKeys.AttributedIn(month), inMonth.Count(r => r.IsAttributed), MetricMerge.Replace, month);
        }

        foreach (var kind in Enum.GetValues<TouchKind>())
        {
            collector.Set(RehireInsightKeys.FirstTouch(kind), matched.Count(r => r.Touches.Any(t => t.First && t.Kind == kind)));
        }

        var days = matched.Select(r => r.DaysAway).OfType<int>().Order().ToArray();
        collector.Set(RehireInsightKeys.Returns12Months, matched.Count);
        collector.Set(RehireInsightKeys.DaysAwayOf, days.Length);
        collector.Set(RehireInsightKeys.MedianDaysAway, days.Length == 0 ? 0 : (long)Math.Round(ListRehires.Median(days)));
    }
}
