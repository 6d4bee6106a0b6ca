using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Functions.AdminConsole.Insights;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The email section over a snapshot alone (no storage): deliveries, opens and clicks are each counted in the month they
/// happened, so the 12 months can hold opens of mails delivered before them; no rate above 100% is shown.
/// </summary>
public sealed class EmailEngagementSectionTests
{
    private static readonly DateOnly AsOf = new(2027, 3, 15);
    private static readonly string Month = InsightPeriods.Month(AsOf);
    private static readonly string FirstMonth = InsightPeriods.Month(InsightPeriods.LastMonths(AsOf, EmailEngagementInsights.Months)[0]);

    private static string Render(Locale l, params (string Key, long Value)[] figures) =>
        new EmailEngagementSection().Render(new InsightSnapshot(new DateTimeOffset(AsOf, TimeOnly.MinValue, TimeSpan.Zero), figures.ToDictionary(f => f.Key, f => new InsightMetric(f.Value, null))), AsOf, l);

    [Theory]
    [InlineData(Locale.English)]
    [InlineData(Locale.Japanese)]
    public void OpensOfMailsDeliveredBeforeTheMonths_AreShownAtMostAsManyAsTheDeliveries_AndNoRatePasses100(Locale l)
    {
        // 6 delivered in the window; 8 opens and 7 clicks in it, 3 of them of mails delivered the month before it began.
        var page = Render(l,
            (InsightKeys.EmailEvents("event", "Delivered", Month), 6),
            (InsightKeys.EmailEvents("event", "Opened", FirstMonth), 3), (InsightKeys.EmailEvents("event", "Opened", Month), 5),
            (InsightKeys.EmailEvents("event", "Clicked", FirstMonth), 2), (InsightKeys.EmailEvents("event", "Clicked", Month), 5));

        Assert.Contains("<tr><td>event</td><td>6</td><td>6</td><td>6</td><td>100%</td><td>100%</td></tr>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("133", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>8</td>", page, StringComparison.Ordinal);
        Assert.Contains(l == Locale.English ? "counted in the month they happened" : "発生した月に数えます", page, StringComparison.Ordinal);
    }

    [Fact]
    public void OpensWithinTheDeliveries_AreShownAsCounted()
    {
        var page = Render(Locale.English,
            (InsightKeys.EmailEvents("newsletter", "Delivered", Month), 20), (InsightKeys.EmailEvents("newsletter", "Opened", Month), 10),
            (InsightKeys.EmailEvents("newsletter", "Clicked", Month), 5));

        Assert.Contains("<tr><td>newsletter</td><td>20</td><td>10</td><td>5</td><td>50%</td><td>25%</td></tr>", page, StringComparison.Ordinal);
    }
}
