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
}
