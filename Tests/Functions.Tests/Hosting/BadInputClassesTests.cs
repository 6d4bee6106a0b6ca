using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using static AlumniNetwork.Functions.Tests.Support.SendGridEventPosts;

namespace AlumniNetwork.Functions.Tests.Hosting;

/// <summary>
/// The classes of outside input that once produced a 500 or were silently accepted (issue 7, section 3): dates at the
/// ends of the calendar, text that is not Unicode, duplicate JSON keys, enum values given as numbers, and bodies that
/// end early or stop arriving. Each answers a 4xx naming the field, stores nothing, and logs nothing at error level.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BadInputClassesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly CapturedLogs logs = new();
    private TestApp app = null!;
    private IReadOnlyList<string> before = [];

    public async Task InitializeAsync()
    {
        // The hosting log says how each request was answered, also when the client is no longer there to read it.
        app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" }, logs: logs);
        await app.DepartAsync(employeeId: "E-SEED");
        before = await app.SnapshotAsync();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(field, problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        await AssertNothingChangedAsync();
    }

    private async Task AssertNothingChangedAsync()
    {
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.DoesNotContain(logs.Records, r => r.Level >= LogLevel.Error);
    }

    private static string Departure(string dataFields) =>
        "{\"type\":\"employee.departed\",\"timestamp\":\"2026-11-30T09:00:00Z\",\"data\":{\"employeeId\":\"E1\",\"givenName\":\"花子\",\"familyName\":\"山田\"," +
        "\"personalEmail\":\"hanako@example.net\",\"lastWorkingDay\":\"2026-11-30\",\"reason\":\"voluntary\"" + dataFields + "}}";

    // Dates at the ends of the calendar.

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("9999-12-30")]
    [InlineData("2200-01-01")]
    [InlineData("0001-01-01")]
    public async Task HrisLastWorkingDayOutsideTheSupportedCalendar_Returns400NamingItAndStoresNothing(string day) =>
        await AssertRefusedAsync(await app.PostSignedAsync(Departures.Body(employeeId: "E-FAR", lastWorkingDay: day)), "data.lastWorkingDay");

    [Theory]
    [InlineData("from=0001-01-01&to=0001-01-02", "from")]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-01T12:00:00Z", "from")]
    [InlineData("to=0001-01-03", "to")]
    [InlineData("from=9999-12-30&to=9999-12-31T23:59:59Z", "from")]
    public async Task AuditFilterNearTheEndsOfTheCalendar_Returns400NamingItAndAuditsNothing(string query, string field) =>
        await AssertRefusedAsync(await app.AdminAsync(HttpMethod.Get, $"api/manage/audit?{query}"), field);

    [Fact]
    public async Task SendGridEventDatedInYear9999_Returns400NamingItsTimestamp() =>
        await AssertRefusedAsync(await app.PostEventsAsync("""[{"event":"bounce","email":"a@example.net","sg_event_id":"e1","timestamp":253402300799}]"""), "[0].timestamp");

    // Text that is not Unicode: lone surrogate escapes and invalid UTF-8 bytes.

    [Theory]
    [InlineData(",\"department\":\"\\ud800\"")]
    [InlineData(",\"department\":\"a\\udc00b\"")]
    [InlineData(",\"department\":\"\\udbff\\u0041\"")]
    public async Task HrisStringWithALoneSurrogate_Returns400NamingTheField(string field) =>
        await AssertRefusedAsync(await app.PostSignedAsync(Departure(field)), "data.department");

    [Fact]
    public async Task HrisStringWithInvalidUtf8_Returns400NamingTheField()
    {
        var body = Encoding.UTF8.GetBytes(Departure(",\"department\":\"XX\""));
        var at = body.AsSpan().IndexOf("XX"u8);
        (body[at], body[at + 1]) = (0xFF, 0xC3);

        await AssertRefusedAsync(await app.PostSignedBytesAsync(body), "data.department");
    }

    [Fact]
    public async Task SendGridEventWithALoneSurrogate_Returns400NamingTheField() =>
        await AssertRefusedAsync(await app.PostEventsAsync("""[{"event":"bounce","email":"a\udc00@example.net","sg_event_id":"e1","timestamp":1700000000}]"""), "[0].email");

    [Fact]
    public async Task FlagsWithALoneSurrogateInAKey_Returns400()
    {
        var id = (await app.RowsAsync(Core.Storage.AlumniTables.Alumni))[0].RowKey;

        await AssertRefusedAsync(await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id}/flags", """{"doNotContact":true,"\ud800":1}"""), "$");
    }

    // Duplicate keys: refused everywhere, naming the key.

    [Theory]
    [InlineData(",\"department\":\"A\",\"department\":\"B\"", "data.department")]
    [InlineData(",\"department\":\"A\",\"\\u0064epartment\":\"B\"", "data.department")]
    public async Task HrisDuplicateKey_Returns400NamingTheKey(string fields, string key) =>
        await AssertRefusedAsync(await app.PostSignedAsync(Departure(fields)), key);

    [Fact]
    public async Task HrisDuplicateEventType_Returns400InsteadOfTheLastOneWinning() =>
        await AssertRefusedAsync(await app.PostSignedAsync("""{"type":"employee.departed","type":"employee.promoted","data":{}}"""), "type");

    [Fact]
    public async Task SendGridDuplicateKey_Returns400NamingTheKey() =>
        await AssertRefusedAsync(await app.PostEventsAsync("""[{"event":"bounce","email":"a@example.net","email":"b@example.net","sg_event_id":"e1","timestamp":1700000000}]"""), "[0].email");

    [Fact]
    public async Task FlagsDuplicateKey_Returns400NamingTheKey()
    {
        var id = (await app.RowsAsync(Core.Storage.AlumniTables.Alumni))[0].RowKey;

        await AssertRefusedAsync(await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id}/flags", """{"doNotContact":true,"doNotContact":false}"""), "doNotContact");
    }

    [Theory]
    [InlineData("\"subject\":\"\\ud800\"")]
    [InlineData("\"subject\":\"x\",\"subject\":\"y\"")]
    public async Task DevSinkMailWithALoneSurrogateOrADuplicateKey_Returns400InSendGridsFormatNamingIt(string subject)
    {
        var response = await app.SendAsync(HttpMethod.Post, "dev/sendgrid/v3/mail/send", "key",
            "{\"personalizations\":[{\"to\":[{\"email\":\"a@example.net\"}]}],\"from\":{\"email\":\"b@example.net\"}," + subject + ",\"content\":[{\"type\":\"text/plain\",\"value\":\"x\"}]}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("subject", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Empty(await app.OutboxAsync());
    }

    [Theory]
    [InlineData("CurrentEmployer", "CurrentEmployer")]
    [InlineData("CurrentEmployer.visibility", "CurrentEmployer.visibility")]
    [InlineData("token", "token")]
    public async Task FormFieldGivenTwice_Returns400NamingItInsteadOfSavingTheValuesJoined(string field, string named)
    {
        var id = Core.Alumni.AlumnusId.Parse((await app.RowsAsync(Core.Storage.AlumniTables.Alumni))[0].RowKey);
        var value = field == "token" ? app.Token(LinkPurpose.Profile, id) : field.EndsWith(".visibility", StringComparison.Ordinal) ? "Alumni" : "A";

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, (field, value), (field, value));

        await AssertRefusedAsync(response, named);
    }

    // Enum values given as numbers: names only.

    [Theory]
    [InlineData("OpenToReturning", "1")]
    [InlineData("OpenToReturning", "FullTime,No")]
    [InlineData("CurrentEmployer.visibility", "2")]
    [InlineData("Skills.visibility", "Private, Alumni")]
    public async Task ProfileEnumGivenAsANumberOrCombination_Returns400PageAndSavesNothing(string field, string value)
    {
        var id = Core.Alumni.AlumnusId.Parse((await app.RowsAsync(Core.Storage.AlumniTables.Alumni))[0].RowKey);

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, (field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingChangedAsync();
    }

    [Theory]
    [InlineData("api/manage/alumni?status=1", "status")]
    [InlineData("api/manage/alumni?consent=0", "consent")]
    public async Task AdminFilterEnumGivenAsANumber_Returns400(string path, string field) =>
        await AssertRefusedAsync(await app.AdminAsync(HttpMethod.Get, path), field);

    // Bodies that end early (the sender is cut off), are framed wrongly, or stop arriving.

    public static TheoryData<string, string, string> BodyEndpoints => new()
    {
        { "POST", "/api/hris/departures", "application/json" },
        { "POST", "/api/sendgrid/events", "application/json" },
        { "POST", "/api/alumni/join", "application/x-www-form-urlencoded" },
        { "POST", "/api/alumni/profile", "application/x-www-form-urlencoded" },
        { "PATCH", "/api/manage/alumni/00000000000000000000000000000000/flags", "application/json" },
        { "POST", "/dev/sendgrid/v3/mail/send", "application/json" },
    };

    private (string Name, string Value)[] Headers(string contentType, params (string Name, string Value)[] framing) =>
        [("Content-Type", contentType), ("Authorization", "Bearer " + app.Token()), .. framing];

    /// <summary>The status the hosting log gives the first request to <paramref name="path"/> after record <paramref name="from"/>.</summary>
    private async Task<int> AnsweredStatusAsync(string path, int from)
    {
        string? line = null;
        await Eventually.TrueAsync(() => Task.FromResult((line = logs.Records.Skip(from).Select(r => r.Message)
            .FirstOrDefault(m => m.StartsWith("Request finished", StringComparison.Ordinal) && m.Contains(path, StringComparison.Ordinal))) is not null), $"the request to {path} is logged as finished");
        return int.Parse(line!.Split(" - ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task BodyShorterThanItsContentLength_FromASenderThatHungUp_IsNoServerErrorAndStoresNothing(string method, string path, string contentType)
    {
        var from = logs.Records.Count;

        var response = await RawHttp.SendAsync(app.BaseAddress,
            RawHttp.Request(app.BaseAddress, method, path, Headers(contentType, ("Content-Length", "4000")), "{\"type\":"u8), halfClose: true);

        // Nobody is left to read an answer: Kestrel records the request as closed by the client (499), or as bad (400).
        Assert.Contains(await AnsweredStatusAsync(path, from), new[] { 400, 499 });
        Assert.True(response is null || response.Status == 400, "a truncated body is a bad request");
        await AssertNothingChangedAsync();
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task MalformedChunkedBody_Returns400ProblemAndStoresNothing(string method, string path, string contentType)
    {
        var response = await RawHttp.SendAsync(app.BaseAddress,
            RawHttp.Request(app.BaseAddress, method, path, Headers(contentType, ("Transfer-Encoding", "chunked")), "5\r\n{\"a\":\r\nzz\r\n"u8), halfClose: false);

        Assert.Equal(400, response!.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        await AssertNothingChangedAsync();
        // Its log line names the route, never the path, which can hold an alumnus's id.
        var refused = Assert.Single(logs.Records, r => r.Category.EndsWith(nameof(Functions.Hosting.Http.BadRequestBodies), StringComparison.Ordinal));
        Assert.DoesNotContain("00000000000000000000000000000000", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyThatStopsArriving_Returns408ProblemAndLogsBelowError()
    {
        // Kestrel's minimum request body data rate (240 bytes/s after a 5 s grace period) ends the wait.
        var response = await RawHttp.SendAsync(app.BaseAddress,
            RawHttp.Request(app.BaseAddress, "POST", "/api/hris/departures", Headers("application/json", ("Content-Length", "4000")), "{\"type\":"u8), halfClose: false);

        Assert.Equal(408, response!.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        await AssertNothingChangedAsync();
    }
}
