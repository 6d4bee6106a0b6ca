using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>The newsletter pages through real HTTP: news items through the JSON API's use case and rules, the preview, the test send.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleNewsletterPagesTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private const string Newsletter = "/api/console/newsletter";

    private static Dictionary<string, string> ValidForm(string titleEn = "New Year meetup") => new()
    {
        ["titleJa"] = "新年交流会のお知らせ", ["titleEn"] = titleEn, ["bodyJa"] = "1月20日に東京で開催します。", ["bodyEn"] = "Tokyo, 20 January.",
        ["link"] = "", ["publishFrom"] = "2026-11-01T09:00", ["publishUntil"] = "",
    };

    private Task<IReadOnlyList<string>> StateAsync() => App.SnapshotWithoutKeyRingAsync();

    private async Task<IReadOnlyList<NewsItem>> ItemsAsync() => await App.Services.GetRequiredService<INewsItemStore>().ListAsync(CancellationToken.None);

    [Fact]
    public async Task CreatedInTheConsole_IsStoredWithTheCompanysTimeZone_AndAuditedAsFromTheApi()
    {
        var response = await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. ValidForm().Select(f => (f.Key, f.Value))]);

        Assert.Equal((HttpStatusCode.Redirect, Newsletter + "?saved=created"), (response.StatusCode, response.Headers.Location!.OriginalString));
        var item = Assert.Single(await ItemsAsync());
        Assert.Equal(("New Year meetup", null), (item.TitleEn, item.Link));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), item.PublishFrom.ToUniversalTime());
        var audit = Assert.Single(await App.RowsAsync(AlumniTables.Audit));
        Assert.Equal((AdminApi.DevelopmentSubject, ManageNewsItems.Created, item.Id), (audit.GetString("Actor"), audit.GetString("Action"), audit.GetString("Subject")));
        var list = await Admin.GetPageAsync(response.Headers.Location.OriginalString);
        Assert.Contains("お知らせを追加しました。", list, StringComparison.Ordinal);
        Assert.Contains("2026-11-01 09:00", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/console/campaigns\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewItemFormPostedTwice_AddsOneItem_AndAnotherBodyOrABadKeyUnderItChangesNothing()
    {
        var page = await Admin.GetPageAsync(Newsletter + "/news/new");
        (string, string)[] fields = [.. ValidForm().Select(f => (f.Key, f.Value))];

        var first = await Admin.PostFormOfAsync(page, Newsletter + "/news", fields);
        var before = await StateAsync();
        var second = await Admin.PostFormOfAsync(page, Newsletter + "/news", fields);
        var changed = await Admin.PostFormOfAsync(page, Newsletter + "/news", [.. ValidForm("Spring meetup").Select(f => (f.Key, f.Value))]);
        var bad = await Admin.PostFormOfAsync(page, Newsletter + "/news", [.. fields, (IdempotencyKey.Field, "two words")]);

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Conflict, HttpStatusCode.BadRequest),
            (first.StatusCode, second.StatusCode, changed.StatusCode, bad.StatusCode));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Contains($"<code>{IdempotencyKey.Field}</code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        Assert.Equal("New Year meetup", Assert.Single(await ItemsAsync()).TitleEn);
    }

    [Fact]
    public async Task CreateWithTheMostLiveItemsThereAlready_Returns409NamingPublishUntilWithTheFormKept_AndStoresNothing()
    {
        var store = App.Services.GetRequiredService<INewsItemStore>();
        var now = TimeProvider.System.GetUtcNow();
        await Task.WhenAll(Enumerable.Range(0, NewsItem.MaxLive).Select(i => store.TryAddAsync(
            new NewsItem(NewsItem.NewId(), $"お知らせ{i}", $"News {i}", "本文", "Body", null, now.AddDays(-1), null, now), CancellationToken.None)));
        await Admin.GetPageAsync(Newsletter + "/news/new");
        var before = await StateAsync();

        var response = await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. ValidForm().Select(f => (f.Key, f.Value))]);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<code>publishUntil</code>", page, StringComparison.Ordinal);
        Assert.Contains(">1月20日に東京で開催します。</textarea>", page, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "titleJa", "", "titleJa" },
        { "titleEn", new string('x', NewsItem.MaxTitleLength + 1), "titleEn" },
        { "link", "javascript:alert(1)", "link" },
        { "publishFrom", "yesterday", "publishFrom" },
        { "publishFrom", "", "publishFrom" },
        { "publishFrom", "0001-01-01T00:00", "publishFrom" },
        { "publishUntil", "2026-10-01T09:00", "publishUntil" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task CreateWithABadField_Returns400NamingIt_AndStoresNothing(string field, string value, string named)
    {
        await Admin.GetPageAsync(Newsletter + "/news/new");
        var before = await StateAsync();
        var form = ValidForm();
        form[field] = value;

        var response = await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. form.Select(f => (f.Key, f.Value))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<code>{named}</code>", page, StringComparison.Ordinal);
        Assert.Contains(">1月20日に東京で開催します。</textarea>", page, StringComparison.Ordinal); // what was typed is shown again
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Edit_ReplacesTheItem_ABadEditChangesNothing_AndDeleteRemovesIt()
    {
        await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. ValidForm().Select(f => (f.Key, f.Value))]);
        var id = Assert.Single(await ItemsAsync()).Id;
        var edit = $"{Newsletter}/news/{id}";
        Assert.Contains("value=\"2026-11-01T09:00\"", await Admin.GetPageAsync(edit), StringComparison.Ordinal);

        var saved = await Admin.PostFormFromAsync(edit, edit, [.. ValidForm("Spring meetup").Select(f => (f.Key, f.Value))]);
        var before = await StateAsync();
        var bad = await Admin.PostFormFromAsync(edit, edit, [.. ValidForm("").Select(f => (f.Key, f.Value))]);
        var after = await StateAsync();
        var deleted = await Admin.PostFormFromAsync(edit, $"{edit}/delete");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<code>titleEn</code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.Equal((HttpStatusCode.Redirect, Newsletter + "?saved=deleted"), (deleted.StatusCode, deleted.Headers.Location!.OriginalString));
        Assert.Empty(await ItemsAsync());
        Assert.Equal([ManageNewsItems.Created, ManageNewsItems.Deleted, ManageNewsItems.Replaced], (await App.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync(edit)).StatusCode);
    }

    [Fact]
    public async Task Preview_ShowsTheIssueInASandbox_AndTheTestSendMailsItMarked()
    {
        await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. ValidForm("<i>Meetup</i>").Select(f => (f.Key, f.Value))]);

        var preview = await Admin.GetPageAsync(Newsletter + "/preview?locale=en-US");
        var sent = await Admin.PostFormFromAsync(Newsletter + "/preview", Newsletter + "/test", ("email", "editor@example.com"), ("locale", "en-US"));

        Assert.Contains("sandbox=\"\"", preview, StringComparison.Ordinal);
        Assert.Contains("&amp;lt;i&amp;gt;Meetup&amp;lt;/i&amp;gt;", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>Meetup</i>", preview, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, Newsletter + "/preview?locale=en-US&sent=1"), (sent.StatusCode, sent.Headers.Location!.OriginalString));
        var mail = Assert.Single(await App.OutboxAsync());
        Assert.Equal(["editor@example.com"], mail.To);
        Assert.StartsWith("[TEST] ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(Core.Newsletters.SendNewsletterTest.TestSent, (await App.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")));
    }

    [Fact]
    public async Task TestFormPostedTwice_MailsOnce_AnswersAsTheFirst_AndAuditsOnePair()
    {
        await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. ValidForm().Select(f => (f.Key, f.Value))]);
        var page = await Admin.GetPageAsync(Newsletter + "/preview?locale=en-US");

        var first = await Admin.PostFormOfAsync(page, Newsletter + "/test", ("email", "editor@example.com"), ("locale", "en-US"));
        var before = await StateAsync();
        var second = await Admin.PostFormOfAsync(page, Newsletter + "/test", ("email", "editor@example.com"), ("locale", "en-US"));
        var other = await Admin.PostFormOfAsync(page, Newsletter + "/test", ("email", "other@example.com"), ("locale", "en-US"));

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode, other.StatusCode));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Single(await App.OutboxAsync());
        Assert.Equal(before, await StateAsync());
        Assert.Equal([Core.Newsletters.SendNewsletterTest.TestRequested, Core.Newsletters.SendNewsletterTest.TestSent],
            (await App.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")).Where(a => a!.StartsWith("newsletter.test", StringComparison.Ordinal)).Order());
        // A fresh page is a fresh key: sending again on purpose mails again.
        var again = await Admin.PostFormFromAsync(Newsletter + "/preview?locale=en-US", Newsletter + "/test", ("email", "editor@example.com"), ("locale", "en-US"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(2, (await App.OutboxAsync()).Count);
    }

    [Theory]
    [InlineData("not-an-address", "en-US", "email")]
    [InlineData("editor@example.com", "fr-FR", "locale")]
    [InlineData("editor@gmail.com", "en-US", "email")]
    public async Task TestSendWithABadField_Returns400NamingIt_AndSendsNothing(string email, string locale, string named)
    {
        await Admin.GetPageAsync(Newsletter + "/preview");
        var before = await StateAsync();

        var response = await Admin.PostFormFromAsync(Newsletter + "/preview", Newsletter + "/test", ("email", email), ("locale", locale));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<code>{named}</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await App.OutboxAsync());
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task DeleteWithoutItsToken_Returns400AndKeepsTheItem()
    {
        await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. ValidForm().Select(f => (f.Key, f.Value))]);
        var id = Assert.Single(await ItemsAsync()).Id;

        var response = await Admin.PostRawAsync($"{Newsletter}/news/{id}/delete", []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(await ItemsAsync());
    }

    [Fact]
    public async Task StaleEditForm_Returns409WithAReloadLinkInBothLanguages_AndNothingIsWrittenOrAudited()
    {
        await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. ValidForm().Select(f => (f.Key, f.Value))]);
        var id = Assert.Single(await ItemsAsync()).Id;
        var edit = $"{Newsletter}/news/{id}";
        var page = await Admin.GetPageAsync(edit);
        var replaced = await App.AdminAsync(HttpMethod.Put, $"api/manage/news/{id}", Newsletters.NewsletterAdminTests.Item.Replace("New Year meetup", "Changed elsewhere", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var before = await StateAsync();

        var stale = await Admin.PostFormOfAsync(page, edit, [.. ValidForm("From the old page").Select(f => (f.Key, f.Value))]);
        await Admin.GetAsync("/api/console/language?to=en&back=/api/console/home");
        var staleInEnglish = await Admin.PostFormOfAsync(page, edit, [.. ValidForm("From the old page").Select(f => (f.Key, f.Value))]);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (stale.StatusCode, staleInEnglish.StatusCode));
        var answer = await stale.Content.ReadAsStringAsync();
        Assert.Contains("このページを開いた後に、内容が変更されました（他の人の変更か、先に送った保存によるものです）。何も保存していません。", answer, StringComparison.Ordinal);
        Assert.Contains($"href=\"{edit}\"", answer, StringComparison.Ordinal);
        Assert.Contains("This was changed after you opened the page (by someone else, or by a save you sent earlier). Nothing was saved.", await staleInEnglish.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        Assert.Equal("Changed elsewhere", Assert.Single(await ItemsAsync()).TitleEn);

        var fresh = await Admin.PostFormFromAsync(edit, edit, [.. ValidForm("From a fresh page").Select(f => (f.Key, f.Value))]);

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Equal("From a fresh page", Assert.Single(await ItemsAsync()).TitleEn);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("-5")]
    public async Task EditFormWithoutAVersion_Returns400NamingIt_AndChangesNothing(string? version)
    {
        await Admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", [.. ValidForm().Select(f => (f.Key, f.Value))]);
        var edit = $"{Newsletter}/news/{Assert.Single(await ItemsAsync()).Id}";
        var page = await Admin.GetPageAsync(edit);
        var before = await StateAsync();
        (string, string)[] posted = version is null ? [] : [(RecordVersion.Field, version)];

        var response = await Admin.PostRawAsync(edit, [.. ValidForm("Spring meetup").Select(f => (f.Key, f.Value)), .. posted, (Functions.Hosting.Security.ConsoleAuthentication.AntiforgeryField, ConsoleClient.TokenOf(page))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>version</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }
}
