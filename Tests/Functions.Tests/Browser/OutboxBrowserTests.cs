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
    [Fact]
    public async Task CapturedHtml_IsRenderedInASandboxWithoutRunningItsScripts()
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
                new JsonObject { ["type"] = "text/html", ["value"] = "<h1>こんにちは {{name}} さん</h1><script>document.title = 'ran';</script>" }),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "dev/sendgrid/v3/mail/send") { Content = JsonContent.Create(mail) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "key");
        (await app.Client.SendAsync(request)).EnsureSuccessStatusCode();
        var page = await (await browser.Browser.NewContextAsync()).NewPageAsync();

        await page.GotoAsync(new Uri(app.BaseAddress, "dev/outbox").ToString());

        var frame = page.FrameLocator("iframe[title='Rendered']");
        await Assertions.Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "こんにちは 花子 さん" })).ToBeVisibleAsync();
        Assert.Equal("", await page.Locator("iframe[title='Rendered']").GetAttributeAsync("sandbox"));
        Assert.Equal("Outbox (development)", await page.TitleAsync());

        // Opened on its own through the subject's link, it shows, and its script does not run there either.
        await page.GetByRole(AriaRole.Link, new() { Name = "Rendered" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "こんにちは 花子 さん" })).ToBeVisibleAsync();
        Assert.NotEqual("ran", await page.TitleAsync());
    }
}
