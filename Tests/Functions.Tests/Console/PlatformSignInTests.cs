using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The console outside Development: signed in only by the platform's principal header, and only where the platform says
/// its authentication is on; the development sign-in page does not exist.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlatformSignInTests(AzuriteFixture azurite)
{
    private const string Authority = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0";

    private static readonly Dictionary<string, string?> PlatformOn = new() { [AppServicePrincipal.EnabledSetting] = "True", ["AdminAuth:Authority"] = Authority };

    private static readonly Dictionary<string, string?> PlatformOff = new() { ["AdminAuth:Authority"] = Authority };

    private static async Task<HttpResponseMessage> GetAsync(TestApp app, string path, string? principal)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (principal is not null)
        {
            request.Headers.Add(AppServicePrincipal.HeaderName, principal);
        }

        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task DevelopmentSignIn_DoesNotExistInProduction(string method)
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOn, environment: "Production");

        var response = await app.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), DevelopmentSignIn.Path)
        {
            Content = method == "POST" ? new FormUrlEncodedContent([KeyValuePair.Create("role", AdminRoles.Admin)]) : null,
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PlatformPrincipal_SignsInWithItsRoles()
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOn, environment: "Production");
        var viewer = AppServicePrincipalTests.Header(roles: [AdminRoles.Viewer]);

        var dashboard = await GetAsync(app, "/api/console/insights", viewer);
        var alumni = await GetAsync(app, "/api/console/alumni", viewer);
        var admin = await GetAsync(app, "/api/console/alumni", AppServicePrincipalTests.Header(roles: [AdminRoles.Admin]));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.OK), (dashboard.StatusCode, alumni.StatusCode, admin.StatusCode));
        Assert.Contains("山田 花子", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The platform's sign-out redirects to Entra ID; a form's submission may not follow that redirect under the pages'
    /// <c>form-action 'self'</c>, so outside Development the console signs out by a link.
    /// </summary>
    [Fact]
    public async Task SignOut_IsALinkToThePlatformsSignOut_NotAForm()
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOn, environment: "Production");

        var home = await (await GetAsync(app, "/api/console/home", AppServicePrincipalTests.Header(roles: [AdminRoles.Viewer]))).Content.ReadAsStringAsync();

        Assert.Contains("""<a href="/.auth/logout?post_logout_redirect_uri=%2Fapi%2Fconsole%2Fsigned-out">""", home, StringComparison.Ordinal);
        Assert.DoesNotContain("/sign-out\"", home, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPrincipal_IsSentToThePlatformsSignIn()
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOn, environment: "Production");

        var response = await GetAsync(app, "/api/console/insights?x=1", principal: null);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole%2Finsights%3Fx%3D1", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("eyJhdXRoX3R5cCI6ImFhZCJ9")]
    public async Task MalformedPrincipal_SignsNobodyIn(string principal)
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOn, environment: "Production");

        var response = await GetAsync(app, "/api/console/home", principal);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/.auth/login/aad", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrincipalHeader_WhenThePlatformDoesNotSayItsAuthenticationIsOn_IsIgnored()
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOff, environment: "Production");

        var response = await GetAsync(app, "/api/console/alumni", AppServicePrincipalTests.Header(roles: [AdminRoles.Admin]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Sign-in is not set up", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrincipalHeader_InDevelopment_IsIgnoredEvenWithThePlatformSetting()
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { [AppServicePrincipal.EnabledSetting] = "True" });

        var response = await GetAsync(app, "/api/console/alumni", AppServicePrincipalTests.Header(roles: [AdminRoles.Admin]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(DevelopmentSignIn.Path, ConsoleAccessTests.Local(response.Headers.Location!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrincipalHeader_OnTheJsonApi_IsNoBearerToken()
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOn, environment: "Production");

        var response = await GetAsync(app, "/api/manage/alumni", AppServicePrincipalTests.Header(roles: [AdminRoles.Admin]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ConsoleCookies_AreSecureInAzure_ThoughTheHostForwardsPlainHttp()
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOn, environment: "Production");

        var response = await GetAsync(app, "/api/console/events/new", AppServicePrincipalTests.Header(roles: [AdminRoles.Admin]));

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("alumni-console-csrf=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An admin with a console form open in one tab follows a link to the console's home on another site (ADR 0019 lets
    /// the entry open from anywhere). The browser sends the token cookie with that top-level GET only as its SameSite
    /// allows, and keeps whatever cookie the answer sets: the form in the first tab must still be accepted. A Strict
    /// cookie stayed behind, antiforgery set a new one over it, and the first tab's form was refused (400).
    /// </summary>
    [Fact]
    public async Task EntryOpenedFromAnotherSite_LeavesTheFormsOpenInOtherTabsAccepted()
    {
        await using var app = await TestApp.StartAsync(azurite, PlatformOn, environment: "Production");
        var principal = AppServicePrincipalTests.Header(roles: [AdminRoles.Admin]);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        string? token = null;
        var sameSite = "";
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string secFetchSite, bool sendsCookie, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
            request.Headers.Add(AppServicePrincipal.HeaderName, principal);
            request.Headers.Add("Sec-Fetch-Site", secFetchSite);
            if (sendsCookie && token is not null)
            {
                request.Headers.Add("Cookie", token);
            }

            var response = await client.SendAsync(request);
            var set = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(c => c.StartsWith("alumni-console-csrf=", StringComparison.Ordinal)) : null;
            if (set is not null)
            {
                var parts = set.Split(';', StringSplitOptions.TrimEntries);
                (token, sameSite) = (parts[0], parts.FirstOrDefault(p => p.StartsWith("samesite=", StringComparison.OrdinalIgnoreCase))?[9..].ToLowerInvariant() ?? "");
            }

            return response;
        }

        var firstTab = await (await SendAsync(HttpMethod.Get, "/api/console/events/new", "none", sendsCookie: true)).Content.ReadAsStringAsync();
        var fromAnotherSite = await SendAsync(HttpMethod.Get, "/api/console/home", "cross-site", sendsCookie: sameSite is "lax" or "none");
        var posted = await SendAsync(HttpMethod.Post, "/api/console/sign-out", "same-origin", sendsCookie: true,
            new FormUrlEncodedContent([KeyValuePair.Create(ConsoleAuthentication.AntiforgeryField, ConsoleClient.TokenOf(firstTab))]));

        Assert.Equal(HttpStatusCode.OK, fromAnotherSite.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
    }
}
