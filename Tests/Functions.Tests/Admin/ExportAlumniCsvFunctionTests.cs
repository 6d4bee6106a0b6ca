using System.Net;
using System.Text;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Admin;

[Collection(AzuriteCollection.Name)]
public sealed class ExportAlumniCsvFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Export_IsAUtf8CsvAttachmentWithBomHeaderAndEscapedRows()
    {
        var hanako = await app.SeedAsync("E5001", "hanako.export@example.net", "花子", "山田");
        var hostile = await app.SeedAsync("E5002", "hostile@example.net", "Smith, \"Jr\"", "=1+2", "@Ops");
        await app.Services.GetRequiredService<IConsentLedger>().AppendAsync(
            new ConsentRecord(hanako, ConsentPurpose.Newsletter, true, TimeProvider.System.GetUtcNow(), ConsentMethod.Link, "test-1"), CancellationToken.None);

        var response = await app.AdminAsync(HttpMethod.Get, "api/manage/alumni/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Matches(@"^alumni-\d{8}\.csv$", response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal(
            "id,employeeId,familyName,givenName,personalEmail,department,jobTitle,hireDate,lastWorkingDay,reason,rehireEligible,doNotContact,locale,status,recordedAt,invitedAt,joinedAt,consents",
            lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        var hanakoRow = Assert.Single(lines, l => l.StartsWith(hanako.Value, StringComparison.Ordinal));
        Assert.StartsWith($"{hanako},E5001,山田,花子,hanako.export@example.net,Retail Banking,Analyst,2018-04-01,2026-11-30,Voluntary,true,false,ja-JP,Departed,", hanakoRow, StringComparison.Ordinal);
        Assert.EndsWith(",,,Newsletter", hanakoRow, StringComparison.Ordinal);
        var hostileRow = Assert.Single(lines, l => l.StartsWith(hostile.Value, StringComparison.Ordinal));
        Assert.StartsWith($"{hostile},E5002,'=1+2,\"Smith, \"\"Jr\"\"\",hostile@example.net,'@Ops,", hostileRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportRoute_IsNotTakenForAnAlumnusId()
    {
        var response = await app.AdminAsync(HttpMethod.Get, "api/manage/alumni/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Export_IsAuditedBeforeAndAfterWithTheRowCountAndNoPersonalData()
    {
        await app.SeedAsync("E5003", "audit.export@example.net", "花子", "山田");
        await app.SeedAsync("E5004", "audit.export2@example.net", "Taro", "Suzuki");

        (await app.AdminAsync(HttpMethod.Get, "api/manage/alumni/export.csv")).EnsureSuccessStatusCode();

        var rows = (await app.RowsAsync(AlumniTables.Audit)).OrderBy(r => r.GetString("Action"), StringComparer.Ordinal).ToArray();
        Assert.Equal(
            [("alumni.export", "format=csv"), ("alumni.export.completed", "format=csv; rows=2")],
            rows.Select(r => (r.GetString("Action"), r.GetString("Detail"))));
        Assert.All(rows, r => Assert.Equal(AdminApi.DevelopmentSubject, r.GetString("Actor")));
        Assert.All(rows, r => Assert.Equal("", r.GetString("Subject")));
    }

    [Fact]
    public async Task Export_RecordsEveryExportedAlumnus_InTheirAuditTrail()
    {
        var hanako = await app.SeedAsync("E5101", "hanako.trail@example.net", "花子", "山田");
        var taro = await app.SeedAsync("E5102", "taro.trail@example.net", "Taro", "Suzuki");
        var audit = app.Services.GetRequiredService<Core.Audit.IAuditLog>();

        var response = await app.AdminAsync(HttpMethod.Get, "api/manage/alumni/export.csv");
        await response.Content.ReadAsByteArrayAsync();

        foreach (var id in new[] { hanako, taro })
        {
            var entry = Assert.Single(await audit.AboutAsync(id, CancellationToken.None));
            Assert.Equal(("alumni.export", AdminApi.DevelopmentSubject, "format=csv"), (entry.Action, entry.Actor, entry.Detail));
        }
    }
}
