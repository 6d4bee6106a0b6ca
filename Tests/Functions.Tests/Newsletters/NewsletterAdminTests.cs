using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Newsletters;

/// <summary>News items, the newsletter preview and the test send, through the admin API.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NewsletterAdminTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    internal const string Item = """
        {"titleJa": "新年交流会のお知らせ", "titleEn": "New Year meetup", "bodyJa": "1月20日に東京で開催します。", "bodyEn": "Tokyo, 20 January.",
         "link": "https://alumni.example.com/news/1", "publishFrom": "2026-11-01T00:00:00+09:00"}
        """;

    [Fact]
    public async Task CreatedItem_IsListedAndShownInThePreviewInBothLanguages()
    {
        var created = await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var listed = Assert.Single((await app.AdminJsonAsync("api/manage/news")).EnumerateArray());
        Assert.Equal("New Year meetup", listed.GetProperty("titleEn").GetString());
        var ja = await (await app.AdminAsync(HttpMethod.Get, "api/manage/newsletter/preview?locale=ja-JP")).Content.ReadAsStringAsync();
        var en = await (await app.AdminAsync(HttpMethod.Get, "api/manage/newsletter/preview?locale=en-US")).Content.ReadAsStringAsync();
        Assert.Contains("新年交流会のお知らせ", ja, StringComparison.Ordinal);
        Assert.Contains("見本 花子 様", ja, StringComparison.Ordinal);
        Assert.Contains("New Year meetup", en, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe (refuse further emails)", en, StringComparison.Ordinal);
        Assert.Equal("news.created", Assert.Single(await app.RowsAsync(AlumniTables.Audit)).GetString("Action"));
    }

    private static async Task<string?> FieldAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString();

    [Fact]
    public async Task CreateRepeatedWithItsKey_IsOneItem_AnsweredWithIt_AndAnotherBodyOrABadKeyChangesNothing()
    {
        var first = await app.AdminCreateAsync("api/manage/news", Item, "retry-1");
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var before = await app.SnapshotAsync();

        var again = await app.AdminCreateAsync("api/manage/news", Item, "retry-1");
        var other = await app.AdminCreateAsync("api/manage/news", Item.Replace("New Year meetup", "Spring meetup", StringComparison.Ordinal), "retry-1");
        var bad = await app.AdminCreateAsync("api/manage/news", Item, "retry 1");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.BadRequest),
            (first.StatusCode, again.StatusCode, other.StatusCode, bad.StatusCode));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal((Core.Admin.IdempotencyKey.Header, Core.Admin.IdempotencyKey.Header), (await FieldAsync(other), await FieldAsync(bad)));
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal("news.created", Assert.Single(await app.RowsAsync(AlumniTables.Audit)).GetString("Action"));
    }

    [Fact]
    public async Task TestSend_MailsThePreviewToOneAddressMarkedAsATest()
    {
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);

        var sent = await app.AdminAsync(HttpMethod.Post, "api/manage/newsletter/test", """{"email": "editor@example.com", "locale": "en-US"}""");

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var mail = Assert.Single(await app.OutboxAsync());
        Assert.Equal(["editor@example.com"], mail.To);
        Assert.StartsWith("[TEST] ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("New Year meetup", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestSendRepeatedWithItsKey_MailsOnce_AnsweredAsTheFirst_AndAnotherBodyOrABadKeySendsNothing()
    {
        const string Test = """{"email": "editor@example.com", "locale": "en-US"}""";
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);

        var first = await app.AdminCreateAsync("api/manage/newsletter/test", Test, "test-1");
        var before = await app.SnapshotAsync();
        var again = await app.AdminCreateAsync("api/manage/newsletter/test", Test, "test-1");
        var other = await app.AdminCreateAsync("api/manage/newsletter/test", Test.Replace("en-US", "ja-JP", StringComparison.Ordinal), "test-1");
        var bad = await app.AdminCreateAsync("api/manage/newsletter/test", Test, "test 1");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Conflict, HttpStatusCode.BadRequest),
            (first.StatusCode, again.StatusCode, other.StatusCode, bad.StatusCode));
        Assert.Equal((Core.Admin.IdempotencyKey.Header, Core.Admin.IdempotencyKey.Header), (await FieldAsync(other), await FieldAsync(bad)));
        Assert.Single(await app.OutboxAsync());
        Assert.Equal(before, await app.SnapshotAsync());
        var entries = (await app.RowsAsync(AlumniTables.Audit)).Where(r => (r.GetString("Action") ?? "").StartsWith("newsletter.test", StringComparison.Ordinal)).ToArray();
        Assert.Equal([Core.Newsletters.SendNewsletterTest.TestRequested, Core.Newsletters.SendNewsletterTest.TestSent], entries.Select(r => r.GetString("Action")).Order());
        Assert.All(entries, r => Assert.Contains("; key=test-1", r.GetString("Detail"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task TestSend_CarriesNoUnsubscribeHeaderForTheSampleMember()
    {
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);

        await app.AdminAsync(HttpMethod.Post, "api/manage/newsletter/test", """{"email": "editor@example.com", "locale": "ja-JP"}""");

        var mail = Assert.Single(await app.OutboxAsync());
        Assert.DoesNotContain(mail.Headers.Keys, k => k.StartsWith("List-Unsubscribe", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TestSend_IsAuditedBeforeAndAfter_NamingTheAddressByItsPseudonymOnly()
    {
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);
        var pseudonym = app.Services.GetRequiredService<Core.Privacy.Pseudonyms>().Of("work-email", "editor@example.com");

        await app.AdminAsync(HttpMethod.Post, "api/manage/newsletter/test", """{"email": "Editor@example.com", "locale": "en-US"}""");

        var entries = (await app.RowsAsync(AlumniTables.Audit)).Where(r => (r.GetString("Action") ?? "").StartsWith("newsletter.test", StringComparison.Ordinal))
            .OrderBy(r => r.GetString("Action") == Core.Newsletters.SendNewsletterTest.TestSent).ToArray();
        Assert.Equal([Core.Newsletters.SendNewsletterTest.TestRequested, Core.Newsletters.SendNewsletterTest.TestSent], entries.Select(r => r.GetString("Action")));
        Assert.All(entries, r =>
        {
            Assert.StartsWith($"to={pseudonym}; locale=en-US", r.GetString("Detail"), StringComparison.Ordinal);
            Assert.DoesNotContain("editor", r.GetString("Detail"), StringComparison.OrdinalIgnoreCase);
        });
        Assert.Contains("; message=", entries[1].GetString("Detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("editor@gmail.com")]
    [InlineData("hanako@example.net")]
    [InlineData("editor@example.com.evil.example")]
    public async Task TestSendOutsideTheCompanysDomains_Gets400NamingTheField_AndNothingIsSentOrStored(string address)
    {
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/newsletter/test", $$"""{"email": "{{address}}", "locale": "ja-JP"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("email", error.GetProperty("field").GetString());
        Assert.Contains("company's mail domains (example.com", error.GetProperty("rule").GetString(), StringComparison.Ordinal);
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task TestSendToASuppressedAddress_Gets400NamingTheField_AndNothingIsSentOrStored()
    {
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);
        await app.Services.GetRequiredService<Core.Outreach.ISuppressionList>().AddAsync(
            new Core.Outreach.Suppression(Core.Alumni.EmailAddress.Parse("bounced@example.com"), Core.Outreach.SuppressionReason.Bounce, DateTimeOffset.UnixEpoch), CancellationToken.None);
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/newsletter/test", """{"email": "Bounced@example.com", "locale": "ja-JP"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal(("email", true), (error.GetProperty("field").GetString(), error.GetProperty("rule").GetString()!.Contains("suppression list", StringComparison.Ordinal)));
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task ReplacedAndDeletedItems_ChangeWhatIsListed()
    {
        var id = (await (await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var replaced = await app.AdminAsync(HttpMethod.Put, $"api/manage/news/{id}", Item.Replace("New Year meetup", "Spring meetup", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("Spring meetup", Assert.Single((await app.AdminJsonAsync("api/manage/news")).EnumerateArray()).GetProperty("titleEn").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await app.AdminAsync(HttpMethod.Delete, $"api/manage/news/{id}")).StatusCode);
        Assert.Empty((await app.AdminJsonAsync("api/manage/news")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await app.AdminAsync(HttpMethod.Delete, $"api/manage/news/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.AdminAsync(HttpMethod.Put, "api/manage/news/unknown", Item)).StatusCode);
    }

    [Fact]
    public async Task OneItem_IsReadWithTheETagItsCreateAnswered_AndAnUnknownIdIs404()
    {
        var created = await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var before = await app.SnapshotAsync();

        var read = await app.AdminAsync(HttpMethod.Get, $"api/manage/news/{id}");
        var unknown = await app.AdminAsync(HttpMethod.Get, $"api/manage/news/{new string('0', 32)}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        Assert.Equal("New Year meetup", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("titleEn").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Null(unknown.Headers.ETag);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    public static TheoryData<string, string> BadItems => new()
    {
        { "{}", "titleJa" },
        { Item.Replace("\"titleEn\": \"New Year meetup\"", "\"titleEn\": \"\"", StringComparison.Ordinal), "titleEn" },
        { Item.Replace("https://alumni.example.com/news/1", "javascript:alert(1)", StringComparison.Ordinal), "link" },
        { Item.Replace("https://alumni.example.com/news/1", "https://alumni.example.com/" + new string('会', 100), StringComparison.Ordinal), "link" },
        { Item.Replace("2026-11-01T00:00:00+09:00", "2026-11-01", StringComparison.Ordinal), "publishFrom" },
        { Item.Replace("2026-11-01T00:00:00+09:00", "9999-12-31T23:59:59+00:00", StringComparison.Ordinal), "publishFrom" },
        { Item.Replace("}", ", \"publishUntil\": \"2026-10-01T00:00:00+09:00\"}", StringComparison.Ordinal), "publishUntil" },
        { Item.Replace("}", ", \"priority\": 1}", StringComparison.Ordinal), "$" },
        { Item.Replace("\"bodyEn\": \"Tokyo, 20 January.\"", "\"bodyEn\": \"x\", \"bodyEn\": \"y\"", StringComparison.Ordinal), "bodyEn" },
        { "[1]", "$" },
        { "not json", "$" },
        { Item.Replace("新年交流会のお知らせ", "新年\\u0000交流会", StringComparison.Ordinal), "titleJa" },
        { Item.Replace("New Year meetup", "New Year \\u001b[31mmeetup", StringComparison.Ordinal), "titleEn" },
        { Item.Replace("新年交流会のお知らせ", "新年交流会\\nのお知らせ", StringComparison.Ordinal), "titleJa" },
        { Item.Replace("New Year meetup", "New Year\\n\\n■ Open positions", StringComparison.Ordinal), "titleEn" },
        { Item.Replace("New Year meetup", "New Year \\u202Eputeem", StringComparison.Ordinal), "titleEn" },
        { Item.Replace("1月20日に東京で開催します。", "1月20日\\u0007に東京で開催します。", StringComparison.Ordinal), "bodyJa" },
        { Item.Replace("Tokyo, 20 January.", "Tokyo,\\u0085 20 January.", StringComparison.Ordinal), "bodyEn" },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task BadItem_Gets400NamingTheFieldAndStoresNothing(string body, string field)
    {
        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/news", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(errors.EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task BadReplacement_Gets400NamingTheField_AndTheItemAndAuditAreUnchanged(string body, string field)
    {
        var id = (await (await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/news/{id}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(errors.EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal("New Year meetup", Assert.Single((await app.AdminJsonAsync("api/manage/news")).EnumerateArray()).GetProperty("titleEn").GetString());
    }

    [Fact]
    public async Task LineBreaksAndTabsInABody_AreKept()
    {
        var body = Item.Replace("1月20日に東京で開催します。", "1月20日に東京で開催します。\\n\\t会場: 本社", StringComparison.Ordinal);

        var created = await app.AdminAsync(HttpMethod.Post, "api/manage/news", body);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1月20日に東京で開催します。\n\t会場: 本社", Assert.Single((await app.AdminJsonAsync("api/manage/news")).EnumerateArray()).GetProperty("bodyJa").GetString());
    }

    /// <summary>Ids Table Storage itself refuses as keys (too long, <c>\ # ?</c>, control characters): never looked up.</summary>
    public static TheoryData<string, string> BadIds => new()
    {
        { "GET", "api/manage/news/{0}" },
        { "PUT", "api/manage/news/{0}" },
        { "DELETE", "api/manage/news/{0}" },
        { "GET", "api/manage/campaigns/{0}" },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task IdsStorageCannotHold_Get404Problems_NeverA500_AndChangeNothing(string method, string path)
    {
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", Item);
        var before = await app.SnapshotAsync();

        foreach (var id in new[] { new string('a', 1100), "a%5Cb", "a%23b", "a%3Fb", "a%01b", "a%7Fb", Guid.NewGuid().ToString("N").ToUpperInvariant() })
        {
            var response = await app.AdminAsync(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, id), method == "PUT" ? Item : null);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {id}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData("POST", "api/manage/news")]
    [InlineData("GET", "api/manage/news")]
    [InlineData("GET", "api/manage/news/0123456789abcdef0123456789abcdef")]
    [InlineData("GET", "api/manage/newsletter/preview")]
    [InlineData("POST", "api/manage/newsletter/test")]
    public async Task WithoutAnAdminToken_Is401AndChangesNothing(string method, string path)
    {
        var response = await app.SendAsync(new HttpMethod(method), path, token: null, json: Item);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await app.CountAllRowsAsync());
        Assert.Empty(await app.OutboxAsync());
    }

    [Theory]
    [InlineData("""{"email": "not-an-address", "locale": "en-US"}""", "email")]
    [InlineData("""{"email": "editor@example.com", "locale": "fr-FR"}""", "locale")]
    public async Task BadTestSend_Gets400AndSendsNothing(string body, string field)
    {
        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/newsletter/test", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Empty(await app.OutboxAsync());
    }
}
