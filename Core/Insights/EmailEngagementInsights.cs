using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Insights;

/// <summary>
/// Deliveries, opens and clicks per campaign kind and month (the company's months, last 12), from the engagement counters
/// kept per campaign kind and month as the events arrive (<see cref="IEngagementCounters.IncrementCampaignAsync"/>).
/// </summary>
public sealed class EmailEngagementInsights(IEngagementCounters engagement) : IInsightSource
{
    public const int Months = 12;

    /// <summary>
    /// Opens or clicks as printed beside the deliveries of the same months: at most as many. Each is counted in the month
    /// it happened, so an open early in the window of a mail delivered before it counts without its delivery, and a small
    /// kind would otherwise show more opens than deliveries, a rate above 100%.
    /// </summary>
    public static long AtMostDelivered(long part, long delivered) => Math.Min(part, delivered);

    public async Task CollectAsync(InsightCollector collector, CancellationToken cancellationToken)
    {
        var from = InsightPeriods.Month(InsightPeriods.LastMonths(collector.Today, Months)[0]);
        var totals = new Dictionary<(string Kind, string Month), (long Delivered, long Opened, long Clicked)>();
        await foreach (var shard in engagement.CampaignCountsAsync(from, cancellationToken))
        {
            var sum = totals.GetValueOrDefault((shard.CampaignKind, shard.Month));
            totals[(shard.CampaignKind, shard.Month)] = (sum.Delivered + shard.Delivered, sum.Opened + shard.Opened, sum.Clicked + shard.Clicked);
        }

        foreach (var ((kind, month), (delivered, opened, clicked)) in totals)
        {
            collector.Set(InsightKeys.EmailEvents(kind, nameof(EngagementKind.Delivered), month), delivered, period: month);
            collector.Set(InsightKeys.EmailEvents(kind, nameof(EngagementKind.Opened), month), opened, period: month);
            collector.Set(InsightKeys.EmailEvents(kind, nameof(EngagementKind.Clicked), month), clicked, period: month);
        }
    }
}
