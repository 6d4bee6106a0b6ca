using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace AlumniNetwork.Functions.Tests.Admin;

/// <summary>
/// Every route of the JSON admin API, read from the app's routing table: each requires the policy of its capability on
/// the bearer scheme, and refuses a caller without a token (401) or without a role that grants it (403) with problem
/// details, changing nothing. A new admin route that matches none of the expectations fails the walk.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdminApiRoutesAccessTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Root = "/api/manage/";
    private const string SomeId = "0123456789abcdef0123456789abcdef";
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(azurite);
        await app.SeedAsync("E7101", "routes@example.net", "花子", "山田");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>The capability each admin route needs; null: open (the API's description, behind the function key in Azure).</summary>
    private static readonly (string Method, string Pattern, AdminCapability? Needs)[] Expected =
    [
        ("GET", "/api/manage/openapi.json", null),
        ("GET", "/api/manage/alumni", AdminCapability.PersonalData),
        ("POST", "/api/manage/alumni/search", AdminCapability.PersonalData),
        ("GET", "/api/manage/alumni/{id:length(32)}", AdminCapability.PersonalData),
        ("PATCH", "/api/manage/alumni/{id:length(32)}/flags", AdminCapability.PersonalData),
        ("GET", "/api/manage/alumni/export.csv", AdminCapability.PersonalData),
        ("POST", "/api/manage/departures/import", AdminCapability.PersonalData),
        ("GET", "/api/manage/audit", AdminCapability.PersonalData),
        ("GET", "/api/manage/dead-letters", AdminCapability.PersonalData),
        ("POST", "/api/manage/dead-letters/{queue}/redrive", AdminCapability.PersonalData),
        ("GET", "/api/manage/work/failed", AdminCapability.PersonalData),
        ("POST", "/api/manage/work/failed/retry", AdminCapability.PersonalData),
        ("GET", "/api/manage/campaigns", AdminCapability.PersonalData),
        ("GET", "/api/manage/campaigns/{id}", AdminCapability.PersonalData),
        ("POST", "/api/manage/news", AdminCapability.PersonalData),
        ("GET", "/api/manage/news", AdminCapability.PersonalData),
        ("GET", "/api/manage/news/{id}", AdminCapability.PersonalData),
        ("PUT", "/api/manage/news/{id}", AdminCapability.PersonalData),
        ("DELETE", "/api/manage/news/{id}", AdminCapability.PersonalData),
        ("GET", "/api/manage/newsletter/preview", AdminCapability.PersonalData),
        ("POST", "/api/manage/newsletter/test", AdminCapability.PersonalData),
        ("POST", "/api/manage/events", AdminCapability.PersonalData),
        ("GET", "/api/manage/events/{id:length(32)}", AdminCapability.PersonalData),
        ("PUT", "/api/manage/events/{id:length(32)}", AdminCapability.PersonalData),
        ("POST", "/api/manage/events/{id:length(32)}/publish", AdminCapability.PersonalData),
        ("POST", "/api/manage/events/{id:length(32)}/cancel", AdminCapability.PersonalData),
        ("GET", "/api/manage/events/{id:length(32)}/attendees", AdminCapability.PersonalData),
        ("GET", "/api/manage/events/{id:length(32)}/attendees.csv", AdminCapability.PersonalData),
        ("PUT", "/api/manage/events/{id:length(32)}/attendance/{alumnusId:length(32)}", AdminCapability.PersonalData),
        ("POST", "/api/manage/events/{id:length(32)}/staff-invitations", AdminCapability.PersonalData),
        ("GET", "/api/manage/surveys", AdminCapability.PersonalData),
        ("POST", "/api/manage/surveys", AdminCapability.PersonalData),
        ("GET", "/api/manage/surveys/{id:length(32)}", AdminCapability.PersonalData),
        ("PUT", "/api/manage/surveys/{id:length(32)}", AdminCapability.PersonalData),
        ("POST", "/api/manage/surveys/{id:length(32)}/publish", AdminCapability.PersonalData),
        ("POST", "/api/manage/surveys/{id:length(32)}/close", AdminCapability.PersonalData),
        ("POST", "/api/manage/surveys/{id:length(32)}/waves", AdminCapability.PersonalData),
        ("GET", "/api/manage/surveys/{id:length(32)}/results", AdminCapability.Insights),
        ("POST", "/api/manage/collaboration/requests", AdminCapability.PersonalData),
        ("POST", "/api/manage/openings", AdminCapability.Openings),
        ("GET", "/api/manage/openings", AdminCapability.Openings),
        ("GET", "/api/manage/openings/{id:length(32)}", AdminCapability.Openings),
        ("PUT", "/api/manage/openings/{id:length(32)}", AdminCapability.Openings),
        ("GET", "/api/manage/openings/{id:length(32)}/matches", AdminCapability.Openings),
        ("POST", "/api/manage/openings/{id:length(32)}/send", AdminCapability.Openings),
        ("GET", "/api/manage/openings/{id:length(32)}/interests", AdminCapability.Openings),
        ("GET", "/api/manage/rehires", AdminCapability.Openings),
    ];

    private (string Method, string Pattern, RouteEndpoint Endpoint)[] AdminRoutes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(Root, StringComparison.OrdinalIgnoreCase) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!, Endpoint: e)))
            .ToArray();

    private static string PathOf(string pattern) => pattern.TrimStart('/')
        .Replace("{id:length(32)}", SomeId, StringComparison.Ordinal)
        .Replace("{alumnusId:length(32)}", SomeId, StringComparison.Ordinal)
        .Replace("{id}", SomeId, StringComparison.Ordinal)
        .Replace("{queue}", "welcome-invitations", StringComparison.Ordinal);

    [Fact]
    public void EveryAdminRoute_HasAnExpectation()
    {
        var routes = AdminRoutes().Select(r => (r.Method, r.Pattern)).ToArray();

        Assert.All(routes, r => Assert.Contains(Expected, e => e.Method == r.Method && e.Pattern == r.Pattern));
        Assert.All(Expected, e => Assert.Contains((e.Method, e.Pattern), routes));
    }

    [Fact]
    public void EveryAdminRoute_RequiresThePolicyOfItsCapability_OnTheBearerSchemeOnly()
    {
        Assert.All(AdminRoutes(), route =>
        {
            var needs = Expected.Single(e => e.Method == route.Method && e.Pattern == route.Pattern).Needs;
            var authorize = route.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            if (needs is not { } capability)
            {
                Assert.NotNull(route.Endpoint.Metadata.GetMetadata<IAllowAnonymous>());
                return;
            }

            Assert.Null(route.Endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            Assert.Equal(new[] { AdminPolicies.For(capability) }, authorize.Select(a => a.Policy ?? "(none)").Distinct().ToArray());
            // No other scheme: a console session (the platform's principal header, the development cookie) never authorizes an API call.
            Assert.All(authorize, a => Assert.True(string.IsNullOrEmpty(a.AuthenticationSchemes), $"{route.Method} {route.Pattern} names {a.AuthenticationSchemes}"));
        });
    }

    [Fact]
    public async Task EveryAdminRoute_WithoutAToken_Answers401ProblemDetails_AndChangesNothing()
    {
        var before = await app.SnapshotAsync();
        var wrong = new List<string>();
        foreach (var (method, pattern, _) in AdminRoutes().Where(r => Needs(r) is not null))
        {
            var response = await app.SendAsync(new HttpMethod(method), PathOf(pattern), token: null, json: method is "GET" or "DELETE" ? null : "{}");
            if (await RefusalProblemAsync(response, HttpStatusCode.Unauthorized) is { } problem)
            {
                wrong.Add($"{method} {pattern}: {problem}");
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    public static TheoryData<string> Roles => new(AdminRoles.All.Append("Alumni.Reader"));

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryAdminRoute_AnswersARoleThatDoesNotGrantIt403ProblemDetails_AndChangesNothing(string role)
    {
        var before = await app.SnapshotAsync();
        var wrong = new List<string>();
        var token = app.Token(role);
        foreach (var (method, pattern, _) in AdminRoutes().Where(r => Needs(r) is { } capability && !AdminRoles.Grants([role], capability)))
        {
            var response = await app.SendAsync(new HttpMethod(method), PathOf(pattern), token, json: method is "GET" or "DELETE" ? null : "{}");
            if (await RefusalProblemAsync(response, HttpStatusCode.Forbidden) is { } problem)
            {
                wrong.Add($"{method} {pattern}: {problem}");
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryAdminRoute_AdmitsARoleThatGrantsIt(string role)
    {
        var token = app.Token(role);
        var refused = new List<string>();
        foreach (var (method, pattern, _) in AdminRoutes().Where(r => Needs(r) is { } capability && AdminRoles.Grants([role], capability)))
        {
            var status = (await app.SendAsync(new HttpMethod(method), PathOf(pattern), token, json: method is "GET" or "DELETE" ? null : "{}")).StatusCode;
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                refused.Add($"{method} {pattern}: {(int)status}");
            }
        }

        Assert.Empty(refused);
    }

    private static AdminCapability? Needs((string Method, string Pattern, RouteEndpoint _) route) =>
        Expected.Single(e => e.Method == route.Method && e.Pattern == route.Pattern).Needs;

    /// <summary>Null when the answer is the refusal as RFC 9457 problem details; else what is wrong with it.</summary>
    private static async Task<string?> RefusalProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            return $"{(int)response.StatusCode}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"content type {response.Content.Headers.ContentType}";
        }

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("status", out var status) && status.GetInt32() == (int)expected && problem.TryGetProperty("title", out _)
            ? null
            : $"body {problem}";
    }
}
