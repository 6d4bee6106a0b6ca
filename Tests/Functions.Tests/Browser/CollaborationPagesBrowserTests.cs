using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>The collaboration card page and a request's answer page in a real Chromium on a phone, in Japanese and English.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CollaborationPagesBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<IPage> PhoneAsync(string locale, string path) => browser.OpenOnPhoneAsync(app, locale, path);

    private async Task<string?> CardStatusAsync(AlumnusId id) =>
        (await app.RowsAsync(AlumniTables.CollaborationCards)).SingleOrDefault(r => r.RowKey == id.Value)?.GetString("Status");

    private async Task<AlumnusId> MemberWithoutCardAsync(string locale)
    {
        var id = await app.CollaboratorAsync(locale, listed: false);
        (await app.PostFormAsync(LinkPurpose.CollaborationCard, id, ("action", "withdraw"))).EnsureSuccessStatusCode();
        return id;
    }

    [Fact]
    public async Task Japanese_WriteACardStartingFromTheProfile_AndSubmitItForReview()
    {
        var member = await MemberWithoutCardAsync("ja-JP");
        var page = await PhoneAsync("ja-JP", app.PathFor(LinkPurpose.CollaborationCard, member));

        Assert.Equal("ja-JP", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByText("まだ協業カードはありません。")).ToBeVisibleAsync();
        Assert.Equal("山田商事株式会社", await page.GetByLabel("現在の所属（会社名）").InputValueAsync());
        await page.GetByLabel("提供できること").FillAsync("決済システムの導入支援");
        await page.GetByLabel("探していること").FillAsync("地方銀行との共同プロジェクト");
        await page.GetByLabel("業界（必須）").SelectOptionAsync(new SelectOptionValue { Label = "金融" });
        await page.GetByLabel("アルムナイネットワークのメンバー").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "保存する" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("アルムナイ担当の確認後に掲載されます");
        await Assertions.Expect(page.GetByText("状態: 確認待ち（まだ掲載されていません）")).ToBeVisibleAsync();
        Assert.Equal("PendingReview", await CardStatusAsync(member));
    }

    [Fact]
    public async Task English_MissingAudience_IsExplained_ThenPauseRequestsWithTheKeyboard()
    {
        var member = await MemberWithoutCardAsync("en-US");
        var page = await PhoneAsync("en-US", app.PathFor(LinkPurpose.CollaborationCard, member));

        await page.GetByLabel("What you offer").FillAsync("Payments integration");
        await page.GetByLabel("Industry (required)").SelectOptionAsync(new SelectOptionValue { Label = "Finance" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nothing was saved");
        Assert.Null(await CardStatusAsync(member));

        await page.GetByLabel("The company's current employees").CheckAsync();
        await page.GetByLabel("Pause collaboration requests").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The alumni team will review the card");
        Assert.True(await page.GetByLabel("Pause collaboration requests").IsCheckedAsync());
        Assert.Equal("PendingReview", await CardStatusAsync(member));
    }

    [Fact]
    public async Task Japanese_AcceptFromTheEmailLink_ShowsWhoAsksAndThenTheirAddress()
    {
        var member = await app.CollaboratorAsync("ja-JP");
        var requestId = await app.RequestIdAsync(member);
        await app.RunCollaborationWorkAsync();
        var page = await PhoneAsync("ja-JP", app.AnswerPath(member, requestId) + "&choice=accept");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "協業のご依頼" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("法人営業部の佐藤 一郎さん")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("決済分野での共同提案をご相談したく、ご連絡しました。")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByText("sato.ichiro@corp.example.com").CountAsync());
        Assert.True(await page.GetByLabel("お受けする（お名前とメールアドレスを依頼者に伝えます）").IsCheckedAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "回答を送信する" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("ご依頼をお受けしました");
        await Assertions.Expect(page.GetByText("sato.ichiro@corp.example.com")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "回答を送信する" }).CountAsync());
    }

    [Fact]
    public async Task English_DeclineWithTheKeyboard_AndTheRequesterGetsNoAddress()
    {
        var member = await app.CollaboratorAsync("en-US");
        var requestId = await app.RequestIdAsync(member);
        await app.RunCollaborationWorkAsync();
        var page = await PhoneAsync("en-US", app.AnswerPath(member, requestId) + "&choice=decline");

        await Assertions.Expect(page.GetByText("Why they are asking")).ToBeVisibleAsync();
        Assert.True(await page.GetByLabel("Decline").IsCheckedAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You declined");
        Assert.Equal(0, await page.GetByText("sato.ichiro@corp.example.com").CountAsync());
        Assert.Equal("Declined", (await app.RowsAsync(AlumniTables.CollaborationRequests)).Single(r => r.RowKey == requestId).GetString("Status"));
    }
}
