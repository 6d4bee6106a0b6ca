using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>The RSVP page in a real Chromium on a phone, in Japanese and English, by label and by keyboard.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RsvpPageBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<IPage> PhoneAsync(string locale, string path) => browser.OpenOnPhoneAsync(app, locale, path);

    private async Task<string?> StatusAsync(string eventId) =>
        (await app.RowsAsync(AlumniTables.Events)).SingleOrDefault(r => r.PartitionKey == eventId && r.RowKey.StartsWith("rsvp-", StringComparison.Ordinal))?.GetString("Status");

    [Fact]
    public async Task Japanese_AttendFromTheInvitationLink_ThenSeeTheOnlineLink()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync("ja-JP");
        var page = await PhoneAsync("ja-JP", app.RsvpPath(eventId, person) + "&choice=attend");

        Assert.Equal("ja-JP", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "アルムナイ講演会" })).ToBeVisibleAsync();
        Assert.True(await page.GetByLabel("参加する").IsCheckedAsync());
        Assert.Equal(0, await page.GetByText("meet.example.com").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "回答を送信する" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("参加登録を受け付けました");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "https://meet.example.com/alumni-lecture" })).ToBeVisibleAsync();
        Assert.Equal("Attending", await StatusAsync(eventId));
    }

    [Fact]
    public async Task English_DeclineWithTheKeyboardAlone()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync("en-US");
        await app.RsvpAsync(eventId, person, "attend");
        var page = await PhoneAsync("en-US", app.RsvpPath(eventId, person) + "&choice=decline");

        await Assertions.Expect(page.GetByText("Your answer: Attending")).ToBeVisibleAsync();
        Assert.True(await page.GetByLabel("I cannot attend").IsCheckedAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("We have noted that you cannot attend");
        Assert.Equal(0, await page.GetByText("meet.example.com").CountAsync());
        Assert.Equal("Declined", await StatusAsync(eventId));
    }

    [Fact]
    public async Task FullEvent_ShowsThePlaceInLine()
    {
        var eventId = await app.PublishedEventAsync(capacity: 1);
        await app.RsvpAsync(eventId, await app.PersonAsync(), "attend");
        var person = await app.PersonAsync("en-US");
        var page = await PhoneAsync("en-US", app.RsvpPath(eventId, person));

        await page.GetByLabel("I will attend").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("you are on the waitlist");
        await Assertions.Expect(page.GetByText("On the waitlist (number 1 in line)")).ToBeVisibleAsync();
    }
}
