using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>
/// Collaboration cards from both sides and the compliance approval queue in a real Chromium, in Japanese and English: an
/// alumnus changes a listed card from the directory, it leaves the directory until an admin approves it in the console,
/// then members find it; an admin rejects a card with a reason the alumnus reads (audited without it); a card's page lists
/// the requests its alumnus received; a compliance decision on requests to a flagged alumnus delivers one and stops the other.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleCollaborationBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static string T(string locale, string japanese, string english) => locale == "ja-JP" ? japanese : english;

    private static ILocator Menu(IPage page, string locale) => page.GetByRole(AriaRole.Navigation, new() { Name = T(locale, "管理メニュー", "Console") });

    private static ILocator RowWith(IPage page, string text) => page.GetByRole(AriaRole.Row).Filter(new() { HasText = text });

    /// <summary>The row of <paramref name="field"/> in the table of the card on its console page.</summary>
    private static ILocator CardRow(IPage page, string locale, string field) =>
        page.GetByRole(AriaRole.Table, new() { Name = T(locale, "協業カード", "Collaboration card"), Exact = true }).GetByRole(AriaRole.Row).Filter(new() { HasText = field });

    /// <summary>The seeded collaborator's name as the console writes it (family name first, whatever the language).</summary>
    private static string ConsoleName(string locale) => T(locale, "山田 花子", "Yamada Hanako");

    private async Task<string?> CardStatusAsync(AlumnusId id) =>
        (await app.RowsAsync(AlumniTables.CollaborationCards)).Single(r => r.RowKey == id.Value).GetString("Status");

    private static async Task OpenAuditLogAsync(IPage page, string locale)
    {
        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "監査ログ", "Audit log"), Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, "監査ログ", "Audit log"), Level = 1 })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Alumnus_ChangesTheirListedCardFromTheDirectory_ItLeavesTheDirectory_AndReturnsOnceAnAdminApprovesIt(string locale)
    {
        var offer = T(locale, "<b>決済</b> と API 連携の支援", "<b>Payments</b> and API integration");
        var member = await app.CollaboratorAsync(locale);
        var phone = await browser.OpenOnPhoneAsync(app, locale, app.PathFor(LinkPurpose.CollaborationDirectory, member));
        var cards = phone.GetByRole(AriaRole.Article);

        Assert.Equal(locale, await phone.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(cards).ToHaveCountAsync(1);
        await Assertions.Expect(cards).ToContainTextAsync("決済システムの導入支援 / Payments integration");
        await phone.GetByRole(AriaRole.Link, new() { Name = T(locale, "自分の協業カードを作成・編集する", "Write or change your own card") }).ClickAsync();
        await Assertions.Expect(phone.GetByText(T(locale, "状態: 掲載中", "Status: listed"))).ToBeVisibleAsync();
        await phone.GetByLabel(T(locale, "提供できること", "What you offer")).FillAsync(offer);
        await phone.GetByRole(AriaRole.Button, new() { Name = T(locale, "保存する", "Save"), Exact = true }).ClickAsync();

        await Assertions.Expect(phone.GetByRole(AriaRole.Status)).ToContainTextAsync(T(locale, "アルムナイ担当の確認後に掲載されます", "The alumni team will review the card"));
        Assert.Equal("PendingReview", await CardStatusAsync(member));
        await phone.GetByRole(AriaRole.Link, new() { Name = T(locale, "協業ディレクトリ", "Collaboration directory"), Exact = true }).ClickAsync();
        await Assertions.Expect(phone.GetByText(T(locale, "条件に合う協業カードはありません。", "No collaboration card matches."))).ToBeVisibleAsync();
        await Assertions.Expect(cards).ToHaveCountAsync(0);

        var console = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");
        await Menu(console, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "協業", "Collaboration"), Exact = true }).ClickAsync();
        await console.GetByLabel(T(locale, "状態", "Status")).SelectOptionAsync(new SelectOptionValue { Label = T(locale, "確認待ち", "Awaiting review") });
        await console.GetByRole(AriaRole.Button, new() { Name = T(locale, "検索", "Search"), Exact = true }).ClickAsync();
        var queued = RowWith(console, ConsoleName(locale));
        await Assertions.Expect(queued).ToHaveCountAsync(1);
        await Assertions.Expect(queued).ToContainTextAsync(offer);
        await queued.GetByRole(AriaRole.Link, new() { Name = ConsoleName(locale), Exact = true }).ClickAsync();
        await Assertions.Expect(console.GetByRole(AriaRole.Heading, new() { Name = ConsoleName(locale), Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(CardRow(console, locale, T(locale, "提供できること", "What you offer"))).ToContainTextAsync(offer);
        await console.GetByRole(AriaRole.Button, new() { Name = T(locale, "掲載する", "Approve and list"), Exact = true }).ClickAsync();

        await Assertions.Expect(console.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "確認結果を保存しました。", "The review is saved."));
        await Assertions.Expect(CardRow(console, locale, T(locale, "状態", "Status"))).ToContainTextAsync(T(locale, "掲載中", "Listed"));
        await Assertions.Expect(console.GetByRole(AriaRole.Button, new() { Name = T(locale, "掲載する", "Approve and list"), Exact = true })).ToHaveCountAsync(0);
        Assert.Equal("Listed", await CardStatusAsync(member));

        await phone.ReloadAsync();
        await Assertions.Expect(cards).ToHaveCountAsync(1);
        await Assertions.Expect(cards).ToContainTextAsync(offer);
        await phone.GetByLabel(T(locale, "提供できること・事業", "What they offer")).FillAsync("ＡＰＩ");
        await phone.GetByRole(AriaRole.Button, new() { Name = T(locale, "検索", "Search"), Exact = true }).ClickAsync();
        await Assertions.Expect(cards).ToHaveCountAsync(1);
        await Assertions.Expect(cards.GetByRole(AriaRole.Heading)).ToHaveTextAsync(T(locale, "山田 花子 — 山田商事株式会社", "Hanako Yamada — 山田商事株式会社"));
        // The offer is the alumnus's own text: shown as typed, never as markup.
        await Assertions.Expect(cards.Locator("b")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_RejectsACardInReview_WithAReasonTheAlumnusReads_AndTheAuditLogKeepsOnlyItsLength(string locale)
    {
        var reason = T(locale, "電話番号 <090-1234-5678> は掲載できません", "Phone numbers <090-1234-5678> cannot be listed");
        var member = await app.CollaboratorAsync(locale, listed: false);
        var console = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/collaboration?status=PendingReview");

        await RowWith(console, ConsoleName(locale)).GetByRole(AriaRole.Link, new() { Name = ConsoleName(locale), Exact = true }).ClickAsync();
        await Assertions.Expect(console.GetByRole(AriaRole.Heading, new() { Name = T(locale, "掲載前の確認", "Review before listing") })).ToBeVisibleAsync();
        await console.GetByLabel(T(locale, "掲載しない理由（本人に表示されます）", "Reason if not listed (shown to the alumnus)")).FillAsync(reason);
        await console.GetByRole(AriaRole.Button, new() { Name = T(locale, "掲載しない", "Reject"), Exact = true }).ClickAsync();

        await Assertions.Expect(console.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "確認結果を保存しました。", "The review is saved."));
        await Assertions.Expect(CardRow(console, locale, T(locale, "状態", "Status"))).ToContainTextAsync($"{T(locale, "掲載せず", "Rejected")}: {reason}");
        await Assertions.Expect(console.GetByRole(AriaRole.Heading, new() { Name = T(locale, "掲載前の確認", "Review before listing") })).ToHaveCountAsync(0);
        Assert.Equal("Rejected", await CardStatusAsync(member));

        await OpenAuditLogAsync(console, locale);
        var rejected = RowWith(console, CollaborationAuditActions.CardRejected);
        await Assertions.Expect(rejected).ToHaveCountAsync(1);
        await Assertions.Expect(rejected).ToContainTextAsync(member.Value);
        await Assertions.Expect(rejected).ToContainTextAsync($"rejected; reason-chars={reason.Length}");
        await Assertions.Expect(console.GetByText("090-1234-5678")).ToHaveCountAsync(0);

        var phone = await browser.OpenOnPhoneAsync(app, locale, app.PathFor(LinkPurpose.CollaborationCard, member));
        await Assertions.Expect(phone.GetByText(T(locale, "状態: 掲載できませんでした", "Status: not listed"))).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByText(reason, new() { Exact = true })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Admin_OpensAListedCard_AndSeesTheRequestsItsAlumnusReceived_NewestFirst(string locale)
    {
        var member = await app.CollaboratorAsync(locale);
        var answered = await app.RequestIdAsync(member);
        await app.RunCollaborationWorkAsync();
        (await app.AnswerAsync(member, answered, "accept")).EnsureSuccessStatusCode();
        // The console has no form to ask: requests come through the JSON API (RequestCollaboration), as here.
        await app.RequestIdAsync(member, body: CollaborationSeeds.RequestBody(member, name: "田中 <次郎>", department: "新規事業部"));
        var console = await browser.SignInAsync(app, locale, AdminRoles.Admin, $"api/console/collaboration/{member.Value}");

        var requests = console.GetByRole(AriaRole.Table, new() { Name = T(locale, "受け取った協業のご依頼（新しい順）", "Collaboration requests received (newest first)") });
        var rows = requests.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("田中 <次郎> (新規事業部)");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Pending");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("佐藤 一郎 (法人営業部)");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("Accepted");
        await Assertions.Expect(CardRow(console, locale, T(locale, "状態", "Status"))).ToContainTextAsync(T(locale, "掲載中", "Listed"));
        Assert.Equal(locale, await console.Locator("html").GetAttributeAsync("lang"));
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Compliance_ApprovesOneRequestToAFlaggedAlumnus_AndRejectsAnother_TheQueueEmpties_TheDecisionsAreAuditedAndActedOn(string locale)
    {
        using (var scope = app.Services.CreateScope())
        {
            Assert.IsType<AdminOutcome<RegisterEntry>.Done>(await scope.ServiceProvider.GetRequiredService<ManageConflictRegister>()
                .AddAsync(new RegisterForm("山田商事株式会社", "AuditClient", "", ""), "test-admin", null, CancellationToken.None));
        }

        var member = await app.CollaboratorAsync(locale);
        var approved = await app.RequestIdAsync(member, expected: HttpStatusCode.Accepted);
        var rejected = await app.RequestIdAsync(member, expected: HttpStatusCode.Accepted,
            body: CollaborationSeeds.RequestBody(member, name: "田中 次郎", reason: "<b>至急</b> 新規事業のご相談"));
        var (approveReason, rejectReason) = (T(locale, "監査業務と無関係と確認済み", "Checked: unrelated to the audit"), T(locale, "監査先との関係が近すぎる", "Too close to the audit client"));
        var page = await browser.SignInAsync(app, locale, AdminRoles.Admin, "api/console/home");

        await Menu(page, locale).GetByRole(AriaRole.Link, new() { Name = T(locale, "利益相反", "Conflicts of interest"), Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T(locale, "承認待ち", "Approval queue"), Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = T(locale, "承認待ち", "Approval queue"), Level = 1 })).ToBeVisibleAsync();
        ILocator Item(string requestId) => page.Locator("section").Filter(new() { HasText = $"collaboration:{requestId}" });
        await Assertions.Expect(Item(approved)).ToContainTextAsync("佐藤 一郎 / 法人営業部: 決済分野での共同提案をご相談したく、ご連絡しました。");
        await Assertions.Expect(Item(approved)).ToContainTextAsync(member.Value);
        await Assertions.Expect(Item(rejected)).ToContainTextAsync("田中 次郎 / 法人営業部: <b>至急</b> 新規事業のご相談");
        await Assertions.Expect(Item(rejected).Locator("p b")).ToHaveCountAsync(0);

        var reasonLabel = T(locale, "理由（判断とともに保存。監査ログには文字数のみ）", "Reason (kept with the decision; only its length goes to the audit log)");
        await Item(approved).GetByLabel(reasonLabel).FillAsync(approveReason);
        await Item(approved).GetByRole(AriaRole.Button, new() { Name = T(locale, "承認する", "Approve"), Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "判断を記録しました。", "The decision is recorded."));
        await Assertions.Expect(Item(approved)).ToHaveCountAsync(0);
        await Item(rejected).GetByLabel(reasonLabel).FillAsync(rejectReason);
        await Item(rejected).GetByRole(AriaRole.Button, new() { Name = T(locale, "承認しない", "Reject"), Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "判断を記録しました。", "The decision is recorded."));
        await Assertions.Expect(page.GetByText(T(locale, "承認待ちはありません。", "Nothing is waiting for approval."))).ToBeVisibleAsync();

        var store = app.Services.GetRequiredService<IApprovalStore>();
        var (yes, no) = (await store.GetAsync(member, $"collaboration:{approved}", CancellationToken.None), await store.GetAsync(member, $"collaboration:{rejected}", CancellationToken.None));
        Assert.Equal((ApprovalStatus.Approved, approveReason), (yes?.Status, yes?.Reason));
        Assert.Equal((ApprovalStatus.Rejected, rejectReason), (no?.Status, no?.Reason));

        await OpenAuditLogAsync(page, locale);
        var decisions = RowWith(page, ManageApprovals.DecidedAction);
        await Assertions.Expect(decisions).ToHaveCountAsync(2);
        await Assertions.Expect(decisions.Filter(new() { HasText = $"collaboration:{approved}: Approved; reason-chars={approveReason.Length}" })).ToHaveCountAsync(1);
        await Assertions.Expect(decisions.Filter(new() { HasText = $"collaboration:{rejected}: Rejected; reason-chars={rejectReason.Length}" })).ToHaveCountAsync(1);
        await Assertions.Expect(decisions.Filter(new() { HasText = "local-admin" })).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByText(approveReason)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText(rejectReason)).ToHaveCountAsync(0);

        // Each decision sets off the delivery it waited for: the approved request goes out, the rejected one never does.
        await app.WaitForDueWorkAsync(WorkKinds.CollaborationRequest);
        await app.RunCollaborationWorkAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, $"api/console/collaboration/{member.Value}").ToString());
        await Assertions.Expect(RowWith(page, "佐藤 一郎")).ToContainTextAsync("Sent");
        await Assertions.Expect(RowWith(page, "田中 次郎")).ToContainTextAsync("NotDelivered: approval-rejected");
    }
}
