using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The dashboard over a seeded snapshot: a part printed next to its whole is hidden when the rest of the whole is a small
/// group (7 and 6 would reveal the 1 by subtraction), in every section that prints both.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardSmallGroupsTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    // The dashboard's months are the company's (Asia/Tokyo here, the default), not UTC's.
    private static readonly DateOnly Today = new Core.Company.CompanyCalendar(Options.Create(new Core.Company.CompanyOptions())).DayOf(Now);
    private static readonly string Month = InsightPeriods.Month(Today);
    private static readonly string LastMonth = InsightPeriods.Month(Today.AddMonths(-1));
    private static readonly string TwoMonthsAgo = InsightPeriods.Month(Today.AddMonths(-2));
    private static readonly string Quarter = InsightPeriods.Quarter(Today);
    private static readonly string LastQuarter = InsightPeriods.Quarter(Today.AddMonths(-3));

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
            // The months' reached returns add up to the year's: with this month's hidden, the smallest other goes too.
            (RehireInsightKeys.ReturnsIn(TwoMonthsAgo), 20), (RehireInsightKeys.AttributedIn(TwoMonthsAgo), 5),
            (InsightKeys.EmailEvents("newsletter", "Delivered", Month), 7), (InsightKeys.EmailEvents("newsletter", "Opened", Month), 6),
            (InsightKeys.EmailEvents("newsletter", "Clicked", Month), 2));

        Assert.DoesNotContain("<td>7</td><td>6</td>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{Quarter}</td><td>7</td><td>非表示</td><td>5人未満</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{LastQuarter}</td><td>20</td><td>10</td><td>50%</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{Month}</td><td>1</td><td>7</td><td>非表示</td><td>5人未満</td><td>0</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{Month}</td><td>7</td><td>非表示</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{LastMonth}</td><td>12</td><td>6</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{TwoMonthsAgo}</td><td>20</td><td>非表示</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>newsletter</td><td>7</td><td>非表示</td><td>5人未満</td><td>5人未満</td><td>5人未満</td></tr>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RehireFirstTouches_WithOneSmallGroup_HideTheNextSmallestToo_SoTheYearsReachedReturnsCannotGiveItAway()
    {
        // 15 + 15 reached returns shown month by month: the first touches add up to 30, so a lone "<5" would be 30 - 7 - 20.
        var page = await DashboardAsync(
            (RehireInsightKeys.ReturnsIn(Month), 20), (RehireInsightKeys.AttributedIn(Month), 15),
            (RehireInsightKeys.ReturnsIn(LastMonth), 30), (RehireInsightKeys.AttributedIn(LastMonth), 15),
            (RehireInsightKeys.FirstTouch(TouchKind.Campaign), 3), (RehireInsightKeys.FirstTouch(TouchKind.Event), 7), (RehireInsightKeys.FirstTouch(TouchKind.Opening), 20),
            (RehireInsightKeys.Returns12Months, 50));

        var rehires = Section(page, "rehires");
        Assert.Contains($"<tr><td>{Month}</td><td>20</td><td>15</td></tr>", rehires, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{LastMonth}</td><td>30</td><td>15</td></tr>", rehires, StringComparison.Ordinal);
        Assert.Contains("<tr><td>メール配信</td><td>非表示</td></tr><tr><td>イベント</td><td>非表示</td></tr><tr><td>募集</td><td>20</td></tr>", rehires, StringComparison.Ordinal);
        AssertNoLoneHiddenCell(rehires);
    }

    [Fact]
    public async Task RehireMonths_WithOneSmallGroupOfReachedReturns_HideTheNextSmallestToo_SoTheFirstTouchesCannotGiveItAway()
    {
        // The first touches, all shown, add up to 15 reached returns: a lone "<5" among the months would be 15 - 12.
        var page = await DashboardAsync(
            (RehireInsightKeys.ReturnsIn(Month), 10), (RehireInsightKeys.AttributedIn(Month), 3),
            (RehireInsightKeys.ReturnsIn(LastMonth), 20), (RehireInsightKeys.AttributedIn(LastMonth), 12),
            (RehireInsightKeys.FirstTouch(TouchKind.Campaign), 5), (RehireInsightKeys.FirstTouch(TouchKind.Event), 10), (RehireInsightKeys.FirstTouch(TouchKind.Opening), 0),
            (RehireInsightKeys.Returns12Months, 30));

        var rehires = Section(page, "rehires");
        Assert.Contains($"<tr><td>{Month}</td><td>10</td><td>非表示</td></tr>", rehires, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{LastMonth}</td><td>20</td><td>非表示</td></tr>", rehires, StringComparison.Ordinal);
        Assert.Contains("<tr><td>メール配信</td><td>5</td></tr><tr><td>イベント</td><td>10</td></tr><tr><td>募集</td><td>0</td></tr>", rehires, StringComparison.Ordinal);
        AssertNoLoneHiddenCell(rehires);
    }

    [Theory]
    [InlineData(1, "5人未満")]
    [InlineData(5, "200")]
    public async Task MedianTimeAway_IsHiddenWhenTheReturnsItIsOfAreASmallGroup_HoweverManyReturnsThereWere(long daysAwayOf, string shown)
    {
        // Five returns, four matched without a last working day: a median of one would be that person's time away.
        var page = await DashboardAsync(
            (RehireInsightKeys.ReturnsIn(Month), 5), (RehireInsightKeys.Returns12Months, 5),
            (RehireInsightKeys.DaysAwayOf, daysAwayOf), (RehireInsightKeys.MedianDaysAway, 200));

        Assert.Contains($"<p>退職から再入社までの日数 (中央値): {shown}</p>", Section(page, "rehires"), StringComparison.Ordinal);
    }

    /// <summary>The section's HTML, from its heading to the next section's.</summary>
    private static string Section(string page, string id)
    {
        var start = page.IndexOf($"<h2 id=\"{id}-heading\">", StringComparison.Ordinal);
        Assert.True(start > 0, $"no section {id}");
        var end = page.IndexOf("<h2 id=\"", start + 1, StringComparison.Ordinal);
        return page[start..(end < 0 ? page.Length : end)];
    }

    /// <summary>
    /// Both rehire groups that add up to the year's reached returns (the months' last column, the first touches) have no
    /// hidden cell or at least two, so none is the total less the shown ones.
    /// </summary>
    private static void AssertNoLoneHiddenCell(string rehires)
    {
        var rows = System.Text.RegularExpressions.Regex.Matches(rehires, "<tr>(.*?)</tr>").Select(m => System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, "<td>(.*?)</td>").Select(c => c.Groups[1].Value).ToArray()).Where(r => r.Length > 0).ToArray();
        var reached = rows.Where(r => r.Length == 3).Select(r => r[2]).ToArray();
        var touches = rows.Where(r => r.Length == 2).Select(r => r[1]).ToArray();
        Assert.Equal((12, 3), (reached.Length, touches.Length));
        Assert.All(new[] { reached, touches }, group => Assert.NotEqual(1, group.Count(c => !long.TryParse(c, out _))));
        // One marker for every hidden cell: a "<5" beside a "hidden" would bound both, and the total would pin them.
        Assert.All(reached.Concat(touches), c => Assert.True(long.TryParse(c, out _) || c == "非表示", c));
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
