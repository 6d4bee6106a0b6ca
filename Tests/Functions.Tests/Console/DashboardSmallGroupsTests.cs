using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The dashboard over a seeded snapshot: a part printed next to its whole is hidden when the rest of the whole is a small
/// group (7 and 6 would reveal the 1 by subtraction), in every section that prints both.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardSmallGroupsTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    private static readonly string Month = InsightPeriods.Month(Now);
    private static readonly string LastMonth = InsightPeriods.Month(Now.AddMonths(-1));
    private static readonly string Quarter = InsightPeriods.Quarter(DateOnly.FromDateTime(Now.UtcDateTime));
    private static readonly string LastQuarter = InsightPeriods.Quarter(DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(-3));

    private async Task<string> DashboardAsync(params (string Key, long Value)[] figures)
    {
        var snapshot = new InsightSnapshot(Now, figures.ToDictionary(f => f.Key, f => new InsightMetric(f.Value, null)));
        Assert.True(await App.Services.GetRequiredService<IInsightStore>().TrySaveAsync(snapshot, null, CancellationToken.None));
        return await Admin.GetPageAsync("/api/console/insights");
    }

    [Fact]
    public async Task PartWithASmallRemainder_IsHidden_InCohortsEventsRehiresAndEmail_ButShownWhenTheRemainderIsNot()
    {
        var page = await DashboardAsync(
            (InsightKeys.CohortSize(Quarter), 7), (InsightKeys.CohortJoined(Quarter), 6),
            (InsightKeys.CohortSize(LastQuarter), 20), (InsightKeys.CohortJoined(LastQuarter), 10),
            (EventAttendanceInsights.Held(Month), 1), (EventAttendanceInsights.Registered(Month), 7), (EventAttendanceInsights.Attended(Month), 6),
            (RehireInsightKeys.ReturnsIn(Month), 7), (RehireInsightKeys.AttributedIn(Month), 6),
            (RehireInsightKeys.ReturnsIn(LastMonth), 12), (RehireInsightKeys.AttributedIn(LastMonth), 6),
            (InsightKeys.EmailEvents("newsletter", "Delivered", Month), 7), (InsightKeys.EmailEvents("newsletter", "Opened", Month), 6),
            (InsightKeys.EmailEvents("newsletter", "Clicked", Month), 2));

        Assert.DoesNotContain("<td>7</td><td>6</td>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{Quarter}</td><td>7</td><td>非表示</td><td>5人未満</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{LastQuarter}</td><td>20</td><td>10</td><td>50%</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{Month}</td><td>1</td><td>7</td><td>非表示</td><td>5人未満</td><td>0</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{Month}</td><td>7</td><td>非表示</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{LastMonth}</td><td>12</td><td>6</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>newsletter</td><td>7</td><td>非表示</td><td>5人未満</td><td>5人未満</td><td>5人未満</td></tr>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sections_ComeInTheirOwnOrder_EventAttendanceThenSurveysThenRehires()
    {
        var page = await DashboardAsync((InsightKeys.Status(InsightKeys.Joined), 10));

        var headings = new[] { "event-attendance", "surveys", "rehires" }.Select(id => page.IndexOf($"<h2 id=\"{id}-heading\">", StringComparison.Ordinal)).ToArray();
        Assert.All(headings, i => Assert.True(i > 0));
        Assert.Equal(headings.Order(), headings);
    }
}
