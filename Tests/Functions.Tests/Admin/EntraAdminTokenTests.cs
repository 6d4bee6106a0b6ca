using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AlumniNetwork.Functions.Tests.Admin;

/// <summary>
/// The JSON admin API outside Development, as docs/deploy.md sets it up: the authority's metadata (here a static copy of
/// what Entra's v2.0 metadata says: the v2.0 issuer and the tenant's signing key) and Entra's two access-token shapes.
/// A v1.0 token (what a registration issues by default) names <c>https://sts.windows.net/&lt;tenant&gt;/</c> and the App ID
/// URI; a v2.0 token the v2.0 issuer and the client id. Both are admitted; another tenant, audience or key is not.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EntraAdminTokenTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Tenant = "7d1c3b2a-5e4f-4a6b-9c8d-0e1f2a3b4c5d";
    private const string OtherTenant = "3b2a1c0d-9e8f-4d7c-8b6a-5f4e3d2c1b0a";
    private const string AppIdUri = "api://contoso-alumni-admin";
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private const string V1Issuer = $"https://sts.windows.net/{Tenant}/";
    private const string V2Issuer = $"https://login.microsoftonline.com/{Tenant}/v2.0";

    private readonly RsaSecurityKey tenantKey = new(RSA.Create(2048)) { KeyId = "tenant-key" };
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await StartAsync(clientId: ClientId);

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        tenantKey.Rsa.Dispose();
    }

    [Fact]
    public async Task V1AccessToken_ForTheAppIdUri_IsAdmitted() =>
        Assert.Equal(HttpStatusCode.OK, await GetAlumniAsync(Token(V1Issuer, AppIdUri)));

    [Fact]
    public async Task V2AccessToken_ForTheClientId_IsAdmitted() =>
        Assert.Equal(HttpStatusCode.OK, await GetAlumniAsync(Token(V2Issuer, ClientId)));

    public static TheoryData<string, string> Refused => new()
    {
        { $"https://sts.windows.net/{OtherTenant}/", AppIdUri },
        { $"https://login.microsoftonline.com/{OtherTenant}/v2.0", ClientId },
        { "https://sts.windows.net/", AppIdUri },
        { V1Issuer, "api://another-app" },
        { V2Issuer, "99999999-8888-7777-6666-555555555555" },
        { V2Issuer, "https://graph.microsoft.com" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task TokenOfAnotherTenantOrAudience_Returns401AndChangesNothing(string issuer, string audience)
    {
        await app.SeedAsync("E7101", "entra@example.net", "花子", "山田");
        var before = await app.SnapshotAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAlumniAsync(Token(issuer, audience)));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task TokenSignedWithAKeyTheMetadataDoesNotList_Returns401()
    {
        using var otherKey = RSA.Create(2048);

        var token = Token(V1Issuer, AppIdUri, new RsaSecurityKey(otherKey) { KeyId = "tenant-key" });

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAlumniAsync(token));
    }

    [Fact]
    public async Task WithoutAClientId_OnlyTheAppIdUriIsAnAudience()
    {
        await using var withoutClientId = await StartAsync(clientId: null);

        Assert.Equal(HttpStatusCode.OK, await GetAlumniAsync(Token(V1Issuer, AppIdUri), withoutClientId));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAlumniAsync(Token(V2Issuer, ClientId), withoutClientId));
    }

    private Task<TestApp> StartAsync(string? clientId)
    {
        var settings = TestApp.ProductionSettings();
        settings["AdminAuth:Authority"] = V2Issuer;
        settings["AdminAuth:Audience"] = AppIdUri;
        settings["AdminAuth:ClientId"] = clientId;

        // What https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration would answer: the v2.0
        // issuer only, and the tenant's keys. Nothing is fetched.
        var metadata = new OpenIdConnectConfiguration { Issuer = V2Issuer };
        metadata.SigningKeys.Add(tenantKey);
        return TestApp.StartAsync(azurite, settings, environment: "Production", services: services =>
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
            {
                jwt.Configuration = metadata;
                jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
            }));
    }

    private string Token(string issuer, string audience, SecurityKey? key = null)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("oid", "8c2f0e1d-admin"), new Claim("tid", Tenant), new Claim("roles", "Alumni.Admin")]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(key ?? tenantKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<HttpStatusCode> GetAlumniAsync(string token, TestApp? target = null) =>
        (await (target ?? app).SendAsync(HttpMethod.Get, "api/manage/alumni", token)).StatusCode;
}
