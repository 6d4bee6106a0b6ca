using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>The development outbox renders each captured mail's HTML, sandboxed, as its recipient would see it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboxBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>A 1×1 PNG, as a mail's inline image.</summary>
    private const string Pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    [Fact]
    public async Task CapturedHtml_IsRenderedInASandbox_WithItsImagesAndNewTabLinks_WithoutRunningItsScripts()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var mail = new JsonObject
        {
            ["personalizations"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonArray(new JsonObject { ["email"] = "to@example.net" }),
                ["substitutions"] = new JsonObject { ["{{name}}"] = "花子" },
            }),
            ["from"] = new JsonObject { ["email"] = "from@example.com" },
            ["subject"] = "Rendered",
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "text/plain", ["value"] = "text" },
                new JsonObject
                {
                    ["type"] = "text/html",
                    ["value"] = "<!DOCTYPE html><h1>こんにちは {{name}} さん</h1><script>document.title = 'ran';</script>"
                        + $"""<img alt="logo" src="{Pixel}"><p><a href="{new Uri(app.BaseAddress, "api/alumni/join?token=t")}">参加する / Join</a></p>""",
                }),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "dev/sendgrid/v3/mail/send") { Content = JsonContent.Create(mail) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "key");
        (await app.Client.SendAsync(request)).EnsureSuccessStatusCode();
        var page = await (await browser.Browser.NewContextAsync()).NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, "dev/outbox").ToString());

        var frame = page.FrameLocator("iframe[title='Rendered']");
        await Assertions.Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "こんにちは 花子 さん" })).ToBeVisibleAsync();
        // Scripts, forms and same-origin access stay off; only a link's new tab may open, itself outside the sandbox.
        Assert.Equal("allow-popups allow-popups-to-escape-sandbox", await page.Locator("iframe[title='Rendered']").GetAttributeAsync("sandbox"));
        Assert.Equal("Outbox (development)", await page.TitleAsync());
        await Assertions.Expect(frame.GetByRole(AriaRole.Img, new() { Name = "logo" })).ToHaveJSPropertyAsync("naturalWidth", 1);

        // The mail's join link opens the join page in a new tab, as a mail client would open it.
        var joinPage = await page.Context.RunAndWaitForPageAsync(() => frame.GetByRole(AriaRole.Link, new() { Name = "参加する / Join" }).ClickAsync());
        await joinPage.WaitForLoadStateAsync();
        Assert.Equal("/api/alumni/join?token=t", new Uri(joinPage.Url).PathAndQuery);
        await joinPage.CloseAsync();

        // Opened on its own through the subject's link, it shows, and its script does not run there either.
        await page.GetByRole(AriaRole.Link, new() { Name = "Rendered" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "こんにちは 花子 さん" })).ToBeVisibleAsync();
        Assert.NotEqual("ran", await page.TitleAsync());
    }
}
