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
        { "GET", "api/admin/alumni", null },
        { "GET", "api/admin/alumni?q=%E5%B1%B1%E7%94%B0&status=Joined", null },
        { "GET", $"api/admin/alumni/{SomeId}", null },
        { "PATCH", $"api/admin/alumni/{SomeId}/flags", """{"doNotContact":true}""" },
        { "GET", "api/admin/alumni/export.csv", null },
        { "GET", "api/admin/audit", null },
        { "GET", "api/admin/audit?from=2026-01-01&to=2026-01-02", null },
        { "GET", "api/admin/dead-letters", null },
        { "POST", "api/admin/dead-letters/welcome-invitations/redrive", null },
        { "GET", "api/admin/work/failed", null },
        { "POST", "api/admin/work/failed/retry", null },
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

    /// <summary>An admin-role token with a name but neither <c>sub</c> nor <c>oid</c>: the audit log could not name its holder.</summary>
    private string TokenWithoutSubject()
    {
        var options = app.Services.GetRequiredService<IConfiguration>().GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>()!;
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AdminAuthentication.DevelopmentIssuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity([new Claim("name", "Nameless admin"), new Claim("roles", options.Role)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(DevelopmentAdminToken.SigningKey(options), SecurityAlgorithms.HmacSha256),
        });
    }
}
