using AlumniNetwork.Core.Insights;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// Event attendance per month of the events' start (the company's months, last 12): how many events took place with attendance
/// recorded, how many people were registered to attend them, and how many of those were marked as having come. An event
/// whose attendance nobody marked says nothing about turnout, so it is counted apart (<see cref="Unrecorded"/>) and
/// left out of the rate instead of dragging it to zero. Cancelled and unpublished events are not counted. Recomputed
/// from the Events table on every roll-up (a handful of reads per event), so a late marking still lands in its month.
/// </summary>
public sealed class EventAttendanceInsights(IEventStore events) : IInsightSource
{
    public const int Months = 12;

    /// <summary>Ended events whose attendance was recorded (at least one registration marked).</summary>
    public static string Held(string month) => $"events.{month}.held";

    /// <summary>Ended events nobody marked attendance for.</summary>
    public static string Unrecorded(string month) => $"events.{month}.unrecorded";

    /// <summary>People registered to attend (not the waitlist, not declines) the events of <see cref="Held"/>.</summary>
    public static string Registered(string month) => $"events.{month}.registered";

    /// <summary>Of <see cref="Registered"/>, those marked as having come.</summary>
    public static string Attended(string month) => $"events.{month}.attended";

    public async Task CollectAsync(InsightCollector collector, CancellationToken cancellationToken)
    {
        var months = InsightPeriods.LastMonths(collector.Today, Months).Select(InsightPeriods.Month).ToArray();
        var counts = months.ToDictionary(m => m, _ => (Held: 0L, Unrecorded: 0L, Registered: 0L, Attended: 0L), StringComparer.Ordinal);
        foreach (var e in await events.ListAsync(cancellationToken))
        {
            var month = InsightPeriods.Month(e.Details.StartsAt, collector.Calendar);
            if (e.Status != EventStatus.Published || e.Details.EndsAt > collector.Now || !counts.TryGetValue(month, out var sum))
            {
                continue;
            }

            var attending = (await events.RsvpsAsync(e.Id, cancellationToken)).Where(r => r.Status == RsvpStatus.Attending).ToArray();
            counts[month] = attending.Any(r => r.Attended is not null)
                ? (sum.Held + 1, sum.Unrecorded, sum.Registered + attending.Length, sum.Attended + attending.Count(r => r.Attended == true))
                : (sum.Held, sum.Unrecorded + 1, sum.Registered, sum.Attended);
        }

        foreach (var (month, sum) in counts)
        {
            collector.Set(Held(month), sum.Held, period: month);
            collector.Set(Unrecorded(month), sum.Unrecorded, period: month);
            collector.Set(Registered(month), sum.Registered, period: month);
            collector.Set(Attended(month), sum.Attended, period: month);
        }
    }
}
