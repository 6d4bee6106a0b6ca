using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Admin;

/// <summary>Every admin read or change of personal data leaves an audit entry naming the admin by subject id, and the log is queryable.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditLogFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] PersonalData =
        ["山田", "花子", "hanako.audit@example.net", "Suzuki", "Taro", "taro.audit@example.org", "E4001", "E4002", "Local admin"];

    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>Seeds two alumni and, as an admin, searches by name, reads one, changes its flags and exports all.</summary>
    private async Task<string> AdminSessionAsync()
    {
        var hanako = await app.SeedAsync("E4001", "hanako.audit@example.net", "花子", "山田");
        await app.SeedAsync("E4002", "taro.audit@example.org", "Taro", "Suzuki");
        await app.AdminSearchAsync("""{"q": "山田"}""");
        await app.AdminSearchAsync("""{"q": "taro.audit@example.org", "department": "Markets"}""");
        await app.AdminJsonAsync($"api/manage/alumni/{hanako}");
        (await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{hanako}/flags", """{"rehireEligible":false}""")).EnsureSuccessStatusCode();
        (await app.AdminAsync(HttpMethod.Get, "api/manage/alumni/export.csv")).EnsureSuccessStatusCode();
        return hanako.Value;
    }

    [Fact]
    public async Task AdminSession_LeavesOneEntryPerReadOrChangeNamingTheAdminBySubject()
    {
        var hanako = await AdminSessionAsync();

        var body = await app.AdminJsonAsync("api/manage/audit");

        var entries = body.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(
            [
                ("alumni.export.completed", "", "format=csv; rows=2"),
                ("alumni.export", "", "format=csv"),
                ("alumnus.flags.changed", hanako, "fields=rehireEligible"),
                ("alumnus.read", hanako, "view=details"),
                ("alumni.search", "", "filters=q,department; page=1; results=0"),
                ("alumni.search", "", "filters=q; page=1; results=1"),
            ],
            entries.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("subject").GetString(), e.GetProperty("detail").GetString())));
        Assert.All(entries, e => Assert.Equal(AdminApi.DevelopmentSubject, e.GetProperty("actor").GetString()));
        Assert.Equal(entries.Select(e => e.GetProperty("at").GetDateTimeOffset()).OrderDescending(), entries.Select(e => e.GetProperty("at").GetDateTimeOffset()));
    }

    [Fact]
    public async Task AuditRows_HoldNoPersonalData()
    {
        await AdminSessionAsync();
        await app.AdminJsonAsync("api/manage/audit");

        var rows = await app.RowsAsync(AlumniTables.Audit);

        Assert.Equal(7, rows.Count);
        var stored = rows.SelectMany(r => ((IDictionary<string, object>)r).Values.OfType<string>()).ToArray();
        Assert.All(PersonalData, personal => Assert.DoesNotContain(stored, value => value.Contains(personal, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task ReadingTheLog_IsAuditedToo()
    {
        await AdminSessionAsync();

        var first = await app.AdminJsonAsync("api/manage/audit?limit=1000");
        var second = await app.AdminJsonAsync("api/manage/audit?limit=1");

        Assert.DoesNotContain(first.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "audit.read");
        var latest = Assert.Single(second.GetProperty("entries").EnumerateArray());
        Assert.Equal(("audit.read", "filters=none; results=6"), (latest.GetProperty("action").GetString(), latest.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Range_SelectsEntriesBetweenFromAndTo()
    {
        await AdminSessionAsync();
        var tomorrow = TimeProvider.System.GetUtcNow().AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var future = await app.AdminJsonAsync($"api/manage/audit?from={tomorrow}&to={tomorrow}T23:59:59Z");
        var recent = await app.AdminJsonAsync($"api/manage/audit?from={Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddHours(-1).ToString("O"))}");

        Assert.Equal(0, future.GetProperty("entries").GetArrayLength());
        Assert.Equal(7, recent.GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task MoreEntriesThanTheLimit_AreReadPageByPage_EachOnceAndNoneMissing()
    {
        var audit = app.Services.GetRequiredService<Core.Audit.IAuditLog>();
        var day = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        // Three days' partitions, and three entries in one tick: pages must cross days and split ties.
        DateTimeOffset[] instants = [day, day, day, day.AddHours(-30), day.AddDays(-2), day.AddDays(-2).AddMinutes(-1), day.AddDays(-2).AddMinutes(-2)];
        for (var i = 0; i < instants.Length; i++)
        {
            await audit.WriteAsync(new Core.Audit.AuditEntry(instants[i], "paging-admin", "alumnus.read", "", $"n={i}"), CancellationToken.None);
        }

        var read = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var body = await app.AdminJsonAsync($"api/manage/audit?from=2026-06-01&to=2026-06-30&limit=2{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            pages++;
            read.AddRange(body.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("detail").GetString()!));
            cursor = body.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(4, pages);
        Assert.Equal(instants.Select((_, i) => $"n={i}").Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
        Assert.Equal(["n=3", "n=4", "n=5", "n=6"], read[3..]);
    }

    [Theory]
    [InlineData("cursor=garbled", "cursor")]
    [InlineData("cursor=MDYzOTAwMTIzNDU2Nzg5MDAwMC4wMTIz", "cursor")]
    [InlineData("cursor=MDYzOTAwMTIzNDU2Nzg5MDAwMC4wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg", "cursor")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-02-30", "to")]
    [InlineData("from=2026-12-05&to=2026-12-01", "from")]
    [InlineData("from=2020-01-01&to=2026-12-01", "from")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=all", "limit")]
    public async Task BadQuery_Returns400NamingTheParameterAndWritesNothing(string query, string parameter)
    {
        await app.SeedAsync("E4003", "bad.audit@example.net", "花子", "山田");
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(HttpMethod.Get, $"api/manage/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(parameter, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }
}
