using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
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

        // Survey, started, asked, responses, rate, eNPS.
        string[] Row(string wave)
        {
            var match = Regex.Match(page, $"<tr><td><a [^>]*>{id[..6]} v1 {wave}</a></td><td>[^<]*</td>((?:<td>[^<]*</td>){{4}})</tr>");
            Assert.True(match.Success, $"no dashboard row for {wave}");
            return Regex.Matches(match.Groups[1].Value, "<td>([^<]*)</td>").Select(m => m.Groups[1].Value).ToArray();
        }

        Assert.Equal(["0", "20", "—", "100"], Row("w01"));
        Assert.Equal(["0", "非表示 (少人数)", "—", "非表示 (少人数)"], Row("w02"));
        Assert.Equal(["0", "非表示 (少人数)", "—", "非表示 (少人数)"], Row("w03"));
    }
}
