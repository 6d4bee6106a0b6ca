using Azure.Storage.Queues;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Newsletters;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;
using static AlumniNetwork.Functions.Tests.Support.ConsoleBrowser;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>
/// The events, campaigns and newsletter pages of the console in a real Chromium, in Japanese and English: an admin
/// creates and publishes an event, follows its invitations, re-drives a dead letter from the keyboard and previews the
/// newsletter.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleCampaignBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;
    private QueueClient queue = null!;

    public async Task InitializeAsync()
    {
        queue = await WelcomeQueue.EmptyAsync(azurite);
        app = await TestApp.StartAsync(azurite);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_CreatesAndPublishesAnEvent_AndSeesItsInvitationsGoOut(string locale)
    {
        await app.SeedMembersAsync(6, [ConsentPurpose.Events]);
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");
        var start = TimeProvider.System.GetUtcNow().AddDays(30);

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "イベント", "Events") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "イベントを作る", "Create an event") }).ClickAsync();
        await page.GetByLabel(T(locale, "タイトル (日本語)", "Title (Japanese)")).FillAsync("秋のアルムナイ講演会");
        await page.GetByLabel(T(locale, "タイトル (英語)", "Title (English)")).FillAsync("Autumn alumni lecture");
        await page.GetByLabel(T(locale, "種類", "Kind"), new() { Exact = true }).SelectOptionAsync("Seminar");
        await page.GetByLabel(T(locale, "開始", "Starts"), new() { Exact = true }).FillAsync(EventSeeds.Local(start));
        await page.GetByLabel(T(locale, "終了", "Ends"), new() { Exact = true }).FillAsync(EventSeeds.Local(start.AddHours(2)));
        await page.GetByLabel(T(locale, "会場", "Venue"), new() { Exact = true }).FillAsync("本社 20F ホール");
        await page.GetByLabel(T(locale, "定員", "Capacity"), new() { Exact = true }).FillAsync("50");
        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "下書きとして保存", "Save as draft") }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "下書きとして保存しました。", "Saved as a draft."));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, "秋のアルムナイ講演会", "Autumn alumni lecture"), Level = 1 })).ToBeVisibleAsync();
        var eventId = page.Url.Split('/', '?')[^2];

        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "公開して招待を送る", "Publish and send the invitations") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(T(locale, "公開しました。", "Published."));

        // The dispatcher and the queue triggers, as the host would run them.
        var campaign = await app.StartAndPlanAsync($"event-{eventId}-invitation", CampaignKind.EventInvitation, eventId);
        await app.SendAllBatchesAsync(campaign);
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "招待メールの配信の詳細", "The invitation campaign in detail") }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"event-{eventId}-invitation" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = T(locale, "送信済み 6", "Sent 6"), Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = T(locale, "状態 完了", "Status Completed"), Exact = true })).ToBeVisibleAsync();
        Assert.Equal(6, (await app.OutboxAsync()).Count);

        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "メールを見る (英語)", "See the mail (English)") }).ClickAsync();
        await Assertions.Expect(page.FrameLocator("iframe.mail-preview").GetByText("Autumn alumni lecture").First).ToBeVisibleAsync();
        Assert.Equal(locale, await page.Locator("html").GetAttributeAsync("lang"));
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_ReDrivesADeadLetter_WithTheKeyboard(string locale)
    {
        var deadLetters = WelcomeQueue.DeadLetters(azurite);
        await deadLetters.DeadLetterAsync("""{"kind":"welcome-invitation","subjectId":"x1"}""");
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "配信", "Campaigns") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "配信できなかったメッセージと失敗した処理", "Dead letters and failed work") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, $"{WelcomeQueue.Name}: 1 件", $"{WelcomeQueue.Name}: 1 dead-lettered") })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, $"{WelcomeQueue.Name} をキューに戻す", $"Re-drive {WelcomeQueue.Name}") }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale,
            $"{WelcomeQueue.Name} の 1 件をキューに戻しました (残り 0 件)。", $"1 messages of {WelcomeQueue.Name} went back onto their queue (0 left)."));
        Assert.Equal(1, await queue.ApproximateCountAsync());
        Assert.Equal(0, await deadLetters.ApproximateCountAsync());
    }

    [Theory]
    [InlineData("ja-JP", "新年交流会のお知らせ", "見本 花子 様")]
    [InlineData("en-US", "New Year meetup", "Dear Hanako Sample,")]
    public async Task Admin_PreviewsTheNewsletter_InASandbox(string locale, string newsTitle, string greeting)
    {
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item);
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "ニュースレター", "Newsletter") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = T(locale, "新年交流会のお知らせ", "New Year meetup") })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "今送られる号のプレビューとテスト送信", "Preview and test-send the issue as it would go out now") }).ClickAsync();

        var frame = page.FrameLocator("iframe.mail-preview");
        await Assertions.Expect(frame.GetByRole(AriaRole.Heading, new() { Name = newsTitle })).ToBeVisibleAsync();
        await Assertions.Expect(frame.GetByText(greeting)).ToBeVisibleAsync();
        Assert.Equal("", await page.Locator("iframe.mail-preview").GetAttributeAsync("sandbox"));

        await page.GetByLabel(T(locale, "送信先のメールアドレス", "Send to (email address)")).FillAsync("editor@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "テスト送信", "Send a test") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "テストメールを送りました。", "The test mail is sent."));
        Assert.StartsWith("[TEST] ", Assert.Single(await app.OutboxAsync()).Subject, StringComparison.Ordinal);
    }
}
