using System.Net;
using System.Text;
using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;
using static AlumniNetwork.Functions.Tests.Support.ConsoleBrowser;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>
/// The dashboard's rehires section, the alumni CSV export and a survey's waves in the console, in a real Chromium in
/// Japanese and English: matched rehires appear in their month once rolled up, the export downloads through the page
/// with formula-safe cells and is audited, and an ad-hoc wave's report follows it from sent to answered.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleInsightsBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_SeesMatchedRehiresInTheirMonth_OnTheDashboardsRehiresSection(string locale)
    {
        // Five, so that the month is no small group: each left 200 days ago and is hired today under the same employee id.
        var today = OpeningSeeds.Today;
        string[] names = ["hanako", "taro", "jiro", "yoko", "kenji"];
        foreach (var name in names)
        {
            await app.CandidateAsync(name);
            Assert.Equal(HttpStatusCode.Accepted, (await app.HiredAsync($"E-{name}", OpeningSeeds.Day(today, 0))).StatusCode);
        }

        Assert.Equal(names.Length, await app.DeliverAsync("rehires", "AttributeRehire"));
        await app.RollUpInsightsAsync();
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "ダッシュボード", "Dashboard"), Exact = true }).ClickAsync();
        var title = T(locale, "再入社 (ネットワーク経由)", "Rehires attributed to the network");
        await page.GetByRole(AriaRole.Navigation, new() { Name = T(locale, "ダッシュボードの項目", "Dashboard sections") })
            .GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#rehires$"));
        var section = page.GetByRole(AriaRole.Region, new() { Name = title, Exact = true });
        await Assertions.Expect(section.GetByRole(AriaRole.Img, new() { Name = title })).ToBeVisibleAsync();
        var month = InsightPeriods.Month(today);
        // Returns of the month, and of them those the network had reached (none: no mail, event or opening touched them).
        await Assertions.Expect(section.GetByRole(AriaRole.Table, new() { Name = title, Exact = true }).GetByRole(AriaRole.Row).Filter(new() { HasText = month })
            .GetByRole(AriaRole.Cell)).ToHaveTextAsync([month, "5", "0"]);
        await Assertions.Expect(section.GetByText(T(locale, "退職から再入社までの日数 (中央値): 200", "Days from leaving to return (median): 200"))).ToBeVisibleAsync();
        var byStatus = T(locale, "状態別のアルムナイ数", "Alumni by status");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = byStatus, Exact = true }).GetByRole(AriaRole.Row)
            .Filter(new() { HasText = T(locale, "再入社", "Returned") }).GetByRole(AriaRole.Cell)).ToHaveTextAsync([T(locale, "再入社", "Returned"), "5"]);
        Assert.Equal(locale, await page.Locator("html").GetAttributeAsync("lang"));
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_DownloadsTheAlumniCsv_ThroughThePage_WithFormulaSafeCells_AndTheDownloadIsAudited(string locale)
    {
        var hanako = await app.SeedAsync("E5001", "hanako.export@example.net", "花子", "山田");
        var hostile = await app.SeedAsync("E5002", "hostile@example.net", "Smith, \"Jr\"", "=1+2", "@Ops");
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "アルムナイ", "Alumni"), Exact = true }).ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = T(locale, "全員を CSV でダウンロード", "Download everyone as CSV") }).ClickAsync());

        Assert.Matches(@"^alumni-\d{8}\.csv$", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal(string.Join(',', Core.Admin.ExportAlumniCsv.Columns), lines[0]);
        Assert.Equal(3, lines.Count(l => l.Length > 0));
        Assert.StartsWith($"{hanako},E5001,山田,花子,hanako.export@example.net,Retail Banking,Analyst,", Assert.Single(lines, l => l.StartsWith(hanako.Value, StringComparison.Ordinal)), StringComparison.Ordinal);
        // A cell that starts with = or @ starts with a quote, so a spreadsheet reads it as text, never as a formula.
        Assert.StartsWith($"{hostile},E5002,'=1+2,\"Smith, \"\"Jr\"\"\",hostile@example.net,'@Ops,",
            Assert.Single(lines, l => l.StartsWith(hostile.Value, StringComparison.Ordinal)), StringComparison.Ordinal);

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "監査ログ", "Audit log"), Exact = true }).ClickAsync();
        var completed = RowWith(page, AdminAuditActions.AlumniExportCompleted);
        await Assertions.Expect(completed).ToHaveCountAsync(1);
        await Assertions.Expect(completed).ToContainTextAsync("local-admin");
        await Assertions.Expect(completed).ToContainTextAsync("format=csv; rows=2");
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_FollowsAnAdHocSurveyWave_FromSentToAnswered_OnTheSurveysReport(string locale)
    {
        // The console has no form to write a survey or start a wave: both come through the admin API, as HR's tools do.
        var members = await app.SeedMembersAsync(6, [ConsentPurpose.Surveys]);
        var surveyId = await app.PublishedSurveyAsync();
        var started = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{surveyId}/waves", """{"name": "spring27"}""");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var campaignId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("campaignId").GetString()!;
        // The dispatcher and the queue triggers, as the host would run them.
        await app.SendAllBatchesAsync(await app.StartAndPlanAsync(campaignId, CampaignKind.Survey, campaignId));
        Assert.Equal(6, (await app.OutboxAsync()).Count);
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "アンケート結果", "Survey results"), Exact = true }).ClickAsync();
        var title = T(locale, "退職者アンケート <script>x</script>", "Alumni survey <script>x</script>");
        var listed = RowWith(page, title);
        await Assertions.Expect(listed).ToContainTextAsync(T(locale, "実施中", "Open"));
        await Assertions.Expect(listed).ToContainTextAsync(T(locale, "匿名", "Anonymous"));
        await listed.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1, Exact = true })).ToBeVisibleAsync();
        var wave = T(locale, "spring27 (随時)", "spring27 (ad hoc)");
        var trend = page.GetByRole(AriaRole.Table, new() { Name = T(locale, "回ごとの推移", "Trend across waves"), Exact = true });
        // Sent to six, answered by none: the responses are hidden, and so is the rate that would give them away.
        await Assertions.Expect(trend.GetByRole(AriaRole.Row).Filter(new() { HasText = wave }).GetByRole(AriaRole.Cell))
            .ToHaveTextAsync([wave, T(locale, "非表示", "hidden"), "6", "—", "—"]);

        foreach (var member in members.Take(5))
        {
            (await app.AnswerAsync(app.SurveyToken(surveyId, member.Id, "aspring27"), ("recommend", "9"))).EnsureSuccessStatusCode();
        }

        await page.ReloadAsync();

        // Five answers are a released step (ADR 0035): the wave's figures are shown.
        await Assertions.Expect(trend.GetByRole(AriaRole.Row).Filter(new() { HasText = wave }).GetByRole(AriaRole.Cell))
            .ToHaveTextAsync([wave, "5", "6", "83.3%", "100"]);
        await Assertions.Expect(page.GetByText(T(locale, "次の更新を待つ回答: 新規 0 件、変更 0 件。", "Waiting for the next update: 0 new, 0 changed."))).ToBeVisibleAsync();
        Assert.Equal(locale, await page.Locator("html").GetAttributeAsync("lang"));
    }
}
