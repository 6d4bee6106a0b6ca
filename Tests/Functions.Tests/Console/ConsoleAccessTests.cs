using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.AdminConsole;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>Every console route, for every role: each role sees only what it may, and every answer is <c>no-store</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleAccessTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;
    private AlumnusId alumnus;
    private IReadOnlyDictionary<string, string> seeded = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(azurite);
        alumnus = await app.SeedAsync("E8001", "walk@example.net", "花子", "山田");
        seeded = await CampaignConsoleSeeds.SeedAsync(app, alumnus);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>
    /// Which capability each part of the console needs (null: any role of the alumni team), and what an allowed request
    /// answers. A console route that matches none of these fails the walk: add it here with what it should do.
    /// </summary>
    private static readonly (string Method, string Pattern, AdminCapability? Needs, HttpStatusCode Allowed)[] Expected =
    [
        ("GET", "/api/console", null, HttpStatusCode.Redirect),
        ("GET", "/api/console/home", null, HttpStatusCode.OK),
        ("GET", "/api/console/language", null, HttpStatusCode.Redirect),
        ("POST", "/api/console/sign-out", null, HttpStatusCode.Redirect),
        ("GET", "/api/console/{*path}", null, HttpStatusCode.NotFound),
        ("POST", "/api/console/{*path}", null, HttpStatusCode.NotFound),
        ("GET", "/api/console/alumni", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("POST", "/api/console/alumni", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/alumni/export.csv", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/alumni/{id:length(32)}", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("POST", "/api/console/alumni/{id:length(32)}/flags", AdminCapability.PersonalData, HttpStatusCode.Redirect),
        ("GET", "/api/console/audit", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/insights", AdminCapability.Insights, HttpStatusCode.OK),
        ("GET", "/api/console/events", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/events/new", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/events/{eventId:length(32)}", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/events/{eventId:length(32)}/edit", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/events/{eventId:length(32)}/cancel", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/events/{eventId:length(32)}/attendees", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/events/{eventId:length(32)}/attendees.csv", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("POST", "/api/console/events", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("POST", "/api/console/events/{eventId:length(32)}/edit", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("POST", "/api/console/events/{eventId:length(32)}/publish", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("POST", "/api/console/events/{eventId:length(32)}/cancel", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("POST", "/api/console/events/{eventId:length(32)}/attendance/{alumnusId:length(32)}", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("POST", "/api/console/events/{eventId:length(32)}/staff-invitations", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("GET", "/api/console/campaigns", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/campaigns/dead-letters", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/campaigns/{campaignId}", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/campaigns/{campaignId}/preview", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("POST", "/api/console/campaigns/dead-letters/{queue}/redrive", AdminCapability.PersonalData, HttpStatusCode.Redirect),
        ("POST", "/api/console/campaigns/failed-work/retry", AdminCapability.PersonalData, HttpStatusCode.Redirect),
        ("GET", "/api/console/newsletter", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/newsletter/news/new", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/newsletter/news/{newsId:length(32)}", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/newsletter/preview", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("POST", "/api/console/newsletter/news", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("POST", "/api/console/newsletter/news/{newsId:length(32)}", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("POST", "/api/console/newsletter/news/{newsId:length(32)}/delete", AdminCapability.PersonalData, HttpStatusCode.Redirect),
        ("POST", "/api/console/newsletter/test", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("GET", "/api/console/surveys", AdminCapability.Insights, HttpStatusCode.OK),
        ("GET", "/api/console/surveys/{id:length(32)}", AdminCapability.Insights, HttpStatusCode.NotFound),
        ("GET", "/api/console/surveys/{id:length(32)}/results.csv", AdminCapability.Insights, HttpStatusCode.NotFound),
        ("GET", "/api/console/surveys/{id:length(32)}/comments", AdminCapability.Insights, HttpStatusCode.NotFound),
        ("GET", "/api/console/openings", AdminCapability.Openings, HttpStatusCode.OK),
        ("GET", "/api/console/openings/new", AdminCapability.Openings, HttpStatusCode.OK),
        ("POST", "/api/console/openings", AdminCapability.Openings, HttpStatusCode.BadRequest),
        ("GET", "/api/console/openings/rehires", AdminCapability.Openings, HttpStatusCode.OK),
        ("GET", "/api/console/openings/{id:length(32)}", AdminCapability.Openings, HttpStatusCode.NotFound),
        ("POST", "/api/console/openings/{id:length(32)}", AdminCapability.Openings, HttpStatusCode.BadRequest),
        ("GET", "/api/console/openings/{id:length(32)}/matches", AdminCapability.Openings, HttpStatusCode.NotFound),
        ("POST", "/api/console/openings/{id:length(32)}/send", AdminCapability.Openings, HttpStatusCode.BadRequest),
        ("GET", "/api/console/collaboration", AdminCapability.PersonalData, HttpStatusCode.OK),
        ("GET", "/api/console/collaboration/{id:length(32)}", AdminCapability.PersonalData, HttpStatusCode.NotFound),
        ("POST", "/api/console/collaboration/{id:length(32)}/review", AdminCapability.PersonalData, HttpStatusCode.BadRequest),
        ("GET", "/api/console/conflicts", AdminCapability.ConflictOfInterest, HttpStatusCode.OK),
        ("POST", "/api/console/conflicts/entries", AdminCapability.ConflictOfInterest, HttpStatusCode.BadRequest),
        ("GET", "/api/console/conflicts/entries/{id:length(32)}", AdminCapability.ConflictOfInterest, HttpStatusCode.NotFound),
        ("POST", "/api/console/conflicts/entries/{id:length(32)}", AdminCapability.ConflictOfInterest, HttpStatusCode.BadRequest), // no version: refused before the entry is looked up
        ("GET", "/api/console/conflicts/entries/{id:length(32)}/remove", AdminCapability.ConflictOfInterest, HttpStatusCode.NotFound),
        ("POST", "/api/console/conflicts/entries/{id:length(32)}/remove", AdminCapability.ConflictOfInterest, HttpStatusCode.BadRequest), // no version: refused before the entry is looked up
        ("GET", "/api/console/conflicts/approvals", AdminCapability.ConflictOfInterest, HttpStatusCode.OK),
        ("POST", "/api/console/conflicts/approvals", AdminCapability.ConflictOfInterest, HttpStatusCode.NotFound),
        ("GET", "/api/console/conflicts/flagged", AdminCapability.ConflictOfInterest, HttpStatusCode.OK),
    ];

    private (string Method, string Pattern)[] ConsoleRoutes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith(ConsolePage.Root, StringComparison.Ordinal) && e.RoutePattern.RawText != AdminConsoleFunction.SignedOutPath)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Pattern: e.RoutePattern.RawText!.TrimEnd('/'))))
            .ToArray();

    private string PathOf(string pattern) => seeded.Aggregate(pattern, (path, s) => path.Replace(s.Key, s.Value, StringComparison.Ordinal))
        .Replace("{id:length(32)}", alumnus.Value, StringComparison.Ordinal)
        .Replace("{*path}", "no-such-page", StringComparison.Ordinal);

    [Fact]
    public void EveryConsoleRoute_HasAnExpectation()
    {
        var routes = ConsoleRoutes();

        Assert.NotEmpty(routes);
        Assert.All(routes, r => Assert.Contains(Expected, e => e.Method == r.Method && e.Pattern == r.Pattern));
        Assert.All(Expected, e => Assert.Contains((e.Method, e.Pattern), routes));
    }

    public static TheoryData<string> Roles => new(AdminRoles.All);

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryConsoleRoute_AnswersEachRoleOnlyWhatItMay(string role)
    {
        var answers = new List<string>();
        foreach (var (method, pattern) in ConsoleRoutes())
        {
            var expectation = Expected.Single(e => e.Method == method && e.Pattern == pattern);
            var allowed = expectation.Needs is not { } capability || AdminRoles.Grants([role], capability);
            using var client = await ConsoleClient.SignedInAsync(app, role);
            var path = PathOf(pattern);
            var response = method == "GET"
                ? await client.GetAsync(path + (pattern.EndsWith("/language", StringComparison.Ordinal) ? "?to=en" : ""))
                : await client.PostFormFromAsync(ConsolePage.Root + "/home", path,
                    ("rehireEligible", "unknown"), ("doNotContact", "false"), ("shown.rehireEligible", "unknown"), ("shown.doNotContact", "false"));

            var expected = allowed ? expectation.Allowed : HttpStatusCode.Forbidden;
            if (response.StatusCode != expected || !response.Headers.CacheControl!.NoStore)
            {
                answers.Add($"{method} {path}: {(int)response.StatusCode} (expected {(int)expected}), Cache-Control: {response.Headers.CacheControl}");
            }
        }

        Assert.Empty(answers);
    }

    [Fact]
    public async Task Viewer_GetsTheDashboard_And403OnEveryPersonalDataPage()
    {
        using var viewer = await ConsoleClient.SignedInAsync(app, AdminRoles.Viewer);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/console/insights")).StatusCode);
        foreach (var path in new[] { "/api/console/alumni", $"/api/console/alumni/{alumnus.Value}", "/api/console/alumni/export.csv", "/api/console/audit" })
        {
            var response = await viewer.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("walk@example.net", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var home = await viewer.GetPageAsync("/api/console/home");
        Assert.DoesNotContain("/api/console/alumni", home, StringComparison.Ordinal);
        Assert.Contains("/api/console/insights", home, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/console/home")]
    [InlineData("GET", "/api/console/insights")]
    [InlineData("GET", "/api/console/alumni")]
    [InlineData("POST", "/api/console/sign-out")]
    public async Task NotSignedIn_IsSentToTheSignInPage(string method, string path)
    {
        using var anonymous = ConsoleClient.Anonymous(app);

        var response = method == "GET" ? await anonymous.GetAsync(path) : await anonymous.PostRawAsync(path, []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(DevelopmentSignIn.Path + "?returnUrl=", Local(response.Headers.Location!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var admin = await ConsoleClient.SignedInAsync(app, AdminRoles.Admin);

        var signedOut = await admin.PostFormFromAsync(ConsolePage.Root + "/home", ConsolePage.Root + "/sign-out");
        var after = await admin.GetAsync(ConsolePage.Root + "/alumni");

        Assert.Equal((HttpStatusCode.Redirect, DevelopmentSignIn.Path), (signedOut.StatusCode, signedOut.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith(DevelopmentSignIn.Path, Local(after.Headers.Location!), StringComparison.Ordinal);
    }

    /// <summary>The path and query of a redirect, whether the app made it absolute (the cookie handler does) or not.</summary>
    internal static string Local(Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    [Theory]
    [InlineData("Alumni.Reader")]
    [InlineData("alumni.admin")]
    [InlineData("")]
    public async Task DevelopmentSignIn_WithAnUnknownRole_Returns400AndSignsNobodyIn(string role)
    {
        using var client = ConsoleClient.Anonymous(app);

        var response = await client.PostFormAsync(DevelopmentSignIn.Path, ("role", role));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(ConsolePage.Root + "/home")).StatusCode);
    }

    [Fact]
    public async Task DevelopmentSignIn_WithoutItsFormToken_Returns400()
    {
        using var client = ConsoleClient.Anonymous(app);

        var response = await client.PostRawAsync(DevelopmentSignIn.Path, [("role", AdminRoles.Admin)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(ConsolePage.Root + "/home")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/api/console/home")]
    [InlineData("/api/console//evil.example")]
    [InlineData("/api/console/home\r\nX-Injected: 1")]
    [InlineData("/api/console/山田")]
    [InlineData("/api/console/a b")]
    public async Task DevelopmentSignIn_GoesBackOnlyToConsolePages(string returnUrl)
    {
        using var client = ConsoleClient.Anonymous(app);

        var response = await client.PostFormAsync(DevelopmentSignIn.Path, ("role", AdminRoles.Admin), (DevelopmentSignIn.ReturnParameter, returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Injected"));
        Assert.Equal(ConsolePage.Root + "/home", response.Headers.Location!.OriginalString);
    }
}
