using System.Net;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.JoinNetwork;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.JoinNetwork;

[Collection(AzuriteCollection.Name)]
public sealed class JoinNetworkFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<HttpResponseMessage> PostJoinAsync(string? token) => app.Client.PostAsync("api/alumni/join",
        new FormUrlEncodedContent(token is null ? [] : [KeyValuePair.Create("token", token), KeyValuePair.Create("membership", "yes")]));

    private static string TokenOf(string path) => Uri.UnescapeDataString(path[(path.IndexOf('=', StringComparison.Ordinal) + 1)..]);

    [Fact]
    public async Task ValidLink_ShowsJoinFormInTheAlumnusLanguageWithStrictHeaders()
    {
        var id = await app.DepartAsync(locale: "ja-JP");

        var response = await app.Client.GetAsync(app.JoinPath(id));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"ja-JP\">", html, StringComparison.Ordinal);
        Assert.Contains("山田 花子 様", html, StringComparison.Ordinal);
        Assert.Contains("method=\"post\"", html, StringComparison.Ordinal);
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredText_IsEscapedOnThePage()
    {
        var id = await app.DepartAsync(locale: "en-US", givenName: "<script>alert(1)</script>");

        var html = await app.Client.GetStringAsync(app.JoinPath(id));

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_RecordsMembershipAndConsentOnceEvenWhenSubmittedTwice()
    {
        var id = await app.DepartAsync(locale: "en-US");
        var token = TokenOf(app.JoinPath(id));

        var first = await PostJoinAsync(token);
        var second = await PostJoinAsync(token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("You are now a member", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("already a member", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Joined", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("Status"));
        var consent = Assert.Single(await app.RowsAsync(AlumniTables.Consents));
        Assert.Equal(id.Value, consent.PartitionKey);
        Assert.Equal("NetworkMembership", consent.GetString("Purpose"));
        Assert.Equal("Link", consent.GetString("Method"));
        Assert.False(string.IsNullOrEmpty(consent.GetString("WordingVersion")));
    }

    [Theory]
    [InlineData("ja-JP", null, "参加への同意のチェックがないため、登録していません")]
    [InlineData("en-US", null, "You have not been registered, because the box to agree to join was not ticked")]
    [InlineData("en-US", "no", "You have not been registered")]
    [InlineData("ja-JP", "no", "登録していません")]
    [InlineData("en-US", "", "You have not been registered")]
    [InlineData("en-US", "on", "You have not been registered")]
    [InlineData("en-US", "YES", "You have not been registered")]
    [InlineData("en-US", "true", "You have not been registered")]
    public async Task JoinWithoutTheMembershipBox_Gets400FormInTheAlumnusLanguageAndRecordsNothing(string locale, string? membership, string message)
    {
        var id = await app.DepartAsync(locale: locale);
        var before = await app.CountAllRowsAsync();
        var fields = new List<(string, string)> { ("token", app.Token(LinkPurpose.Join, id)), ("purpose", "Surveys") };
        if (membership is not null)
        {
            fields.Add(("membership", membership));
        }

        var response = await PostFormAsync([.. fields]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{locale}\">", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Surveys\" checked", html, StringComparison.Ordinal);
        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
        Assert.Equal("Departed", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("Status"));
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task MembershipSentTwice_IsNoTickAndRecordsNothing()
    {
        var id = await app.DepartAsync(locale: "en-US");

        var response = await PostFormAsync(("token", app.Token(LinkPurpose.Join, id)), ("membership", "yes"), ("membership", "no"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
    }

    [Fact]
    public async Task MembershipPostedAsAPurpose_Gets400ProblemAndRecordsNothing()
    {
        var id = await app.DepartAsync(locale: "en-US");
        var before = await app.CountAllRowsAsync();

        var response = await PostFormAsync(("token", app.Token(LinkPurpose.Join, id)), ("purpose", "NetworkMembership"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("purpose", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    [Theory]
    [InlineData("ja-JP", "現在は再び当社に在籍されているため")]
    [InlineData("en-US", "you currently work at the company again")]
    public async Task RehiredPerson_IsToldTheNetworkIsNotForThemNow_AndTheFormSentAnywayRecordsNothing(string locale, string message)
    {
        var id = await app.DepartAsync(locale: locale, lastWorkingDay: OpeningSeeds.Day(-30));
        await app.HiredAsync("E12345", OpeningSeeds.Day(1));
        await app.DeliverAsync("rehires", "AttributeRehire");
        Assert.Equal(AlumnusStatus.Returned, (await app.AlumnusAsync(id)).Status);
        var before = await app.SnapshotAsync();

        var get = await app.Client.GetAsync(app.JoinPath(id));
        var post = await PostFormAsync(("token", app.Token(LinkPurpose.Join, id)), ("membership", "yes"), ("purpose", "Surveys"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict), (get.StatusCode, post.StatusCode));
        foreach (var html in new[] { await get.Content.ReadAsStringAsync(), await post.Content.ReadAsStringAsync() })
        {
            Assert.Contains($"<html lang=\"{locale}\">", html, StringComparison.Ordinal);
            Assert.Contains(message, html, StringComparison.OrdinalIgnoreCase);
            // No join form (the pages' own form, which mails a privacy link, stays).
            Assert.DoesNotContain($"action=\"{JoinNetworkFunction.Route}\"", html, StringComparison.Ordinal);
        }

        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
        Assert.Equal(AlumnusStatus.Returned, (await app.AlumnusAsync(id)).Status);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    private Task<HttpResponseMessage> PostFormAsync(params (string Key, string Value)[] fields) =>
        app.Client.PostAsync("api/alumni/join", new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    public async Task MissingOrGarbageToken_Gets400PageInBothLanguagesAndChangesNothing(string? token)
    {
        await app.DepartAsync();
        var before = await app.CountAllRowsAsync();

        var get = await app.Client.GetAsync($"api/alumni/join?token={token}");
        var post = await PostJoinAsync(token);

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var html = await get.Content.ReadAsStringAsync();
        Assert.Contains("このリンクは無効です", html, StringComparison.Ordinal);
        Assert.Contains("This link is not valid", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task TamperedToken_Gets400AndJoinsNobody()
    {
        var id = await app.DepartAsync();
        var token = TokenOf(app.JoinPath(id));
        var tampered = token[..^3] + (token[^3] == 'x' ? "y" : "x") + token[^2..];

        var response = await PostJoinAsync(tampered);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Departed", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("Status"));
        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
    }

    [Fact]
    public async Task ExpiredToken_Gets410PageInTheAlumnusLanguageAndJoinsNobody()
    {
        var id = await app.DepartAsync(locale: "en-US");
        var expired = app.JoinPath(id, issuedAt: TimeProvider.System.GetUtcNow().AddDays(-31));

        var get = await app.Client.GetAsync(expired);
        var post = await PostJoinAsync(TokenOf(expired));

        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        Assert.Contains("This link has expired", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
    }
}
