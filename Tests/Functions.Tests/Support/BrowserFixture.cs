using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Debian's Chromium driven by Playwright, launched by executable path (no browser download).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: scripts/test.sh installs Debian's 'chromium' package.");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A page in a fresh context (its own cookies) with the given language and screen size.</summary>
    public async Task<IPage> NewPageAsync(string locale, int width, int height)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            AcceptDownloads = true,
        });
        return await context.NewPageAsync();
    }

    /// <summary>A desktop page signed in to the console with <paramref name="role"/> on the development sign-in page, at <paramref name="path"/>.</summary>
    public async Task<IPage> ConsolePageAsync(Uri app, string locale, string role, string path)
    {
        var page = await NewPageAsync(locale, 1280, 900);
        await page.GotoAsync(new Uri(app, path).ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("Development only");
        await page.GetByLabel(role).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "サインイン / Sign in" }).ClickAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}
