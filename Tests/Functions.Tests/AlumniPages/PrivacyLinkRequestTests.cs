using System.Net;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.AlumniPages;

/// <summary>
/// Pages reached from forwardable links carry no export or erase token; they mail one to the address on file on
/// request (ADR 0007). Through the real preferences page, on Azurite, with the dev SendGrid sink.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class PrivacyLinkRequestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(AwayFromAWindowsEnd(TimeProvider.System.GetUtcNow()));
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite, services: s => s.AddSingleton<TimeProvider>(clock));

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData(LinkPurpose.Preferences)]
    [InlineData(LinkPurpose.Profile)]
    [InlineData(LinkPurpose.Openings)]
    public async Task PageReachedByAForwardableLink_CarriesNoExportOrEraseToken_ButOffersToMailThem(LinkPurpose purpose)
    {
        var id = await app.MemberAsync("ja-JP", "Newsletter");

        var html = await app.Client.GetStringAsync(app.PathFor(purpose, id));

        Assert.NotEmpty(TokensIn(html));
        Assert.DoesNotContain(TokensIn(html), t => Grants(t, LinkPurpose.Export) || Grants(t, LinkPurpose.Erase));
        Assert.Contains("登録データのダウンロード用リンクをメールで送る", html, StringComparison.Ordinal);
        Assert.Contains("登録データの削除用リンクをメールで送る", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportPage_StillLinksToErase()
    {
        var id = await app.MemberAsync("en-US");

        var html = await app.Client.GetStringAsync(app.PathFor(LinkPurpose.Export, id));

        Assert.Contains(TokensIn(html), t => Grants(t, LinkPurpose.Erase));
    }

    [Theory]
    [InlineData("ja-JP", "ご登録のメールアドレスにリンクをお送りしました", "登録データのダウンロード用リンク", "ダウンロードする")]
    [InlineData("en-US", "We sent a link to your address on file", "your link to download your data", "Download")]
    public async Task ExportLinkRequest_MailsOneWorkingLinkToTheAddressOnFile_InTheirLanguage_WithoutShowingIt(string locale, string said, string subject, string button)
    {
        var id = await app.MemberAsync(locale);

        var response = await RequestAsync(id, AlumniPage.ExportLinkAction);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(said, html, StringComparison.Ordinal);
        Assert.DoesNotContain("hanako@example.net", html, StringComparison.Ordinal);
        var mail = Assert.Single(await PrivacyMailsAsync());
        Assert.Equal(["hanako@example.net"], mail.To);
        Assert.Contains(subject, mail.Subject, StringComparison.Ordinal);
        var link = LinkIn(mail, AlumniLinks.PathOf(LinkPurpose.Export));
        var page = await app.Client.GetStringAsync(link);
        Assert.Contains($">{button}</button>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EraseLinkRequest_MailsAWorkingEraseLink()
    {
        var id = await app.MemberAsync("ja-JP");

        (await RequestAsync(id, AlumniPage.EraseLinkAction)).EnsureSuccessStatusCode();

        var mail = Assert.Single(await PrivacyMailsAsync());
        Assert.Contains("削除する", await app.Client.GetStringAsync(LinkIn(mail, AlumniLinks.PathOf(LinkPurpose.Erase))), StringComparison.Ordinal);
        Assert.NotEmpty(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task DoubleSubmit_SendsOneMail_AndSaysTheSameTwice_AndTheNextWindowMaySendAgain()
    {
        var id = await app.MemberAsync("en-US");

        var first = await RequestAsync(id, AlumniPage.ExportLinkAction);
        var second = await RequestAsync(id, AlumniPage.ExportLinkAction);
        var erase = await RequestAsync(id, AlumniPage.EraseLinkAction);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode, erase.StatusCode));
        Assert.Contains("We sent a link to your address on file", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await PrivacyMailsAsync()).Count);

        clock.Advance(SendPrivacyLink.Window);
        (await RequestAsync(id, AlumniPage.ExportLinkAction)).EnsureSuccessStatusCode();
        Assert.Equal(3, (await PrivacyMailsAsync()).Count);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "https://evil.example")]
    public async Task CrossSiteRequest_Gets403_AndSendsNothing(string header, string value)
    {
        var id = await app.MemberAsync("en-US");
        var before = await app.SnapshotAsync();

        var response = await RequestAsync(id, AlumniPage.ExportLinkAction, (header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("forged.token.value")]
    public async Task MissingOrForgedToken_Gets400_AndSendsNothing(string? token)
    {
        await app.MemberAsync("en-US");
        var before = await app.SnapshotAsync();
        var fields = new List<KeyValuePair<string, string>> { new("action", AlumniPage.ExportLinkAction) };
        if (token is not null)
        {
            fields.Add(new("token", token));
        }

        var response = await app.Client.PostAsync(AlumniLinks.PathOf(LinkPurpose.Preferences), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task TokenOfAnotherPurpose_Gets400_AndSendsNothing()
    {
        var id = await app.MemberAsync("en-US");

        var response = await app.Client.PostAsync(AlumniLinks.PathOf(LinkPurpose.Preferences), new FormUrlEncodedContent(
            [KeyValuePair.Create("token", app.Token(LinkPurpose.Openings, id)), KeyValuePair.Create("action", AlumniPage.EraseLinkAction)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await app.OutboxAsync());
    }

    [Fact]
    public async Task ErasedPerson_IsToldNoDataIsHeld_AndGetsNoMail()
    {
        var id = await app.MemberAsync("en-US");
        var preferences = app.Token(LinkPurpose.Preferences, id);
        (await app.PostFormAsync(LinkPurpose.Erase, id)).EnsureSuccessStatusCode();

        var response = await RequestAsync(id, AlumniPage.ExportLinkAction, token: preferences);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("We hold no data about you", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await PrivacyMailsAsync());
    }

    [Fact]
    public async Task PersonWhoseErasureBegan_IsAnsweredAsErased_AndGetsNoMail_AndNothingChanges()
    {
        var id = await app.MemberAsync("en-US");
        await app.StopErasureAfterItsFirstWriteAsync(id);
        var before = await app.SnapshotAsync();

        var response = await RequestAsync(id, AlumniPage.EraseLinkAction);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("We hold no data about you", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task DoNotContactPerson_IsSentToHr_AndGetsNoMail_AndNothingChanges()
    {
        var id = await app.MemberAsync("en-US");
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var row = (await store.GetAsync(id, CancellationToken.None))!;
        row.DoNotContact = true;
        Assert.True(await store.TryUpdateAsync(row, CancellationToken.None));
        var before = await app.SnapshotAsync();

        var response = await RequestAsync(id, AlumniPage.ExportLinkAction);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("We hold no data about you", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    /// <summary>
    /// Now, or the start of the next request window when this one ends within 100 seconds: a double submit never
    /// straddles two windows, and the clock stays close enough to real time for the HR webhook's signed timestamps.
    /// </summary>
    private static DateTimeOffset AwayFromAWindowsEnd(DateTimeOffset now)
    {
        var window = (long)SendPrivacyLink.Window.TotalSeconds;
        var seconds = now.ToUnixTimeSeconds();
        return seconds % window < window - 100 ? now : DateTimeOffset.FromUnixTimeSeconds((seconds / window + 1) * window + 1);
    }

    private async Task<HttpResponseMessage> RequestAsync(AlumnusId id, string action, (string Name, string Value)? header = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, AlumniLinks.PathOf(LinkPurpose.Preferences))
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", token ?? app.Token(LinkPurpose.Preferences, id)), KeyValuePair.Create("action", action)]),
        };
        if (header is { } h)
        {
            request.Headers.Add(h.Name, h.Value);
        }

        return await app.Client.SendAsync(request);
    }

    private async Task<IReadOnlyList<OutboxMail>> PrivacyMailsAsync() =>
        (await app.OutboxAsync()).Where(m => m.Categories.Contains(PrivacyLinkEmail.Category)).ToList();

    private bool Grants(string token, LinkPurpose purpose) =>
        app.Services.GetRequiredService<LinkTokenService>().Check(token, purpose).Status != LinkTokenStatus.Invalid;

    /// <summary>Every link token a page carries, in addresses (<c>token=…</c>) or hidden form fields.</summary>
    private static List<string> TokensIn(string html) =>
        TokenPattern().Matches(html).Select(m => Uri.UnescapeDataString(WebUtility.HtmlDecode(m.Groups["t"].Value))).ToList();

    private static string LinkIn(OutboxMail mail, string path)
    {
        var match = Regex.Match(mail.Text!, "https?://\\S+/" + Regex.Escape(path) + "\\?token=\\S+");
        Assert.True(match.Success, "the mail carries the link");
        return new Uri(match.Value).PathAndQuery;
    }

    [GeneratedRegex("(?:token=|name=\"token\" value=\")(?<t>[A-Za-z0-9_%.\\-]+)")]
    private static partial Regex TokenPattern();
}
