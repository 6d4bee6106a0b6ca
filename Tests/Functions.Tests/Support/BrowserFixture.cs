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

        // A form post that writes to Azurite and renders can pass Playwright's five-second default on a loaded machine.
        Assertions.SetDefaultExpectTimeout(15_000);
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

    /// <summary>A phone-sized page in a fresh context, opened at <paramref name="path"/> of <paramref name="app"/>.</summary>
    public async Task<IPage> OpenOnPhoneAsync(TestApp app, string locale, string path)
    {
        var page = await NewPageAsync(locale, 390, 844);
        await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}
