using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Surveys;

/// <summary>The insight dashboard's survey section, rolled up and read through the console against Azurite: it shows no more than the results do.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SurveyDashboardTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Dashboard_HidesTheWavesTheResultsHide()
    {
        // w01=20, w02=7, w03=2 at k=5: the results show w01 beside the total of 29 and hide w02 with w03. The dashboard
        // listing w02's 7 (it is at least its fixed minimum of 5) would leave w03's 2.
        var id = await app.PublishedSurveyAsync();
        foreach (var (wave, count) in new[] { ("w01", 20), ("w02", 7), ("w03", 2) })
        {
            await app.SeedCellAsync(id, wave, count);
        }

        await app.RollUpInsightsAsync();
        using var viewer = await ConsoleClient.SignedInAsync(app, AdminRoles.Viewer);
        var page = await viewer.GetPageAsync("/api/console/insights");

        Assert.Equal(["0", "20", "—", "100"], Row(page, id, "w01"));
        Assert.Equal(["0", "非表示 (少人数)", "—", "非表示 (少人数)"], Row(page, id, "w02"));
        Assert.Equal(["0", "非表示 (少人数)", "—", "非表示 (少人数)"], Row(page, id, "w03"));
    }

    [Fact]
    public async Task Dashboard_HidesTheRate_WhenItHidesTheResponses()
    {
        // Rolled up under k=3, before the floor of 5: 3 responses of 10 asked. Their count is hidden, and 30% of 10 would
        // say it; eNPS over 3 answers is hidden as it was.
        const string id = "abcdef0123456789abcdef0123456789";
        var figures = new Dictionary<string, long> { ["sent"] = 10, ["responses"] = 3, ["rate"] = 3_000, ["promoters"] = 3, ["detractors"] = 0, ["enps-answered"] = 3, ["k"] = 3 };
        var snapshot = new InsightSnapshot(TimeProvider.System.GetUtcNow(), figures.ToDictionary(f => SurveyInsights.Key(id, 1, "w01", f.Key), f => new InsightMetric(f.Value)));
        Assert.True(await app.Services.GetRequiredService<IInsightStore>().TrySaveAsync(snapshot, null, CancellationToken.None));

        using var viewer = await ConsoleClient.SignedInAsync(app, AdminRoles.Viewer);
        var page = await viewer.GetPageAsync("/api/console/insights");

        Assert.Equal(["10", "非表示 (少人数)", "非表示 (少人数)", "非表示 (少人数)"], Row(page, id, "w01"));
        Assert.DoesNotContain("30%", page, StringComparison.Ordinal);
    }

    /// <summary>A wave's row of the dashboard's survey table: asked, responses, rate, eNPS.</summary>
    private static string[] Row(string page, string id, string wave)
    {
        var match = Regex.Match(page, $"<tr><td><a [^>]*>{id[..6]} v1 {wave}</a></td><td>[^<]*</td>((?:<td>[^<]*</td>){{4}})</tr>");
        Assert.True(match.Success, $"no dashboard row for {wave}");
        return Regex.Matches(match.Groups[1].Value, "<td>([^<]*)</td>").Select(m => m.Groups[1].Value).ToArray();
    }
}
