using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Admin;

/// <summary>
/// Admin search: the criteria in the body of <c>POST /api/manage/alumni/search</c>, because search text is a name or an
/// email address and the Functions host records every URL (ADR 0005); <c>GET /api/manage/alumni</c> keeps the filters
/// that are not personal and refuses <c>q</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SearchAlumniFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Search = "api/manage/alumni/search";

    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>Three alumni: 山田 花子 (Retail Banking, departed), Taro Suzuki (Markets, invited, newsletter), 佐藤 次郎 (Markets, joined).</summary>
    private async Task SeedAsync()
    {
        await app.SeedAsync("E9001", "hanako.yamada@example.net", "花子", "山田", "Retail Banking");
        var taro = await app.SeedAsync("E9002", "taro.suzuki@example.jp", "Taro", "Suzuki", "Markets");
        var jiro = await app.SeedAsync("E9003", "jiro.sato@example.org", "次郎", "佐藤", "Markets");
        await app.SetStatusAsync(taro, AlumnusStatus.Invited);
        await app.SetStatusAsync(jiro, AlumnusStatus.Joined);
        await app.Services.GetRequiredService<IConsentLedger>().AppendAsync(
            new ConsentRecord(taro, ConsentPurpose.Newsletter, true, TimeProvider.System.GetUtcNow(), ConsentMethod.Link, "test-1"), CancellationToken.None);
    }

    private static List<string?> EmployeeIds(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("employeeId").GetString()).Order()];

    public static TheoryData<string, string[]> Searches => new()
    {
        { "{}", ["E9001", "E9002", "E9003"] },
        { """{"q": "山田"}""", ["E9001"] },
        { """{"q": "山田 花子"}""", ["E9001"] },
        { """{"q": "花子"}""", ["E9001"] },
        { """{"q": "佐藤次郎"}""", ["E9003"] },
        { """{"q": "SUZUKI"}""", ["E9002"] },
        { """{"q": "HANAKO.YAMADA@EXAMPLE.NET"}""", ["E9001"] },
        { """{"q": "example.org"}""", ["E9003"] },
        { """{"q": "nobody"}""", [] },
        { """{"q": null, "department": "Markets"}""", ["E9002", "E9003"] },
        { """{"department": "Retail Banking"}""", ["E9001"] },
        { """{"status": "Departed"}""", ["E9001"] },
        { """{"status": "invited"}""", ["E9002"] },
        { """{"status": "Joined"}""", ["E9003"] },
        { """{"consent": "Newsletter"}""", ["E9002"] },
        { """{"consent": "Events"}""", [] },
        { """{"department": "Markets", "status": "Joined"}""", ["E9003"] },
        { """{"q": "example", "department": "Markets", "consent": "newsletter", "page": 1}""", ["E9002"] },
    };

    [Theory]
    [MemberData(nameof(Searches))]
    public async Task Search_FiltersByNameEmailDepartmentStatusAndConsent(string criteria, string[] employeeIds)
    {
        await SeedAsync();

        var body = await app.AdminSearchAsync(criteria);

        Assert.Equal(employeeIds, EmployeeIds(body));
        Assert.Equal(1, body.GetProperty("page").GetInt32());
        Assert.Equal(100, body.GetProperty("pageSize").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("nextPage").ValueKind);
    }

    /// <summary>Filters that are not personal data still work in the query string, with the same answer as the body.</summary>
    [Theory]
    [InlineData("", "{}")]
    [InlineData("department=Markets", """{"department": "Markets"}""")]
    [InlineData("status=invited", """{"status": "invited"}""")]
    [InlineData("department=Markets&status=Joined&consent=Events&page=1", """{"department": "Markets", "status": "Joined", "consent": "Events", "page": 1}""")]
    public async Task GetWithoutText_AnswersAsThePostedSearch(string query, string criteria)
    {
        await SeedAsync();

        var viaGet = await app.AdminJsonAsync($"api/manage/alumni?{query}");
        var viaPost = await app.AdminSearchAsync(criteria);

        Assert.Equal(viaPost.GetRawText(), viaGet.GetRawText());
    }

    [Theory]
    [InlineData("GET", "api/manage/alumni?q=hanako")]
    [InlineData("GET", "api/manage/alumni?department=Markets&q=%E5%B1%B1%E7%94%B0")]
    [InlineData("GET", "api/manage/alumni?q=")]
    [InlineData("GET", "api/manage/alumni?Q=hanako.yamada%40example.net")]
    [InlineData("POST", "api/manage/alumni/search?q=hanako")]
    public async Task TextInTheUrl_Returns400NamingQAndTheRule_AndAuditsNothing(string method, string path)
    {
        await SeedAsync();
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(new HttpMethod(method), path, method == "GET" ? null : "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("q", error.GetProperty("field").GetString());
        Assert.Contains("body of POST /api/manage/alumni/search", error.GetProperty("rule").GetString(), StringComparison.Ordinal);
        Assert.Empty(await app.RowsAsync(AlumniTables.Audit));
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task Result_CarriesEnoughToPickThePerson()
    {
        await SeedAsync();

        var item = Assert.Single((await app.AdminSearchAsync("""{"q": "山田"}""")).GetProperty("items").EnumerateArray());

        Assert.Equal("山田", item.GetProperty("familyName").GetString());
        Assert.Equal("花子", item.GetProperty("givenName").GetString());
        Assert.Equal("hanako.yamada@example.net", item.GetProperty("personalEmail").GetString());
        Assert.Equal("Departed", item.GetProperty("status").GetString());
        Assert.True(AlumnusId.TryParse(item.GetProperty("id").GetString(), out _));
    }

    [Theory]
    [InlineData("""{"status": "Erased"}""", "status")]
    [InlineData("""{"status": "1"}""", "status")]
    [InlineData("""{"status": 1}""", "status")]
    [InlineData("""{"consent": "Spam"}""", "consent")]
    [InlineData("""{"page": 0}""", "page")]
    [InlineData("""{"page": -3}""", "page")]
    [InlineData("""{"page": "abc"}""", "page")]
    [InlineData("""{"page": "2"}""", "page")]
    [InlineData("""{"page": 1.5}""", "page")]
    [InlineData("""{"page": 10001}""", "page")]
    [InlineData("""{"q": 7}""", "q")]
    [InlineData("""{"q": ["山田"]}""", "q")]
    [InlineData("""{"department": {}}""", "department")]
    [InlineData("""{"email": "hanako.yamada@example.net"}""", "$")]
    [InlineData("""{"q": "a", "q": "b"}""", "q")]
    [InlineData("""[]""", "$")]
    [InlineData("""{"q": """, "$")]
    public async Task BadBody_Returns400NamingTheFieldAndChangesNothing(string criteria, string field)
    {
        await SeedAsync();
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(HttpMethod.Post, Search, criteria);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Theory]
    [InlineData("status=Erased", "status")]
    [InlineData("consent=Spam", "consent")]
    [InlineData("page=0", "page")]
    [InlineData("page=1.5", "page")]
    public async Task BadQueryValue_Returns400NamingTheParameterAndChangesNothing(string query, string parameter)
    {
        await SeedAsync();
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(HttpMethod.Get, $"api/manage/alumni?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(parameter, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Theory]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task BodyNotJson_IsRefusedAndChangesNothing(string contentType, HttpStatusCode status)
    {
        await SeedAsync();
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(HttpMethod.Post, Search, """{"q": "山田"}""", contentType);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task BadValue_IsNotEchoed()
    {
        var response = await app.AdminAsync(HttpMethod.Post, Search, """{"status": "山田花子", "consent": "<script>"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("山田花子", text, StringComparison.Ordinal);
        Assert.DoesNotContain("script", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_IsAuditedWithTheAdminsSubjectAndNoSearchText()
    {
        await SeedAsync();

        await app.AdminSearchAsync("""{"q": "山田", "status": "Departed"}""");

        var row = Assert.Single(await app.RowsAsync(AlumniTables.Audit));
        Assert.Equal(AdminApi.DevelopmentSubject, row.GetString("Actor"));
        Assert.Equal("alumni.search", row.GetString("Action"));
        Assert.Equal("", row.GetString("Subject"));
        Assert.Equal("filters=q,status; page=1; results=1", row.GetString("Detail"));
    }

    /// <summary>
    /// Entra's <c>sub</c> is pairwise per app registration and names nobody in the directory; <c>oid</c> is the admin's
    /// object id across the tenant, so the audit log names them by it when the token has one (ADR 0005).
    /// </summary>
    [Fact]
    public async Task Search_ByATokenWithAnObjectId_IsAuditedUnderTheObjectIdNotTheSubject()
    {
        const string objectId = "8f14e45f-ceea-467f-a0e6-7a1a8d5c1b2e";
        await SeedAsync();
        var token = app.Token(d => d.Subject.AddClaim(new System.Security.Claims.Claim("oid", objectId)));

        var response = await app.SendAsync(HttpMethod.Post, Search, token, """{"status": "Departed"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Audit));
        Assert.Equal(objectId, row.GetString("Actor"));
    }

    [Fact]
    public async Task Search_RecordsWhomItReturned_InEachPersonsAuditTrail()
    {
        await SeedAsync();
        var ids = (await app.RowsAsync(AlumniTables.Alumni)).ToDictionary(r => r.GetString("EmployeeId"), r => AlumnusId.Parse(r.RowKey));
        var audit = app.Services.GetRequiredService<Core.Audit.IAuditLog>();

        var response = await app.AdminAsync(HttpMethod.Post, Search, """{"department": "Markets"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var returned in new[] { "E9002", "E9003" })
        {
            var entry = Assert.Single(await audit.AboutAsync(ids[returned], CancellationToken.None));
            Assert.Equal(("alumni.search", AdminApi.DevelopmentSubject, ids[returned].Value), (entry.Action, entry.Actor, entry.Subject));
            Assert.Equal("filters=department; page=1; results=2", entry.Detail);
        }

        Assert.Empty(await audit.AboutAsync(ids["E9001"], CancellationToken.None));
        Assert.All(await app.RowsAsync(AlumniTables.AuditSubjects), row => Assert.DoesNotContain("Markets", string.Join('|', row.Select(p => p.Value)), StringComparison.Ordinal));
    }
}
