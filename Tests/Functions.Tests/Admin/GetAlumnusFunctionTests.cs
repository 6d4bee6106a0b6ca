using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Tests.Admin;

[Collection(AzuriteCollection.Name)]
public sealed class GetAlumnusFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private string Token(params string[] roles)
    {
        var options = app.Services.GetRequiredService<IConfiguration>().GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>()!;
        return DevelopmentAdminToken.Create(options, roles, TimeProvider.System);
    }

    private async Task<HttpResponseMessage> GetAsync(string id, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/manage/alumni/{id}");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await app.Client.SendAsync(request);
    }

    [Fact]
    public async Task AdminToken_ReadsTheAlumnusIncludingHrOnlyFlags()
    {
        var created = await app.PostSignedAsync(Departures.Body());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!;

        var response = await GetAsync(id, Token("Alumni.Admin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("山田", body.GetProperty("familyName").GetString());
        Assert.True(body.GetProperty("rehireEligible").GetBoolean());
        Assert.Equal("Departed", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task NoToken_Returns401() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("0".PadRight(32, '0'), null)).StatusCode);

    [Fact]
    public async Task TokenSignedWithAnotherKey_Returns401()
    {
        var forged = DevelopmentAdminToken.Create(
            new AdminAuthOptions { Audience = "api://alumni-network-local", DevelopmentSigningKey = Convert.ToBase64String(new byte[64]) },
            ["Alumni.Admin"], TimeProvider.System);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("0".PadRight(32, '0'), forged)).StatusCode);
    }

    [Fact]
    public async Task TokenWithoutAdminRole_Returns403() =>
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("0".PadRight(32, '0'), Token("Alumni.Reader"))).StatusCode);

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("not-an-id")]
    public async Task UnknownId_Returns404(string id) =>
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(id, Token("Alumni.Admin"))).StatusCode);

    [Fact]
    public async Task AdminToken_ReadsCurrentConsentOutreachDecisionsOfTheLastYearAndDoNotContact()
    {
        var id = await app.SeedAsync("E8001", "details@example.net", "花子", "山田");
        var now = TimeProvider.System.GetUtcNow();
        var ledger = app.Services.GetRequiredService<IConsentLedger>();
        await ledger.AppendAsync(new ConsentRecord(id, ConsentPurpose.Newsletter, true, now.AddDays(-3), ConsentMethod.Link, "test-1"), CancellationToken.None);
        await ledger.AppendAsync(new ConsentRecord(id, ConsentPurpose.Events, true, now.AddDays(-3), ConsentMethod.Link, "test-1"), CancellationToken.None);
        await ledger.AppendAsync(new ConsentRecord(id, ConsentPurpose.Events, false, now.AddDays(-1), ConsentMethod.Link, "test-1"), CancellationToken.None);
        var outreach = app.Services.GetRequiredService<IOutreachLog>();
        await outreach.RecordAsync(new OutreachDecision(id, "newsletter-recent", ConsentPurpose.Newsletter, true, false, "quiet-period", now.AddDays(-2)), CancellationToken.None);
        await outreach.RecordAsync(new OutreachDecision(id, "welcome", null, false, true, "transactional", now.AddDays(-30)), CancellationToken.None);
        await outreach.RecordAsync(new OutreachDecision(id, "newsletter-old", ConsentPurpose.Newsletter, true, true, "consented", now.AddDays(-400)), CancellationToken.None);

        var body = await app.AdminJsonAsync($"api/manage/alumni/{id}");

        Assert.False(body.GetProperty("doNotContact").GetBoolean());
        Assert.Equal(3, body.GetProperty("consents").GetArrayLength());
        var current = body.GetProperty("currentConsent").EnumerateArray().ToDictionary(c => c.GetProperty("purpose").GetString()!, c => c.GetProperty("granted").GetBoolean());
        Assert.Equal(ConsentPurposes.All.Count, current.Count);
        Assert.True(current["Newsletter"]);
        Assert.False(current["Events"]);
        Assert.False(current["NetworkMembership"]);
        var decisions = body.GetProperty("outreachDecisions").EnumerateArray().ToArray();
        Assert.Equal(["newsletter-recent", "welcome"], decisions.Select(d => d.GetProperty("campaign").GetString()));
        Assert.Equal("Newsletter", decisions[0].GetProperty("purpose").GetString());
        Assert.False(decisions[0].GetProperty("allowed").GetBoolean());
        Assert.Equal("quiet-period", decisions[0].GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, decisions[1].GetProperty("purpose").ValueKind);
        Assert.True(decisions[1].TryGetProperty("at", out _));
    }

    [Fact]
    public async Task Read_IsAuditedWithTheAdminsSubjectAndTheAlumnusIdOnly()
    {
        var id = await app.SeedAsync("E8002", "audited@example.net", "花子", "山田");

        await app.AdminJsonAsync($"api/manage/alumni/{id}");

        var row = Assert.Single(await app.RowsAsync(AlumniTables.Audit));
        Assert.Equal((AdminApi.DevelopmentSubject, "alumnus.read", id.Value, "view=details"),
            (row.GetString("Actor"), row.GetString("Action"), row.GetString("Subject"), row.GetString("Detail")));
    }

    /// <summary>A problem body without its trace id, which differs on every request.</summary>
    private static string WithoutTraceId(string problem)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(problem)!;
        Assert.True(fields.Remove("traceId"));
        return JsonSerializer.Serialize(fields);
    }

    [Fact]
    public async Task PersonWhoseErasureIsUnderWay_Returns404AsForAnErasedPerson_WithNoPersonalData_AndIsNotAudited()
    {
        var id = await app.SeedAsync("E8003", "half-erased@example.net", "花子", "山田");
        await app.StopErasureAfterItsFirstWriteAsync(id);
        var erased = await app.SeedAsync("E8004", "erased@example.net", "太郎", "佐藤");
        var store = app.Services.GetRequiredService<IAlumniStore>();
        await store.EraseAsync((await store.GetAsync(erased, CancellationToken.None))!, CancellationToken.None);
        var before = await app.SnapshotAsync();

        var halfErased = await GetAsync(id.Value, Token("Alumni.Admin"));
        var gone = await GetAsync(erased.Value, Token("Alumni.Admin"));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (halfErased.StatusCode, gone.StatusCode));
        var body = await halfErased.Content.ReadAsStringAsync();
        Assert.Equal(WithoutTraceId(await gone.Content.ReadAsStringAsync()), WithoutTraceId(body));
        Assert.DoesNotContain("half-erased", body, StringComparison.Ordinal);
        Assert.DoesNotContain("山田", body, StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Empty(await app.RowsAsync(AlumniTables.Audit));
    }

    [Fact]
    public async Task UnknownId_IsNotAudited()
    {
        await GetAsync("0".PadRight(32, '0'), Token("Alumni.Admin"));

        Assert.Empty(await app.RowsAsync(AlumniTables.Audit));
    }
}
