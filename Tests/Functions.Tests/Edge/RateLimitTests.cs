using System.Net;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Edge;

/// <summary>
/// The rate limiter with budgets of three requests a minute, so a handful of requests shows what a script meets;
/// the defaults (60 and 120 a minute) are far above what a person does.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RateLimitTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Budget = 3;
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>
    {
        ["RateLimits:AlumniPagesPerWindow"] = $"{Budget}",
        ["RateLimits:AdminPerWindow"] = $"{Budget}",
    });

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AlumniPages_BeyondTheBudgetOfOneAddress_Get429WithRetryAfterAndABilingualPage()
    {
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i <= Budget; i++)
        {
            answers.Add(await FromAsync("203.0.113.9", "api/alumni/join?token=forged"));
        }

        Assert.All(answers.Take(Budget), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        var refused = answers[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("アクセスが集中しています", html, StringComparison.Ordinal);
        Assert.Contains("Too many requests", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherClientAddress_HasItsOwnBudget_AndAForgedFirstEntryChangesNothing()
    {
        for (var i = 0; i < Budget; i++)
        {
            await FromAsync("203.0.113.9", "api/alumni/join?token=forged");
        }

        // The platform appends the address it saw: entries before it are the client's own and must not pick a partition.
        var spoofed = await FromAsync("198.51.100.1, 203.0.113.9", "api/alumni/join?token=forged");
        var withPort = await FromAsync("203.0.113.9:51234", "api/alumni/join?token=forged");
        var other = await FromAsync("198.51.100.20", "api/alumni/join?token=forged");

        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, withPort.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task GenuineLinks_AreCountedPerAlumnus_NotPerAddress()
    {
        var first = await app.SeedAsync("E9001", "first@example.net", "Hanako", "Yamada");
        var second = await app.SeedAsync("E9002", "second@example.net", "Taro", "Suzuki");
        for (var i = 0; i < Budget; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await FromAsync("203.0.113.9", app.JoinPath(first))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await FromAsync("203.0.113.9", app.JoinPath(first))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FromAsync("203.0.113.9", app.JoinPath(second))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FromAsync("203.0.113.9", app.PathFor(LinkPurpose.Preferences, second))).StatusCode);
    }

    [Fact]
    public async Task FormPosts_AreCountedPerAlumnus_FromTheFormsOwnAddress_WhileOneAlumnusHammeringIsStillLimited()
    {
        var first = await app.SeedAsync("E9011", "first@example.net", "Hanako", "Yamada");
        var second = await app.SeedAsync("E9012", "second@example.net", "Taro", "Suzuki");

        // Each alumnus opens their preferences page and posts the form it shows, all from one address (a company proxy,
        // or the platform's own hop): the first spends their budget (the page and two posts) and is refused, the second
        // still has theirs.
        var (firstAction, firstToken) = await PreferencesFormAsync(first);
        var firstPosts = new List<HttpStatusCode>();
        for (var i = 0; i < Budget; i++)
        {
            firstPosts.Add((await PostFromAsync("203.0.113.9", firstAction, firstToken)).StatusCode);
        }

        var (secondAction, secondToken) = await PreferencesFormAsync(second);
        var secondPost = await PostFromAsync("203.0.113.9", secondAction, secondToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], firstPosts);
        Assert.Equal(HttpStatusCode.OK, secondPost.StatusCode);
    }

    [Fact]
    public async Task AnotherAlumnusTokenInTheQuery_OnlyPicksTheBudget_TheFormsOwnTokenStillDecides()
    {
        var first = await app.SeedAsync("E9021", "first@example.net", "Hanako", "Yamada");
        var second = await app.SeedAsync("E9022", "second@example.net", "Taro", "Suzuki");
        var before = await app.CountAllRowsAsync();

        // The second alumnus's genuine token picks the budget; the form's own token is what the page acts on: the first
        // alumnus's save is made for the first alumnus, and a forged one is refused with nothing recorded.
        var forged = await PostFromAsync("203.0.113.9", app.PathFor(LinkPurpose.Preferences, second), "forged");
        var rows = await app.CountAllRowsAsync();
        var saved = await PostFromAsync("203.0.113.9", app.PathFor(LinkPurpose.Preferences, second), app.Token(LinkPurpose.Preferences, first));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(before, rows);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Hanako", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Taro", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedFormPost_RecordsNothing()
    {
        var id = await app.DepartAsync(locale: "en-US");
        for (var i = 0; i < Budget; i++)
        {
            await FromAsync("203.0.113.9", "api/alumni/join?token=forged");
        }

        var before = await app.CountAllRowsAsync();
        using var post = new HttpRequestMessage(HttpMethod.Post, "api/alumni/join")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", app.Token(LinkPurpose.Join, id)), KeyValuePair.Create("membership", "yes")]),
        };
        post.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var response = await app.Client.SendAsync(post);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task Admin_BeyondTheBudgetOfOneAdmin_Gets429ProblemWithRetryAfter_WhileAnotherAdminIsServed()
    {
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i <= Budget; i++)
        {
            answers.Add(await app.AdminAsync(HttpMethod.Get, "api/manage/alumni"));
        }

        var other = app.Token(d => d.Subject = new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("sub", "second-admin"), new System.Security.Claims.Claim("roles", "Alumni.Admin")]));

        Assert.All(answers.Take(Budget), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var refused = answers[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":429", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, "api/manage/alumni", other)).StatusCode);
    }

    [Fact]
    public async Task RefusedAdminChange_ChangesNothing()
    {
        var id = await app.SeedAsync("E9101", "limit@example.net", "花子", "山田");
        for (var i = 0; i < Budget; i++)
        {
            await app.AdminAsync(HttpMethod.Get, "api/manage/alumni");
        }

        var before = await app.RowsAsync(AlumniTables.Alumni);
        var audit = (await app.RowsAsync(AlumniTables.Audit)).Count;
        var response = await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id.Value}/flags", """{"doNotContact":true}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(before.Single().ETag, (await app.RowsAsync(AlumniTables.Alumni)).Single().ETag);
        Assert.Equal(audit, (await app.RowsAsync(AlumniTables.Audit)).Count);
    }

    [Fact]
    public async Task SignedWebhooks_AreNotLimited()
    {
        for (var i = 0; i < Budget * 2; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await app.PostSignedAsync(Departures.Body(employeeId: $"E95{i:00}", email: $"e95{i:00}@example.net"))).StatusCode);
        }
    }

    /// <summary>Opens the alumnus's preferences page and reads its form: the address it posts to, and the token it carries.</summary>
    private async Task<(string Action, string Token)> PreferencesFormAsync(AlumnusId id)
    {
        var page = await FromAsync("203.0.113.9", app.PathFor(LinkPurpose.Preferences, id));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(),
            """<form method="post" action="([^"]*)">\s*<input type="hidden" name="token" value="([^"]*)">""");
        Assert.True(form.Success, "the page shows no form");
        return (WebUtility.HtmlDecode(form.Groups[1].Value).TrimStart('/'), WebUtility.HtmlDecode(form.Groups[2].Value));
    }

    private async Task<HttpResponseMessage> PostFromAsync(string forwardedFor, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", token), KeyValuePair.Create("action", "save")]),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await app.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> FromAsync(string forwardedFor, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await app.Client.SendAsync(request);
    }
}
