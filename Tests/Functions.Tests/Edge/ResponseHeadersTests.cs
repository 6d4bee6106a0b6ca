using System.Net;
using System.Net.Http.Json;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Edge;

[Collection(AzuriteCollection.Name)]
public sealed class ResponseHeadersTests(AzuriteFixture azurite)
{
    public static TheoryData<string, string, string?> AdminEndpoints => new()
    {
        { "GET", "api/manage/alumni/{id}", null },
        { "GET", "api/manage/alumni?status=Departed", null },
        { "POST", "api/manage/alumni/search", """{"q": "山田"}""" },
        { "PATCH", "api/manage/alumni/{id}/flags", """{"doNotContact":true}""" },
        { "GET", "api/manage/alumni/export.csv", null },
        { "GET", "api/manage/audit", null },
        { "GET", "api/manage/alumni/0123456789abcdef0123456789abcdef", null },
    };

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task AdminResponses_AreNeitherCachedNorSniffed(string method, string path, string? body)
    {
        await using var app = await TestApp.StartAsync(azurite);
        var id = await app.SeedAsync("E8001", "headers@example.net", "花子", "山田");

        var response = await app.AdminAsync(new HttpMethod(method), path.Replace("{id}", id.Value, StringComparison.Ordinal), body);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{response.StatusCode}");
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task PersonalDataDownload_IsNeitherCachedNorSniffed()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var id = await app.MemberAsync("en-US");

        var response = await app.PostFormAsync(LinkPurpose.Export, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("")]
    [InlineData("api/alumni/join?token=forged")]
    [InlineData("api/manage/alumni")]
    [InlineData("api/no/such/route")]
    public async Task OutsideDevelopment_EveryResponseCarriesHsts(string path)
    {
        await using var app = await TestApp.StartAsync(azurite, TestApp.ProductionSettings(), environment: "Production");

        var response = await app.Client.GetAsync(path);

        Assert.Equal("max-age=31536000; includeSubDomains", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task OutsideDevelopment_SignedWebhookAnswerCarriesHsts()
    {
        await using var app = await TestApp.StartAsync(azurite, TestApp.ProductionSettings(), environment: "Production");

        var response = await app.PostSignedAsync(Departures.Body());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task InDevelopment_NoHsts_SoLocalHttpKeepsWorking()
    {
        await using var app = await TestApp.StartAsync(azurite);

        var response = await app.Client.GetAsync("");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("ready", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("status").GetString());
    }
}
