using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.HrisDepartures;

/// <summary>HR's nightly batch of recent leavers (ADR 0039): signed like the webhook, answered like the admin import.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HrisDepartureBatchFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Path = "api/hris/departures/batch";

    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static string Nightly => Departures.Batch(
        Departures.Data(employeeId: "E8001", email: "hanako.batch@example.net"),
        Departures.Data(employeeId: "E8002", email: "taro.batch@example.net", givenName: "Taro", familyName: "Sato", locale: "en-US"));

    private async Task<JsonElement> PostAsync(string body, HttpStatusCode expected)
    {
        var response = await app.PostSignedAsync(body, path: Path);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static HashSet<string> WithoutClaims(IEnumerable<string> snapshot) =>
        [.. snapshot.Where(r => !r.StartsWith(AlumniTables.AlumniIndex + "|", StringComparison.Ordinal))];

    private static string[] Fields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];

    [Fact]
    public async Task Batch_RecordsTheDepartureTheWebhookMissed_AndLeavesTheKnownOneUnchanged()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostSignedAsync(Departures.Body(employeeId: "E8001", email: "hanako.batch@example.net"))).StatusCode);
        var before = await app.SnapshotAsync();

        var counts = await PostAsync(Nightly, HttpStatusCode.OK);

        Assert.Equal("""{"created":1,"known":1,"erased":0,"purged":0}""", counts.GetRawText());
        // The known one's claim keeps the batch's newer event time (ADR 0040); its record and work are as they were.
        Assert.Subset(WithoutClaims(await app.SnapshotAsync()), WithoutClaims(before));
        var alumni = await app.RowsAsync(AlumniTables.Alumni);
        Assert.Equal(["hanako.batch@example.net", "taro.batch@example.net"], alumni.Select(r => r.GetString("PersonalEmail")).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await app.RowsAsync(AlumniTables.WorkItems)).Count);
    }

    [Fact]
    public async Task SameBatchAgain_CreatesNothing()
    {
        await PostAsync(Nightly, HttpStatusCode.OK);
        var alumni = (await app.RowsAsync(AlumniTables.Alumni)).Count;
        var work = (await app.RowsAsync(AlumniTables.WorkItems)).Count;

        var again = await PostAsync(Nightly, HttpStatusCode.OK);

        Assert.Equal("""{"created":0,"known":2,"erased":0,"purged":0}""", again.GetRawText());
        Assert.Equal((2, 2), (alumni, work));
        Assert.Equal(alumni, (await app.RowsAsync(AlumniTables.Alumni)).Count);
        Assert.Equal(work, (await app.RowsAsync(AlumniTables.WorkItems)).Count);
    }

    [Fact]
    public async Task SameBatchRetriedLate_AfterAWebhookCorrection_LeavesTheCorrection()
    {
        var night = Departures.BatchAt("2026-12-01T02:00:00Z", Departures.Data(employeeId: "E8001", email: "hanako@exmaple.net"));
        await PostAsync(night, HttpStatusCode.OK);
        var corrected = await app.PostSignedAsync(Departures.Body(employeeId: "E8001", email: "hanako@example.net", timestamp: "2026-12-01T09:00:00Z"));
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var before = await app.SnapshotAsync();

        var again = await PostAsync(night, HttpStatusCode.OK);

        Assert.Equal("""{"created":0,"known":1,"erased":0,"purged":0}""", again.GetRawText());
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal("hanako@example.net", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("PersonalEmail"));
    }

    [Fact]
    public async Task BatchWithoutTimestamp_Is400NamingIt_AndStoresNothing()
    {
        var body = JsonNode.Parse(Nightly)!.AsObject();
        body.Remove("timestamp");

        var problem = await PostAsync(body.ToJsonString(), HttpStatusCode.BadRequest);

        Assert.Equal(["timestamp"], Fields(problem));
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task NightWithoutLeavers_IsAnsweredWithZeroCounts()
    {
        var counts = await PostAsync(Departures.Batch(), HttpStatusCode.OK);

        Assert.Equal("""{"created":0,"known":0,"erased":0,"purged":0}""", counts.GetRawText());
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task BatchWithABadRow_Is400NamingEachRowField_AndStoresNothing()
    {
        var bad = Departures.Data(employeeId: "E8003", email: "jiro@example.com");
        bad["reason"] = "fired";
        var body = Departures.Batch(Departures.Data(employeeId: "E8001", email: "hanako.batch@example.net"), bad);

        var problem = await PostAsync(body, HttpStatusCode.BadRequest);

        Assert.Equal(["rows[2].personalEmail", "rows[2].reason"], Fields(problem).Order(StringComparer.Ordinal));
        Assert.Equal(0, await app.CountAllRowsAsync());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Empty(await app.RowsAsync(AlumniTables.WorkItems));
    }

    [Theory]
    [InlineData("employee.departed")]
    [InlineData("employee.hired")]
    [InlineData("employee.departed.Batch")]
    public async Task AnotherType_Is400NamingType_AndStoresNothing(string type)
    {
        var body = Nightly.Replace("\"employee.departed.batch\"", $"\"{type}\"", StringComparison.Ordinal);

        var problem = await PostAsync(body, HttpStatusCode.BadRequest);

        Assert.Equal(["type"], Fields(problem));
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task SingleDepartureBody_Is400_DataMustBeAnArray()
    {
        var body = Departures.Body().Replace("\"employee.departed\"", "\"employee.departed.batch\"", StringComparison.Ordinal);

        var problem = await PostAsync(body, HttpStatusCode.BadRequest);

        Assert.Equal(["data"], Fields(problem));
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Theory]
    [InlineData("missing", "webhook-id")]
    [InlineData("wrong-secret", "webhook-signature")]
    [InlineData("too-old", "webhook-timestamp")]
    public async Task BadSignature_Is401NamingTheHeader_AndStoresNothing(string kind, string header)
    {
        var response = kind switch
        {
            "missing" => await app.Client.PostAsync(Path, new StringContent(Nightly, Encoding.UTF8, "application/json")),
            "wrong-secret" => await app.PostSignedAsync(Nightly, path: Path, secret: "whsec_" + Convert.ToBase64String(new byte[32])),
            _ => await app.PostSignedAsync(Nightly, path: Path, signedAt: TimeProvider.System.GetUtcNow().AddSeconds(-360)),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(header, Fields(await response.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task BodyOverTheImportsLimit_Is413AndStoresNothing()
    {
        var body = Nightly.Replace("Analyst", new string('x', Functions.HrisDepartureBatch.HrisDepartureBatchFunction.MaxBodyBytes), StringComparison.Ordinal);

        var response = await app.PostSignedAsync(body, path: Path);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }
}
