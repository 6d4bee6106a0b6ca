using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Admin;

[Collection(AzuriteCollection.Name)]
public sealed class SetAlumnusFlagsFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<HttpResponseMessage> PatchAsync(AlumnusId id, string json, string contentType = "application/json") =>
        app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id}/flags", json, contentType);

    private async Task<JsonElement> FlagsAfterAsync(AlumnusId id, string json)
    {
        var response = await PatchAsync(id, json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static (bool? Rehire, bool DoNotContact) Flags(JsonElement body) =>
        (body.GetProperty("rehireEligible").ValueKind == JsonValueKind.Null ? null : body.GetProperty("rehireEligible").GetBoolean(),
         body.GetProperty("doNotContact").GetBoolean());

    [Fact]
    public async Task Patch_ChangesOnlyTheFieldsPresentAndRoundTrips()
    {
        var id = await app.SeedAsync("E6001", "flags@example.net", "花子", "山田");

        Assert.Equal((false, true), Flags(await FlagsAfterAsync(id, """{"rehireEligible":false,"doNotContact":true}""")));
        Assert.Equal((false, true), Flags(await app.AdminJsonAsync($"api/manage/alumni/{id}")));
        Assert.Equal((null, true), Flags(await FlagsAfterAsync(id, """{"rehireEligible":null}""")));
        Assert.Equal((null, false), Flags(await FlagsAfterAsync(id, """{"doNotContact":false}""")));
        Assert.Equal((null, false), Flags(await FlagsAfterAsync(id, "{}")));

        var stored = (await app.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!;
        Assert.Equal((null, false), (stored.RehireEligible, stored.DoNotContact));
        Assert.Equal("山田", stored.FamilyName);
    }

    [Fact]
    public async Task ClearingDoNotContact_OfAPersonWhoseErasureFailedPartWay_Returns409NamingTheErasureAndChangesNothing_UntilTheRetryEndsIt()
    {
        var id = await app.MemberAsync("ja-JP", "Newsletter");
        // The erasure fails part-way, after its first write: the surveys table it reads is gone for a moment.
        await app.Services.GetRequiredService<Core.Surveys.ISurveyStore>().ListAsync(CancellationToken.None);
        await app.Tables.DeleteTableAsync(app.TablePrefix + AlumniTables.Surveys);
        Assert.Equal(HttpStatusCode.InternalServerError, (await app.PostFormAsync(LinkPurpose.Erase, id)).StatusCode);
        var halfErased = (await app.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!;
        Assert.True(halfErased.DoNotContact);
        Assert.NotNull(halfErased.ErasureStartedAt);
        var before = await app.SnapshotAsync();

        var response = await PatchAsync(id, """{"doNotContact":false}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(("doNotContact", Core.Admin.SetAlumnusFlags.ErasurePending.Rule), (error.GetProperty("field").GetString(), error.GetProperty("rule").GetString()));
        Assert.StartsWith("doNotContact", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());

        await app.Tables.CreateTableAsync(app.TablePrefix + AlumniTables.Surveys);
        Assert.Equal(HttpStatusCode.OK, (await app.PostFormAsync(LinkPurpose.Erase, id)).StatusCode);
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task SamePatchTwice_IsIdempotent()
    {
        var id = await app.SeedAsync("E6002", "twice@example.net", "花子", "山田");

        await FlagsAfterAsync(id, """{"doNotContact":true}""");
        var etag = (await app.RowsAsync(AlumniTables.Alumni)).Single().ETag;
        Assert.Equal((true, true), Flags(await FlagsAfterAsync(id, """{"doNotContact":true}""")));

        Assert.Equal(etag, (await app.RowsAsync(AlumniTables.Alumni)).Single().ETag);
    }

    [Theory]
    [InlineData("""{"rehireEligible":"yes"}""", "rehireEligible")]
    [InlineData("""{"rehireEligible":0}""", "rehireEligible")]
    [InlineData("""{"doNotContact":null}""", "doNotContact")]
    [InlineData("""{"doNotContact":"false"}""", "doNotContact")]
    [InlineData("""{"doNotContact":true,"status":"Joined"}""", "status")]
    [InlineData("""{"personalEmail":"x@example.net"}""", "personalEmail")]
    [InlineData("[true]", "$")]
    [InlineData("{\"doNotContact\":tru", "$")]
    [InlineData("", "$")]
    public async Task BadBody_Returns400NamingTheFieldAndChangesNothing(string json, string field)
    {
        var id = await app.SeedAsync("E6003", "bad@example.net", "花子", "山田");
        var rows = await app.CountAllRowsAsync();
        var etag = (await app.RowsAsync(AlumniTables.Alumni)).Single().ETag;

        var response = await PatchAsync(id, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(rows, await app.CountAllRowsAsync());
        Assert.Equal(etag, (await app.RowsAsync(AlumniTables.Alumni)).Single().ETag);
    }

    [Fact]
    public async Task NotJson_Returns415AndChangesNothing()
    {
        var id = await app.SeedAsync("E6004", "type@example.net", "花子", "山田");
        var rows = await app.CountAllRowsAsync();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PatchAsync(id, """{"doNotContact":true}""", "text/plain")).StatusCode);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task OversizedBody_Returns413AndChangesNothing()
    {
        var id = await app.SeedAsync("E6005", "size@example.net", "花子", "山田");
        var rows = await app.CountAllRowsAsync();

        var response = await PatchAsync(id, $$"""{"doNotContact":true,"pad":"{{new string('x', 5000)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task UnknownId_Returns404AndIsNotAudited()
    {
        var response = await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{"0".PadRight(32, '0')}/flags", """{"doNotContact":true}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await app.RowsAsync(AlumniTables.Audit));
    }

    [Fact]
    public async Task Change_IsAuditedWithTheAdminsSubjectAndTheFieldNamesOnly()
    {
        var id = await app.SeedAsync("E6006", "audit-flags@example.net", "花子", "山田");

        await FlagsAfterAsync(id, """{"rehireEligible":false,"doNotContact":true}""");

        var row = Assert.Single(await app.RowsAsync(AlumniTables.Audit));
        Assert.Equal((AdminApi.DevelopmentSubject, "alumnus.flags.changed", id.Value, "fields=rehireEligible,doNotContact"),
            (row.GetString("Actor"), row.GetString("Action"), row.GetString("Subject"), row.GetString("Detail")));
    }

    [Fact]
    public async Task Flags_NeverAppearOnThePagesAlumniSee()
    {
        var id = await app.SeedAsync("E6007", "pages@example.net", "花子", "山田");
        await FlagsAfterAsync(id, """{"rehireEligible":false,"doNotContact":true}""");

        var page = await app.Client.GetAsync(app.JoinPath(id));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("山田", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rehire", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("eligib", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("doNotContact", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("再雇用", html, StringComparison.Ordinal);
    }
}
