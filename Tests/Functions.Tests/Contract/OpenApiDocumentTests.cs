using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Contract;

/// <summary>The OpenAPI document the app serves describes exactly the admin API the function.json files declare: no more, no less.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class OpenApiDocumentTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>Route constraints (<c>{id:length(32)}</c>) are the host's business; OpenAPI names the parameter only.</summary>
    private static string WithoutConstraints(string route) => Constraint().Replace(route, "{$1}");

    [Fact]
    public async Task Document_HasEveryAdminFunctionsRouteAndMethod_AndNothingElse()
    {
        var declared = FunctionCatalog.LoadFunctions(RepoPaths.Functions)
            .Select(f => f.Trigger)
            // The document does not describe itself.
            .Where(t => t.Type == "httpTrigger" && t.Route!.StartsWith("manage/", StringComparison.Ordinal) && t.Route != "manage/openapi.json")
            .SelectMany(t => t.Methods!.Select(m => (Method: m.ToUpperInvariant(), Path: "/api/" + WithoutConstraints(t.Route!))))
            .Order()
            .ToArray();

        var response = await app.Client.GetAsync("api/manage/openapi.json");
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var described = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Method: o.Name.ToUpperInvariant(), Path: p.Name)))
            .Order()
            .ToArray();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(declared);
        Assert.Equal(declared, described);
    }

    /// <summary>ADR 0005: the search text is described in the POST's body, and the GET describes no <c>q</c> a client could put in a URL.</summary>
    [Fact]
    public async Task Document_DescribesSearchTextInTheBodyOfThePost_AndNotInTheQuery()
    {
        var document = await app.Client.GetFromJsonAsync<JsonElement>("api/manage/openapi.json");

        var paths = document.GetProperty("paths");
        var schema = paths.GetProperty("/api/manage/alumni/search").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        Assert.Equal(["consent", "department", "page", "q", "status"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var parameters = paths.GetProperty("/api/manage/alumni").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("department", parameters);
        Assert.DoesNotContain("q", parameters);
    }

    /// <summary>ADR 0032: each read of a versioned record shows its ETag; each change of one, the optional If-Match with its 400 and 412, and the new ETag.</summary>
    [Theory]
    [InlineData("/api/manage/events/{id}", "get", false)]
    [InlineData("/api/manage/openings/{id}", "get", false)]
    [InlineData("/api/manage/news/{id}", "get", false)]
    [InlineData("/api/manage/events/{id}", "put", true)]
    [InlineData("/api/manage/events/{id}/publish", "post", true)]
    [InlineData("/api/manage/events/{id}/cancel", "post", true)]
    [InlineData("/api/manage/openings/{id}", "put", true)]
    [InlineData("/api/manage/openings/{id}/send", "post", true)]
    [InlineData("/api/manage/news/{id}", "put", true)]
    [InlineData("/api/manage/surveys/{id}", "get", false)]
    [InlineData("/api/manage/surveys/{id}", "put", true)]
    [InlineData("/api/manage/surveys/{id}/publish", "post", true)]
    public async Task Document_ShowsTheETagOfVersionedReads_AndTheIfMatchOfTheirChanges(string path, string method, bool change)
    {
        var document = await app.Client.GetFromJsonAsync<JsonElement>("api/manage/openapi.json");

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        var ifMatch = operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().SingleOrDefault(p => p.GetProperty("name").GetString() == "If-Match")
            : default;
        Assert.Equal(change, ifMatch.ValueKind == JsonValueKind.Object);
        if (change)
        {
            Assert.Equal("header", ifMatch.GetProperty("in").GetString());
            Assert.True(operation.GetProperty("responses").TryGetProperty("412", out _));
            Assert.True(operation.GetProperty("responses").TryGetProperty("400", out _));
        }
    }

    /// <summary>ADR 0037: the keyed creates show the optional Idempotency-Key, the repeat's 200 and the misuse's 409.</summary>
    [Theory]
    [InlineData("/api/manage/openings")]
    [InlineData("/api/manage/collaboration/requests")]
    [InlineData("/api/manage/events")]
    [InlineData("/api/manage/news")]
    [InlineData("/api/manage/surveys")]
    public async Task Document_ShowsTheIdempotencyKeyOfKeyedCreates(string path)
    {
        var document = await app.Client.GetFromJsonAsync<JsonElement>("api/manage/openapi.json");

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty("post");
        var key = operation.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal(("header", false), (key.GetProperty("in").GetString(), key.TryGetProperty("required", out var required) && required.GetBoolean()));
        Assert.All(new[] { "200", "201", "400", "409" }, status => Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), status));
    }

    [Fact]
    public async Task Document_NamesTheBearerAndFunctionKeySchemes()
    {
        var document = await app.Client.GetFromJsonAsync<JsonElement>("api/manage/openapi.json");

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("x-functions-key", schemes.GetProperty("functionKey").GetProperty("name").GetString());
    }

    [Fact]
    public void EveryAdminFunction_DemandsTheFunctionKey_AndEveryConsoleFunctionIsAnonymous()
    {
        var http = FunctionCatalog.LoadFunctions(RepoPaths.Functions).Select(f => (f.Name, f.Trigger)).Where(f => f.Trigger.Type == "httpTrigger").ToArray();

        Assert.All(http.Where(f => f.Trigger.Route!.StartsWith("manage/", StringComparison.Ordinal)), f => Assert.Equal("function", f.Trigger.AuthLevel));
        Assert.All(http.Where(f => f.Trigger.Route!.StartsWith("console/", StringComparison.Ordinal)), f => Assert.Equal("anonymous", f.Trigger.AuthLevel));
    }

    [GeneratedRegex(@"\{([A-Za-z]+):[^}]*\}")]
    private static partial Regex Constraint();
}
