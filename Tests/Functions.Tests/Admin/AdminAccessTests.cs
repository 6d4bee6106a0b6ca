using System.Net;
using System.Security.Claims;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlumniNetwork.Functions.Tests.Admin;

/// <summary>Every admin endpoint refuses a missing, forged or under-privileged token, and a refusal reads or writes nothing.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdminAccessTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SomeId = "0123456789abcdef0123456789abcdef";
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "GET", "api/manage/alumni", null },
        { "GET", "api/manage/alumni?status=Joined", null },
        { "POST", "api/manage/alumni/search", """{"q": "山田", "status": "Joined"}""" },
        { "GET", $"api/manage/alumni/{SomeId}", null },
        { "PATCH", $"api/manage/alumni/{SomeId}/flags", """{"doNotContact":true}""" },
        { "GET", "api/manage/alumni/export.csv", null },
        { "GET", "api/manage/audit", null },
        { "GET", "api/manage/audit?from=2026-01-01&to=2026-01-02", null },
        { "GET", "api/manage/dead-letters", null },
        { "POST", "api/manage/dead-letters/welcome-invitations/redrive", null },
        { "GET", "api/manage/work/failed", null },
        { "POST", "api/manage/work/failed/retry", null },
    };

    private Task<HttpResponseMessage> SendAsync(string method, string path, string? body, string? token) =>
        app.SendAsync(new HttpMethod(method), path, token, body);

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task NoToken_Returns401(string method, string path, string? body)
    {
        await app.SeedAsync("E7001", "access@example.net", "花子", "山田");
        var rows = await app.CountAllRowsAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(method, path, body, token: null)).StatusCode);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task TokenSignedWithAnotherKey_Returns401(string method, string path, string? body)
    {
        var forged = DevelopmentAdminToken.Create(
            new AdminAuthOptions { Audience = "api://alumni-network-local", DevelopmentSigningKey = Convert.ToBase64String(new byte[64]) },
            ["Alumni.Admin"], TimeProvider.System);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(method, path, body, forged)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task TokenWithoutAdminRole_Returns403(string method, string path, string? body)
    {
        await app.SeedAsync("E7001", "access@example.net", "花子", "山田");
        var rows = await app.CountAllRowsAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(method, path, body, app.Token("Alumni.Reader"))).StatusCode);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AdminTokenWithoutSubjectId_Returns403(string method, string path, string? body) =>
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(method, path, body, TokenWithoutSubject())).StatusCode);

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AdminToken_IsAdmitted(string method, string path, string? body)
    {
        var status = (await SendAsync(method, path, body, app.Token())).StatusCode;

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound });
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task TokenLivingLongerThanTheMaximum_Returns401AndChangesNothing(string method, string path, string? body)
    {
        await app.SeedAsync("E7001", "access@example.net", "花子", "山田");
        var rows = await app.CountAllRowsAsync();
        var token = DevelopmentAdminToken.Create(Options(), [Options().Role], TimeProvider.System, TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(method, path, body, token)).StatusCode);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task TokenLivingExactlyTheMaximum_IsAdmitted()
    {
        var token = DevelopmentAdminToken.Create(Options(), [Options().Role], TimeProvider.System, TimeSpan.FromHours(24));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "api/manage/alumni", null, token)).StatusCode);
    }

    [Fact]
    public async Task MaximumLifetime_IsConfigurable()
    {
        await using var strict = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["AdminAuth:MaxTokenLifetime"] = "01:00:00" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await strict.SendAsync(HttpMethod.Get, "api/manage/alumni", strict.Token())).StatusCode);
        var hour = DevelopmentAdminToken.Create(Options(), [Options().Role], TimeProvider.System, TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await strict.SendAsync(HttpMethod.Get, "api/manage/alumni", hour)).StatusCode);
    }

    [Fact]
    public async Task TokenNamingNeitherIssuedAtNorNotBefore_Returns401()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;

        var token = app.Token(d => d.Expires = now.AddHours(1), setDefaultTimes: false);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("GET", "api/manage/alumni", null, token)).StatusCode);
    }

    [Fact]
    public async Task TokenWithOnlyNotBefore_IsJudgedFromNotBefore()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;

        var shortLived = app.Token(d => (d.NotBefore, d.Expires) = (now, now.AddHours(1)), setDefaultTimes: false);
        var longLived = app.Token(d => (d.NotBefore, d.Expires) = (now, now.AddDays(2)), setDefaultTimes: false);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "api/manage/alumni", null, shortLived)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("GET", "api/manage/alumni", null, longLived)).StatusCode);
    }

    [Fact]
    public async Task TokenExpiredThreeMinutesAgo_Returns401DespiteTheLibrarysFiveMinuteDefaultSkew()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;

        var token = app.Token(d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddHours(-1), now.AddHours(-1), now.AddMinutes(-3)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("GET", "api/manage/alumni", null, token)).StatusCode);
    }

    private AdminAuthOptions Options() =>
        app.Services.GetRequiredService<IConfiguration>().GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>()!;

    /// <summary>An admin-role token with a name but neither <c>sub</c> nor <c>oid</c>: the audit log could not name its holder.</summary>
    private string TokenWithoutSubject()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return app.Token(d =>
        {
            d.Subject = new ClaimsIdentity([new Claim("name", "Nameless admin"), new Claim("roles", Options().Role)]);
            (d.IssuedAt, d.NotBefore, d.Expires) = (now, now, now.AddHours(1));
        });
    }
}
