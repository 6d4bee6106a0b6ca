using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>The HR admin console in a real Chromium, in Japanese and English, on a desktop screen.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<IPage> SignInAsync(string locale, string role, string path) => browser.SignInAsync(app, locale, role, path);

    [Theory]
    [InlineData("ja-JP", "氏名またはメール", "検索", "連絡停止 (メールを一切送らない)", "停止する", "フラグを保存", "フラグを保存しました。", "監査ログ", "ダッシュボード", "状態別のアルムナイ数", "人事のみ")]
    [InlineData("en-US", "Name or email", "Search", "Do not contact (no email of any kind)", "Yes", "Save flags", "The flags are saved.", "Audit log", "Dashboard", "Alumni by status", "HR only")]
    public async Task Admin_FindsAnAlumnus_SetsAFlag_SeesTheAuditEntry_AndOpensTheDashboard(
        string locale, string searchLabel, string search, string doNotContact, string yes, string save, string saved, string audit, string dashboard, string byStatus, string hrOnly)
    {
        var id = await app.SeedAsync("E4001", "hanako.yamada@example.net", "花子", "山田");
        await app.SeedAsync("E4002", "taro.sato@example.net", "太郎", "佐藤");
        await app.RollUpInsightsAsync();

        var page = await SignInAsync(locale, AdminRoles.Admin, "api/console/alumni");
        await page.GetByLabel(searchLabel).FillAsync("山田");
        await page.GetByRole(AriaRole.Button, new() { Name = search, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "佐藤 太郎" })).ToHaveCountAsync(0);

        // The text was posted (ADR 0005): neither the address nor any link or form target of the results carries it.
        Assert.Equal(new Uri(app.BaseAddress, "api/console/alumni").ToString(), page.Url);
        var addresses = await page.Locator("a[href], form[action]").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href') ?? e.getAttribute('action'))");
        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.DoesNotContain("q=", a, StringComparison.Ordinal));
        Assert.All(addresses, a => Assert.DoesNotContain("山田", Uri.UnescapeDataString(Uri.UnescapeDataString(a)), StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Link, new() { Name = "山田 花子" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "山田 花子" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(hrOnly, new() { Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = doNotContact }).GetByLabel(yes, new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = save }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(saved);
        Assert.True((await app.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!.DoNotContact);

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = audit }).ClickAsync();
        var change = page.GetByRole(AriaRole.Row).Filter(new() { HasText = AdminAuditActions.AlumnusFlagsChanged });
        await Assertions.Expect(change).ToContainTextAsync(id.Value);
        await Assertions.Expect(change).ToContainTextAsync("local-admin");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = dashboard }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = byStatus })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = byStatus })).ToBeVisibleAsync();
        Assert.Equal(locale, await page.Locator("html").GetAttributeAsync("lang"));
    }

    [Fact]
    public async Task Viewer_SeesOnlyTheDashboard_AndIsRefusedAPersonsPage()
    {
        var id = await app.SeedAsync("E4003", "viewer@example.net", "花子", "山田");
        await app.RollUpInsightsAsync();

        var page = await SignInAsync("en-US", AdminRoles.Viewer, "api/console/home");
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Console" });

        await Assertions.Expect(menu.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Dashboard", "Survey results"]);
        var refused = await page.GotoAsync(new Uri(app.BaseAddress, $"api/console/alumni/{id.Value}").ToString());
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your role does not include this page" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("viewer@example.net")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Console_WorksWithTheKeyboard_AndSwitchesLanguage()
    {
        var page = await SignInAsync("ja-JP", AdminRoles.Admin, "api/console/home");

        var skip = page.GetByRole(AriaRole.Link, new() { Name = "本文へ移動" });
        Assert.Equal("本文へ移動", await page.Locator("a[href], button, input, select").First.TextContentAsync());
        await skip.FocusAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#main$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alumni console" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "開発用サインイン / Development sign-in" })).ToBeVisibleAsync();
    }
}
