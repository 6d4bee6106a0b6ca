using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>The alumni-facing pages in a real Chromium, in both languages, on a phone-sized screen.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JoinJourneyBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private Task<IPage> PhoneAsync(string locale) => browser.NewPageAsync(locale, 390, 844);

    [Fact]
    public async Task WelcomeEmailLink_LeadsToJoiningInJapanese()
    {
        await WelcomeQueue.EmptyAsync(azurite);
        await using var app = await TestApp.StartAsync(azurite, WelcomeQueue.LocalRunSettings());
        await app.DepartAsync(locale: "ja-JP", lastWorkingDay: "2026-11-01");
        await Eventually.TrueAsync(async () => (await app.OutboxAsync()).Count > 0, "the welcome email reached the sink");
        var page = await PhoneAsync("ja-JP");

        await page.GotoAsync(new Uri(app.BaseAddress, "dev/outbox").ToString());
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("アルムナイネットワークへのご招待") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "ネットワークに参加する" }).ClickAsync();

        Assert.Equal("ja-JP", await page.Locator("html").GetAttributeAsync("lang"));
        await page.GetByLabel("アルムナイネットワークに参加することに同意します").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "参加する" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ご参加ありがとうございます" })).ToBeVisibleAsync();
        Assert.Equal("Joined", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("Status"));
    }

    [Fact]
    public async Task EnglishJoin_WorksWithTheKeyboardAlone()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var id = await app.DepartAsync(locale: "en-US", givenName: "Hanako", familyName: "Yamada");
        var page = await PhoneAsync("en-US");

        await page.GotoAsync(new Uri(app.BaseAddress, app.JoinPath(id)).ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join the alumni network" })).ToBeVisibleAsync();
        await page.GetByLabel("I agree to join the alumni network").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to the network" })).ToBeVisibleAsync();
        await page.GoBackAsync();
        await page.ReloadAsync();
        Assert.Single(await app.RowsAsync(AlumniTables.Consents));
    }

    [Theory]
    [InlineData("ja-JP", "アルムナイネットワークに参加することに同意します", "参加する", "登録していません", "ご参加ありがとうございます")]
    [InlineData("en-US", "I agree to join the alumni network", "Join", "You have not been registered", "Welcome to the network")]
    public async Task JoinWithoutTickingMembership_IsRefusedInTheAlumnusLanguageThenWorksOnceTicked(
        string locale, string membershipLabel, string joinButton, string refusal, string welcome)
    {
        await using var app = await TestApp.StartAsync(azurite);
        var id = await app.DepartAsync(locale: locale);
        var page = await PhoneAsync(locale);

        await page.GotoAsync(new Uri(app.BaseAddress, app.JoinPath(id)).ToString());
        Assert.False(await page.GetByLabel(membershipLabel).IsCheckedAsync());
        Assert.Equal(0, await page.Locator("input[type=checkbox]:checked").CountAsync());
        await page.GetByRole(AriaRole.Checkbox).Nth(2).CheckAsync();
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = joinButton, Exact = true }).ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(400, refused.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(refusal);
        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
        Assert.Equal(1, await page.Locator("input[type=checkbox]:checked").CountAsync());

        await page.GetByLabel(membershipLabel).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = joinButton, Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = welcome })).ToBeVisibleAsync();
        Assert.Equal(2, (await app.RowsAsync(AlumniTables.Consents)).Count);
    }

    [Theory]
    [InlineData("ja-JP", "このリンクは有効期限が切れています")]
    [InlineData("en-US", "This link has expired")]
    public async Task ExpiredLink_ShowsAClearPageInTheAlumnusLanguage(string locale, string heading)
    {
        await using var app = await TestApp.StartAsync(azurite);
        var id = await app.DepartAsync(locale: locale);
        var page = await PhoneAsync(locale);

        var response = await page.GotoAsync(new Uri(app.BaseAddress, app.JoinPath(id, issuedAt: TimeProvider.System.GetUtcNow().AddDays(-40))).ToString());

        Assert.Equal(410, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TamperedLink_ShowsBothLanguages()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var page = await PhoneAsync("en-US");

        var response = await page.GotoAsync(new Uri(app.BaseAddress, "api/alumni/join?token=k1.forged.link").ToString());

        Assert.Equal(400, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "このリンクは無効です" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link is not valid" })).ToBeVisibleAsync();
    }
}
