using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Admin;

[Collection(AzuriteCollection.Name)]
public sealed class ImportDeparturesFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Path = "api/manage/departures/import";

    private const string Csv =
        "\uFEFFemployeeId,givenName,familyName,personalEmail,lastWorkingDay,reason,department\r\n" +
        "E7001,花子,山田,hanako.import@example.net,2026-11-30,voluntary,\"Retail, Banking\"\r\n" +
        "E7002,Taro,Sato,taro.import@example.net,2026-10-31,retirement,\r\n";

    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<JsonElement> ImportAsync(string body, string contentType, HttpStatusCode expected)
    {
        var response = await app.AdminAsync(HttpMethod.Post, Path, body, contentType);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task CsvImport_RecordsNewAndKnownEmployeesOnce_AndARepeatCreatesNothing()
    {
        await app.SeedAsync("E7002", "taro.import@example.net", "Taro", "Sato");

        var first = await ImportAsync(Csv, "text/csv", HttpStatusCode.OK);
        var alumni = (await app.RowsAsync(AlumniTables.Alumni)).Count;
        var work = (await app.RowsAsync(AlumniTables.WorkItems)).Count;
        var again = await ImportAsync(Csv, "text/csv; charset=utf-8", HttpStatusCode.OK);

        Assert.Equal("""{"created":1,"known":1,"erased":0,"purged":0}""", first.GetRawText());
        Assert.Equal("""{"created":0,"known":2,"erased":0,"purged":0}""", again.GetRawText());
        Assert.Equal(2, alumni);
        Assert.Equal(alumni, (await app.RowsAsync(AlumniTables.Alumni)).Count);
        Assert.Equal(work, (await app.RowsAsync(AlumniTables.WorkItems)).Count);
        var audits = (await app.RowsAsync(AlumniTables.Audit)).Where(r => r.GetString("Action") is AdminAuditActions.DeparturesImport or AdminAuditActions.DeparturesImportCompleted).ToList();
        Assert.Equal(4, audits.Count);
        var stored = audits.SelectMany(r => ((IDictionary<string, object>)r).Values.OfType<string>()).ToArray();
        Assert.DoesNotContain(stored, v => v.Contains("E7001", StringComparison.Ordinal) || v.Contains("import@", StringComparison.Ordinal) || v.Contains("山田", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonImport_TakesAnArrayOfWebhookDataObjects()
    {
        var body = """[{"employeeId": "E7101", "givenName": "Jiro", "familyName": "Ito", "personalEmail": "jiro@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"}]""";

        var counts = await ImportAsync(body, "application/json", HttpStatusCode.OK);

        Assert.Equal(1, counts.GetProperty("created").GetInt32());
        Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task BatchWithBadRows_Is400ListingEveryRowRule_AndStoresNothing()
    {
        var before = await app.SnapshotWithoutKeyRingAsync();
        var body = Csv + "E7003,Jiro,Ito,jiro@example.co.jp,2026-13-01,fired,\r\nE7001,a,b,c@example.net,2026-11-30,other,\r\n";

        var problem = await ImportAsync(body, "text/csv", HttpStatusCode.BadRequest);

        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToArray();
        Assert.Contains("rows[3].lastWorkingDay", fields);
        Assert.Contains("rows[3].reason", fields);
        Assert.Contains("rows[4].employeeId", fields);
        Assert.Equal(before, await app.SnapshotWithoutKeyRingAsync());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Empty(await app.RowsAsync(AlumniTables.WorkItems));
    }

    [Theory]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task OtherContentTypes_Are415AndStoreNothing(string contentType, HttpStatusCode expected)
    {
        var response = await app.AdminAsync(HttpMethod.Post, Path, Csv, contentType);

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413AndStoresNothing()
    {
        var body = Csv + new string('x', Functions.ImportDepartures.ImportDeparturesFunction.MaxBodyBytes);

        var response = await app.AdminAsync(HttpMethod.Post, Path, body, "text/csv");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
    }
}
