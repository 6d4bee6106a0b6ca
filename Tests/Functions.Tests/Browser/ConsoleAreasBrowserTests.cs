using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;
using static AlumniNetwork.Functions.Tests.Support.ConsoleBrowser;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>
/// The openings, conflict-register, news-item and attendance pages of the console in a real Chromium, in Japanese and
/// English: a recruiter creates an opening, the compliance register gains an organisation (and the audit log says so),
/// a news item is created, edited and deleted, and an attendee is marked as having come before the check-in CSV is fetched.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleAreasBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Recruiter_CreatesAnOpeningThroughTheForm_SeesItListed_AndOpensIt(string locale)
    {
        var title = T(locale, "市場リスク <案件>", "Market risk <project>");
        var page = await browser.SignInAsync(app, locale, AdminRoles.Recruiter, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "募集", "Openings"), Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "新しい募集を作成", "Create an opening") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, "新しい募集", "New opening"), Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel(T(locale, "タイトル (日本語)", "Title (Japanese)")).FillAsync("市場リスク <案件>");
        await page.GetByLabel(T(locale, "タイトル (英語)", "Title (English)")).FillAsync("Market risk <project>");
        await page.GetByLabel(T(locale, "説明 (日本語)", "Description (Japanese)")).FillAsync("市場リスク管理の経験者を募集します。");
        await page.GetByLabel(T(locale, "説明 (英語)", "Description (English)")).FillAsync("We look for market risk experience.");
        await page.GetByLabel(T(locale, "種別", "Kind"), new() { Exact = true }).SelectOptionAsync("MidCareer");
        await page.GetByLabel(T(locale, "部署", "Department"), new() { Exact = true }).FillAsync("Retail Banking");
        await page.GetByLabel(T(locale, "勤務地", "Location"), new() { Exact = true }).FillAsync("Tokyo");
        await page.GetByLabel(T(locale, "求めるスキル", "Skills wanted")).FillAsync("Python\nリスク管理");
        await page.GetByLabel(T(locale, "開始日", "Start"), new() { Exact = true }).FillAsync(OpeningSeeds.Day(30));
        await page.GetByLabel(T(locale, "採用チームの共有メールアドレス", "Recruiting team mailbox")).FillAsync("careers@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "保存", "Save"), Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "募集を作成しました。", "The opening is created."));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1, Exact = true })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "← 募集の一覧", "← All openings") }).ClickAsync();
        var row = RowWith(page, title);
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "中途採用（正社員）", "Mid-career position (full-time)"));
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "受付中", "Open"));
        await row.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, "寄せられた関心", "Interest received") })).ToBeVisibleAsync();
        Assert.Equal(locale, await page.Locator("html").GetAttributeAsync("lang"));
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_AddsAnOrganisationToTheConflictRegister_SeesItListed_AndAudited(string locale)
    {
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "利益相反", "Conflicts of interest"), Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, "利益相反の登録簿", "Conflict-of-interest register"), Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("caption")).ToHaveTextAsync(T(locale, "登録されている組織 0 件", "0 organisations"));
        await page.GetByLabel(T(locale, "名称", "Name")).FillAsync("株式会社ライバル銀行");
        await page.GetByLabel(T(locale, "区分", "Category")).SelectOptionAsync("Competitor");
        await page.GetByLabel(T(locale, "別名", "Aliases")).FillAsync("Rival Bank\nライバルバンク");
        await page.GetByLabel(T(locale, "クーリングオフ", "Cooling-off")).FillAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "保存", "Save"), Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "追加しました。全員の照合をやり直します。", "Added. Everyone is being checked again."));
        // The whole caption: "1 organisations" contains "1 organisation".
        await Assertions.Expect(page.Locator("caption")).ToHaveTextAsync(T(locale, "登録されている組織 1 件", "1 organisation"));
        var row = RowWith(page, "株式会社ライバル銀行");
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "競合", "Competitor"));
        await Assertions.Expect(row).ToContainTextAsync("Rival Bank / ライバルバンク");
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "90 日", "90 days"));

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "監査ログ", "Audit log"), Exact = true }).ClickAsync();
        var added = RowWith(page, ConflictAuditActions.EntryAdded);
        await Assertions.Expect(added).ToHaveCountAsync(1);
        await Assertions.Expect(added).ToContainTextAsync("local-admin");
        await Assertions.Expect(added).ToContainTextAsync("category=Competitor; aliases=2; coolingOffDays=90");
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_CreatesEditsAndDeletesANewsItem_AndTheListFollowsEachStep(string locale)
    {
        var (first, edited) = (T(locale, "新年交流会のお知らせ", "New Year meetup"), T(locale, "新年交流会のお知らせ (会場変更)", "New Year meetup (new venue)"));
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "ニュースレター", "Newsletter"), Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "お知らせを追加", "Add a news item") }).ClickAsync();
        await page.GetByLabel(T(locale, "タイトル (日本語)", "Title (Japanese)")).FillAsync("新年交流会のお知らせ");
        await page.GetByLabel(T(locale, "タイトル (英語)", "Title (English)")).FillAsync("New Year meetup");
        await page.GetByLabel(T(locale, "本文 (日本語)", "Text (Japanese)")).FillAsync("1月20日に東京で開催します。");
        await page.GetByLabel(T(locale, "本文 (英語)", "Text (English)")).FillAsync("Tokyo, 20 January.");
        await page.GetByLabel(T(locale, "掲載開始", "Publish from"), new() { Exact = true }).FillAsync("2026-11-01T09:00");
        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "保存", "Save"), Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "お知らせを追加しました。", "The news item is added."));
        await Assertions.Expect(RowWith(page, first)).ToContainTextAsync("2026-11-01 09:00");
        await page.GetByRole(AriaRole.Link, new() { Name = first, Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, "お知らせを編集", "Edit the news item"), Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel(T(locale, "タイトル (英語)", "Title (English)"))).ToHaveValueAsync("New Year meetup");
        await page.GetByLabel(T(locale, "タイトル (日本語)", "Title (Japanese)")).FillAsync("新年交流会のお知らせ (会場変更)");
        await page.GetByLabel(T(locale, "タイトル (英語)", "Title (English)")).FillAsync("New Year meetup (new venue)");
        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "保存", "Save"), Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale,
            "お知らせを保存しました。変更は送信中の号のまだ送っていないメールと次に送られる号に載りますが、変更だけでは号は送られません。変更を知らせるには、お知らせを追加してください。",
            "The news item is saved. The edit appears in the mail not yet sent of an issue still going out and in the next issue that goes out, but an edit alone does not make an issue go out: to announce a change, add a news item."));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = first, Exact = true })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = edited, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "このお知らせを削除", "Delete this news item") }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale,
            "お知らせを削除しました。送信中の号でも、まだ送っていないメールからは外れます。", "The news item is deleted; an issue still going out leaves it out of the mail not yet sent."));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = edited, Exact = true })).ToHaveCountAsync(0);
        Assert.Empty(await app.Services.GetRequiredService<INewsItemStore>().ListAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_MarksAnAttendeeAsCame_AndTheCheckInCsvIsText(string locale)
    {
        var eventId = await app.PublishedEventAsync(capacity: 2);
        var (hanako, yamada) = (await app.PersonAsync(), await app.PersonAsync("en-US"));
        await app.RsvpAsync(eventId, hanako, "attend");
        await app.RsvpAsync(eventId, yamada, "attend");
        await app.StartEventAsync(eventId);
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "イベント", "Events"), Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "アルムナイ講演会", "Alumni lecture"), Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "参加者とキャンセル待ちの一覧", "Attendees and the waitlist") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, "参加者: アルムナイ講演会", "Attendees: Alumni lecture"), Level = 1 })).ToBeVisibleAsync();
        var notMarked = T(locale, "未記録", "Not marked");
        await Assertions.Expect(RowWith(page, "山田 花子")).ToContainTextAsync(notMarked);
        await Assertions.Expect(RowWith(page, "Yamada Hanako")).ToContainTextAsync(notMarked);

        await page.GetByRole(AriaRole.Button, new() { Name = T(locale, "来場にする: Yamada Hanako", "Mark as came: Yamada Hanako"), Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "出欠を記録しました。", "Attendance is recorded."));
        // The attendance cell starts with the state, then the two buttons.
        await Assertions.Expect(RowWith(page, "Yamada Hanako").GetByRole(AriaRole.Cell).Last).ToHaveTextAsync(new Regex($"^\\s*{T(locale, "来場", "Came")}\\s"));
        await Assertions.Expect(RowWith(page, "山田 花子")).ToContainTextAsync(notMarked);
        Assert.True((await app.Services.GetRequiredService<IEventStore>().GetRsvpAsync(eventId, yamada, CancellationToken.None))!.Attended);

        var csvLink = page.GetByRole(AriaRole.Link, new() { Name = T(locale, "受付用 CSV", "Check-in CSV"), Exact = true });
        var download = await page.RunAndWaitForDownloadAsync(() => csvLink.ClickAsync());
        Assert.Matches($"^event-{eventId}-checkin-\\d{{8}}\\.csv$", download.SuggestedFilename);
        var sheet = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Contains(",true,", Assert.Single(sheet, l => l.Contains("Yamada,Hanako", StringComparison.Ordinal)), StringComparison.Ordinal);

        // The same link fetched with the page's cookies: the answer is declared as CSV, not a page.
        var answer = await page.APIRequest.GetAsync(new Uri(app.BaseAddress, await csvLink.GetAttributeAsync("href")).ToString());
        Assert.Equal(200, answer.Status);
        Assert.Equal(EventAttendees.ContentType, answer.Headers["content-type"]);
    }
}
