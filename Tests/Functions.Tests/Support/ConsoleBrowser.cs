using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Support;

internal static class ConsoleBrowser
{
    /// <summary>Opens <paramref name="path"/> in a fresh browser context and signs in on the development sign-in page with <paramref name="role"/>.</summary>
    public static async Task<IPage> SignInAsync(this BrowserFixture browser, TestApp app, string locale, string role, string path)
    {
        var page = await browser.NewPageAsync(locale, 1280, 900);
        await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("Development only");
        await page.GetByLabel(role).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン / Sign in" }).ClickAsync();
        return page;
    }

    /// <summary>The Japanese text for <c>ja-JP</c>, the English one otherwise.</summary>
    public static string T(string locale, string japanese, string english) => locale == "ja-JP" ? japanese : english;

    /// <summary>The console's menu.</summary>
    public static ILocator Menu(IPage page, string locale) => page.GetByRole(AriaRole.Navigation, new() { Name = T(locale, "管理メニュー", "Console") });

    public static ILocator RowWith(IPage page, string text) => page.GetByRole(AriaRole.Row).Filter(new() { HasText = text });
}
