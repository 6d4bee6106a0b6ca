using System.Net;
using System.Net.Http.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.AlumniPages;

/// <summary>Join with purposes, preferences, unsubscribe (page and RFC 8058 one-click), and cross-site protection.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsentPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<ConsentState> StateAsync(AlumnusId id) =>
        ConsentState.From(await app.Services.GetRequiredService<IConsentLedger>().HistoryAsync(id, CancellationToken.None));

    [Fact]
    public async Task JoinPage_OffersMembershipAndEveryPurposeWithNothingTicked()
    {
        var id = await app.DepartAsync(locale: "en-US");

        var html = await app.Client.GetStringAsync(app.JoinPath(id));

        Assert.Contains("name=\"membership\" value=\"yes\">", html, StringComparison.Ordinal);
        foreach (var purpose in ConsentPurposes.Optional)
        {
            Assert.Contains($"value=\"{purpose}\">", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("checked", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("required", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Join_RecordsMembershipAndOnlyTheTickedPurposesAsConfirmedOptIns()
    {
        var id = await app.MemberAsync("ja-JP", "Newsletter", "Events");

        var history = await app.Services.GetRequiredService<IConsentLedger>().HistoryAsync(id, CancellationToken.None);

        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter, ConsentPurpose.Events], history.Select(h => h.Purpose).Order());
        Assert.All(history, h => Assert.Equal((true, ConsentMethod.Link, ConsentWording.Join), (h.Granted, h.Method, h.WordingVersion)));
    }

    [Fact]
    public async Task Preferences_ShowCurrentStateAndSaveOnlyChanges_TwiceChangesNothingTwice()
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var page = await app.Client.GetStringAsync(app.PathFor(LinkPurpose.Preferences, id));
        Assert.Contains("value=\"Newsletter\" checked", page, StringComparison.Ordinal);

        (string, string)[] form = [("action", "save"), ("purpose", "Events"), ("purpose", "Surveys")];
        var first = await app.PostFormAsync(LinkPurpose.Preferences, id, form);
        var countAfterFirst = (await app.RowsAsync(AlumniTables.Consents)).Count;
        await app.PostFormAsync(LinkPurpose.Preferences, id, form);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(countAfterFirst, (await app.RowsAsync(AlumniTables.Consents)).Count);
        var state = await StateAsync(id);
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Events, ConsentPurpose.Surveys], state.Granted.Order());
    }

    [Fact]
    public async Task UnsubscribeAll_WithdrawsEveryEmailPurposeButKeepsMembership()
    {
        var id = await app.MemberAsync("ja-JP", "Newsletter", "Events", "JobOffers", "DirectoryVisibility");

        await app.PostFormAsync(LinkPurpose.Preferences, id, ("action", "unsubscribe-all"));

        var state = await StateAsync(id);
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.DirectoryVisibility], state.Granted.Order());
    }

    [Fact]
    public async Task UnsubscribeAll_ByOneWhoNeverJoined_RecordsTheRefusalOfEveryEmail_AndARepeatAppendsNothing()
    {
        // Nothing granted to withdraw: the refusal itself is recorded, which is what stops the welcome's re-sends.
        var id = await app.DepartAsync(locale: "en-US");

        var first = await app.PostFormAsync(LinkPurpose.Preferences, id, ("action", "unsubscribe-all"));
        var count = (await app.RowsAsync(AlumniTables.Consents)).Count;
        await app.PostFormAsync(LinkPurpose.Preferences, id, ("action", "unsubscribe-all"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var state = await StateAsync(id);
        Assert.All(ConsentPurposes.Email, p => Assert.True(state.IsRefused(p)));
        Assert.Equal(count, (await app.RowsAsync(AlumniTables.Consents)).Count);
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("Save")]
    [InlineData("")]
    [InlineData(null)]
    public async Task UnknownOrMissingPreferencesAction_Gets400NamingTheFieldAndChangesNothing(string? action)
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var before = await app.SnapshotAsync();
        (string, string)[] ticks = [("purpose", "Events"), ("purpose", "Surveys")];

        var response = await app.PostFormAsync(LinkPurpose.Preferences, id, action is null ? ticks : [("action", action), .. ticks]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"field\":\"action\"", body, StringComparison.Ordinal);
        Assert.Contains("save, unsubscribe-all", body, StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task OneClickUnsubscribe_WithdrawsTheCategoryFromAMailClientPost()
    {
        var id = await app.MemberAsync("en-US", "Newsletter", "Events");
        using var request = new HttpRequestMessage(HttpMethod.Post, app.UnsubscribePath(id, ConsentPurpose.Newsletter))
        {
            Content = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = await StateAsync(id);
        Assert.False(state.Has(ConsentPurpose.Newsletter));
        Assert.True(state.Has(ConsentPurpose.Events));
        var withdrawal = (await app.Services.GetRequiredService<IConsentLedger>().HistoryAsync(id, CancellationToken.None))[^1];
        Assert.Equal((ConsentPurpose.Newsletter, false, ConsentWording.Unsubscribe), (withdrawal.Purpose, withdrawal.Granted, withdrawal.WordingVersion));
    }

    [Fact]
    public async Task UnsubscribeWithoutCategory_WithdrawsAllEmail()
    {
        var id = await app.MemberAsync("en-US", "Newsletter", "Events");

        var response = await app.Client.PostAsync(app.UnsubscribePath(id), new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal([ConsentPurpose.NetworkMembership], (await StateAsync(id)).Granted);
    }

    [Fact]
    public async Task TokenOfAnotherPurpose_IsRefusedWith400AndChangesNothing()
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var before = (await app.RowsAsync(AlumniTables.Consents)).Count;
        var preferencesToken = app.Token(LinkPurpose.Preferences, id);

        var response = await app.Client.PostAsync($"api/alumni/unsubscribe?token={Uri.EscapeDataString(preferencesToken)}", new StringContent(""));
        var page = await app.Client.GetAsync($"api/alumni/export?token={Uri.EscapeDataString(preferencesToken)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(before, (await app.RowsAsync(AlumniTables.Consents)).Count);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    public async Task CrossSiteFormPost_IsRefusedWith403AndChangesNothing(string header, string value)
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var before = (await app.RowsAsync(AlumniTables.Consents)).Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/alumni/preferences")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", app.Token(LinkPurpose.Preferences, id)), KeyValuePair.Create("action", "unsubscribe-all")]),
        };
        request.Headers.Add(header, value);

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, (await app.RowsAsync(AlumniTables.Consents)).Count);
    }

    [Fact]
    public async Task SameOriginFormPost_IsAccepted()
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/alumni/preferences")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", app.Token(LinkPurpose.Preferences, id)), KeyValuePair.Create("action", "unsubscribe-all")]),
        };
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Add("Origin", app.BaseAddress.GetLeftPart(UriPartial.Authority));

        Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task JsonInsteadOfAForm_Gets415()
    {
        var id = await app.MemberAsync("en-US");

        var response = await app.Client.PostAsync("api/alumni/preferences", new StringContent($$"""{"token":"{{app.Token(LinkPurpose.Preferences, id)}}"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task UnknownPurposeInAForm_Gets400NamingTheFieldAndChangesNothing()
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var before = (await app.RowsAsync(AlumniTables.Consents)).Count;

        var response = await app.PostFormAsync(LinkPurpose.Preferences, id, ("action", "save"), ("purpose", "Events"), ("purpose", "Newsletter,Events"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"field\":\"purpose\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await app.RowsAsync(AlumniTables.Consents)).Count);
    }

    [Theory]
    [InlineData("Lottery")]
    [InlineData("NetworkMembership")]
    [InlineData("3")]
    [InlineData("Newsletter,Events")]
    public async Task UnknownUnsubscribeCategory_Gets400BilingualPageAndChangesNothing(string category)
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var before = await app.SnapshotAsync();

        var get = await app.Client.GetAsync(app.PathFor(LinkPurpose.Unsubscribe, id) + "&category=" + category);
        var post = await app.Client.PostAsync(app.PathFor(LinkPurpose.Unsubscribe, id) + "&category=" + category, new FormUrlEncodedContent([]));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (get.StatusCode, post.StatusCode));
        foreach (var response in new[] { get, post })
        {
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("このリンクでは配信停止できません", html, StringComparison.Ordinal);
            Assert.Contains("This link cannot unsubscribe you", html, StringComparison.Ordinal);
            Assert.Contains("(category)", html, StringComparison.Ordinal);
        }

        Assert.Equal(before, await app.SnapshotAsync());
        Assert.True((await StateAsync(id)).Has(ConsentPurpose.Newsletter));
    }

    /// <summary>A mail provider's RFC 8058 POST is machine to machine: an unknown category is problem details, as a tampered one is.</summary>
    [Theory]
    [InlineData("Lottery")]
    [InlineData("NetworkMembership")]
    [InlineData("Newsletter,Events")]
    public async Task UnknownUnsubscribeCategory_OnOneClick_Gets400ProblemNamingCategoryAndChangesNothing(string category)
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var before = await app.SnapshotAsync();

        var oneClick = await app.Client.PostAsync(app.PathFor(LinkPurpose.Unsubscribe, id) + "&category=" + category,
            new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, oneClick.StatusCode);
        Assert.Equal("application/problem+json", oneClick.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await oneClick.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("category", error.GetProperty("field").GetString());
        Assert.StartsWith("must be one of Newsletter", error.GetProperty("rule").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.True((await StateAsync(id)).Has(ConsentPurpose.Newsletter));
    }

    /// <summary>The link's category is only a label of what its token is signed for: changed, added or cut, it withdraws nothing.</summary>
    [Theory]
    [InlineData("Newsletter", "Events")]
    [InlineData("Newsletter", "")]
    [InlineData("Newsletter", null)]
    [InlineData(null, "Newsletter")]
    public async Task TamperedUnsubscribeCategory_Gets400OnPageFormAndOneClick_AndChangesNothing(string? signedFor, string? sent)
    {
        var id = await app.MemberAsync("en-US", "Newsletter", "Events");
        var genuine = app.UnsubscribePath(id, signedFor is null ? null : Enum.Parse<ConsentPurpose>(signedFor));
        var path = System.Text.RegularExpressions.Regex.Replace(genuine, "&category=[^&]*", "") + (sent is null ? "" : "&category=" + sent);
        var before = await app.SnapshotAsync();

        var get = await app.Client.GetAsync(path);
        var form = await app.Client.PostAsync(path, new FormUrlEncodedContent([]));
        var oneClick = await app.Client.PostAsync(path, new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (get.StatusCode, form.StatusCode, oneClick.StatusCode));
        foreach (var page in new[] { get, form })
        {
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("このリンクでは配信停止できません", html, StringComparison.Ordinal);
            Assert.Contains("is not the one the link was issued for", html, StringComparison.Ordinal);
            Assert.Contains("(category)", html, StringComparison.Ordinal);
        }

        Assert.Equal("application/problem+json", oneClick.Content.Headers.ContentType?.MediaType);
        var problem = await oneClick.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("category", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter, ConsentPurpose.Events], (await StateAsync(id)).Granted.Order());
    }

    [Fact]
    public async Task UnsubscribeLinkForOneCategory_ShowsAndWithdrawsThatCategoryOnly()
    {
        var id = await app.MemberAsync("en-US", "Newsletter", "Events");
        var path = app.UnsubscribePath(id, ConsentPurpose.Events);

        var page = await app.Client.GetAsync(path);
        var done = await app.Client.PostAsync(path, new FormUrlEncodedContent([]));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (page.StatusCode, done.StatusCode));
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter], (await StateAsync(id)).Granted.Order());
    }

    [Fact]
    public async Task ExpiredUnsubscribeLink_Gets410AndChangesNothing()
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var token = app.Token(LinkPurpose.Unsubscribe, id, issuedAt: TimeProvider.System.GetUtcNow().AddDays(-401));

        var response = await app.Client.PostAsync($"api/alumni/unsubscribe?token={Uri.EscapeDataString(token)}", new StringContent("List-Unsubscribe=One-Click"));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.True((await StateAsync(id)).Has(ConsentPurpose.Newsletter));
    }

    [Fact]
    public async Task MultipartOrOversizedOrMalformedForms_Get4xxNever500()
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var before = (await app.RowsAsync(AlumniTables.Consents)).Count;
        var token = app.Token(LinkPurpose.Preferences, id);

        using var multipart = new MultipartFormDataContent { { new StringContent(token), "token" } };
        var tooManyFields = new FormUrlEncodedContent(Enumerable.Range(0, 150).Select(i => KeyValuePair.Create($"f{i}", "x")).Prepend(KeyValuePair.Create("token", token)));
        var tooLarge = new StringContent("token=" + new string('x', 70_000), System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        var longValue = new StringContent("token=" + Uri.EscapeDataString(token) + "&purpose=" + new string('x', 20_000), System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.Client.PostAsync("api/alumni/preferences", multipart)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsync("api/alumni/preferences", tooManyFields)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await app.Client.PostAsync("api/alumni/preferences", tooLarge)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsync("api/alumni/preferences", longValue)).StatusCode);
        Assert.Equal(before, (await app.RowsAsync(AlumniTables.Consents)).Count);
    }
}
