using System.Text.Json;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>Preferences, profile, unsubscribe, export and erase in a real Chromium, in Japanese and English, on a phone.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AlumniPagesBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<IPage> OpenAsync(string locale, string path) => browser.OpenOnPhoneAsync(app, locale, path);

    private async Task<ConsentState> StateAsync(Core.Alumni.AlumnusId id) =>
        ConsentState.From(await app.Services.GetRequiredService<IConsentLedger>().HistoryAsync(id, CancellationToken.None));

    [Theory]
    [InlineData("ja-JP", "ニュースレターを受け取る", "イベント・講演会のご案内を受け取る", "保存する", "設定を保存しました。")]
    [InlineData("en-US", "Receive the newsletter", "Receive invitations to events and talks", "Save", "Your preferences are saved.")]
    public async Task Preferences_ChangeWhatIsReceived(string locale, string newsletter, string events, string save, string saved)
    {
        var id = await app.MemberAsync(locale, "Newsletter");
        var page = await OpenAsync(locale, app.PathFor(LinkPurpose.Preferences, id));

        Assert.True(await page.GetByLabel(newsletter).IsCheckedAsync());
        await page.GetByLabel(newsletter).UncheckAsync();
        await page.GetByLabel(events).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = save }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(saved);
        Assert.True(await page.GetByLabel(events).IsCheckedAsync());
        var state = await StateAsync(id);
        Assert.Equal((false, true), (state.Has(ConsentPurpose.Newsletter), state.Has(ConsentPurpose.Events)));
    }

    [Theory]
    [InlineData("ja-JP", "すべてのメール配信を停止する")]
    [InlineData("en-US", "Unsubscribe from all emails")]
    public async Task Preferences_UnsubscribeFromEverything(string locale, string button)
    {
        var id = await app.MemberAsync(locale, "Newsletter", "Events", "Surveys");
        var page = await OpenAsync(locale, app.PathFor(LinkPurpose.Preferences, id));

        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToBeVisibleAsync();
        Assert.Equal([ConsentPurpose.NetworkMembership], (await StateAsync(id)).Granted);
    }

    [Theory]
    [InlineData("ja-JP", "現在の勤務先", "スキル", "プロジェクト単位なら関わりたい", "アルムナイにも公開", "保存する", "プロフィールを保存しました。")]
    [InlineData("en-US", "Current employer", "Skills", "Yes, for project work", "Other alumni too", "Save", "Your profile is saved.")]
    public async Task Profile_FillAndSave(string locale, string employer, string skills, string returning, string alumniToo, string save, string saved)
    {
        var id = await app.MemberAsync(locale);
        var page = await OpenAsync(locale, app.PathFor(LinkPurpose.Profile, id));

        await page.GetByLabel(employer).FillAsync("株式会社みらい");
        await page.GetByLabel(skills).FillAsync("Risk, データ分析");
        await page.GetByLabel(returning).CheckAsync();
        await page.Locator("select[name='CurrentEmployer.visibility']").SelectOptionAsync(new SelectOptionValue { Label = alumniToo });
        await page.GetByRole(AriaRole.Button, new() { Name = save }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(saved);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel(employer)).ToHaveValueAsync("株式会社みらい");
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Profiles));
        Assert.Equal(("ProjectWork", "Alumni"), (row.GetString("OpenToReturning"), row.GetString("CurrentEmployerVisibility")));
    }

    [Theory]
    [InlineData("ja-JP", "配信を停止する", "配信を停止しました")]
    [InlineData("en-US", "Unsubscribe", "You are unsubscribed")]
    public async Task UnsubscribeLink_WithdrawsTheCategory(string locale, string button, string done)
    {
        var id = await app.MemberAsync(locale, "Newsletter", "Events");
        var page = await OpenAsync(locale, app.UnsubscribePath(id, Core.Consent.ConsentPurpose.Newsletter));

        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = done })).ToBeVisibleAsync();
        var state = await StateAsync(id);
        Assert.Equal((false, true), (state.Has(ConsentPurpose.Newsletter), state.Has(ConsentPurpose.Events)));
    }

    [Theory]
    [InlineData("ja-JP", "ダウンロードする")]
    [InlineData("en-US", "Download")]
    public async Task Export_DownloadsAJsonFile(string locale, string button)
    {
        var id = await app.MemberAsync(locale, "Newsletter");
        var page = await OpenAsync(locale, app.PathFor(LinkPurpose.Export, id));

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync());

        Assert.Equal("alumni-data.json", download.SuggestedFilename);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync((await download.PathAsync())!));
        Assert.Equal(id.Value, json.RootElement.GetProperty("alumnus").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("ja-JP", "登録データのダウンロード用リンクをメールで送る", "ご登録のメールアドレスにリンクをお送りしました。", "ダウンロードする")]
    [InlineData("en-US", "Email me a link to download my data", "We sent a link to your address on file.", "Download")]
    public async Task FromPreferences_TheExportLinkComesByEmail_AndDownloads(string locale, string ask, string sent, string button)
    {
        var id = await app.MemberAsync(locale, "Newsletter");
        var page = await OpenAsync(locale, app.PathFor(LinkPurpose.Preferences, id));
        Assert.Equal(0, await page.Locator($"a[href^='/{AlumniLinks.PathOf(LinkPurpose.Export)}']").CountAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = ask }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(sent);
        var mail = Assert.Single(await app.OutboxAsync(), m => m.Categories.Contains(Core.Privacy.PrivacyLinkEmail.Category));
        var link = System.Text.RegularExpressions.Regex.Match(mail.Text!, "http\\S+/api/alumni/export\\?token=\\S+").Value;
        await page.GotoAsync(link);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync());
        Assert.Equal("alumni-data.json", download.SuggestedFilename);
    }

    [Theory]
    [InlineData("ja-JP", "削除する", "登録データを削除しました")]
    [InlineData("en-US", "Erase my data", "Your data is erased")]
    public async Task Erase_ConfirmThenEverythingIsGone(string locale, string button, string done)
    {
        var id = await app.MemberAsync(locale, "Newsletter");
        var page = await OpenAsync(locale, app.PathFor(LinkPurpose.Erase, id));

        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = done })).ToBeVisibleAsync();
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task PagesLinkToEachOther_FromJoiningToTheProfile()
    {
        var id = await app.DepartAsync(locale: "ja-JP");
        var page = await OpenAsync("ja-JP", app.JoinPath(id));

        await page.GetByLabel("アルムナイネットワークに参加することに同意します").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "参加する" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "プロフィール" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "プロフィール" })).ToBeVisibleAsync();
    }
}
