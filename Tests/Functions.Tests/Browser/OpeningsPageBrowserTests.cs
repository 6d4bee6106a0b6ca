using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>The open positions page in a real Chromium on a phone, in Japanese and English, by label and by keyboard.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpeningsPageBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<IPage> PhoneAsync(string locale, string path) => browser.OpenOnPhoneAsync(app, locale, path);

    private async Task<string?> InterestAsync(string openingId) =>
        (await app.RowsAsync(AlumniTables.Openings)).SingleOrDefault(r => r.PartitionKey == openingId && r.RowKey.StartsWith("interest-", StringComparison.Ordinal))?.GetString("Status");

    [Fact]
    public async Task Japanese_ExpressInterestWithANote_ThenSeeItRecorded()
    {
        var member = await app.CandidateAsync("hanako");
        var openingId = await app.CreateOpeningAsync();
        var page = await PhoneAsync("ja-JP", app.OpeningsPath(member));

        Assert.Equal("ja-JP", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "リスク管理プロジェクト <b>" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("短期プロジェクト")).ToBeVisibleAsync();
        await page.GetByLabel("採用チームへのひとこと（任意）").FillAsync("週3日なら参加できます。");
        await page.GetByRole(AriaRole.Button, new() { Name = "関心があることを伝える" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("関心をお伝えしました");
        await Assertions.Expect(page.GetByText("関心をお伝え済みです")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "関心を取り下げる" })).ToBeVisibleAsync();
        Assert.Equal("Interested", await InterestAsync(openingId));
    }

    [Fact]
    public async Task English_WithdrawWithTheKeyboardAlone()
    {
        var member = await app.CandidateAsync("taro", locale: "en-US");
        var openingId = await app.CreateOpeningAsync();
        await app.InterestAsync(member, openingId, note: "Happy to help");
        var page = await PhoneAsync("en-US", app.OpeningsPath(member));

        Assert.Equal("en-US", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Risk project <b>" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("You have expressed interest")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw my interest" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your interest is withdrawn");
        await Assertions.Expect(page.GetByLabel("A short note to the recruiting team (optional)")).ToBeVisibleAsync();
        Assert.Equal("Withdrawn", await InterestAsync(openingId));
    }

    [Fact]
    public async Task English_NavigationReachesThePageFromTheProfile()
    {
        var member = await app.CandidateAsync("jiro", locale: "en-US");
        await app.CreateOpeningAsync();
        var page = await PhoneAsync("en-US", app.PathFor(Core.Links.LinkPurpose.Profile, member));

        await page.GetByRole(AriaRole.Link, new() { Name = "Open positions" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Open positions", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "I am interested" })).ToBeVisibleAsync();
    }
}
