using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Tests.Admin;

[Collection(AzuriteCollection.Name)]
public sealed class GetAlumnusFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private string Token(params string[] roles)
    {
        var options = app.Services.GetRequiredService<IConfiguration>().GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>()!;
        return DevelopmentAdminToken.Create(options, roles, TimeProvider.System);
    }

    private async Task<HttpResponseMessage> GetAsync(string id, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/admin/alumni/{id}");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await app.Client.SendAsync(request);
    }

    [Fact]
    public async Task AdminToken_ReadsTheAlumnusIncludingHrOnlyFlags()
    {
        var created = await app.PostSignedAsync(Departures.Body());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!;

        var response = await GetAsync(id, Token("Alumni.Admin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("山田", body.GetProperty("familyName").GetString());
        Assert.True(body.GetProperty("rehireEligible").GetBoolean());
        Assert.Equal("Departed", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task NoToken_Returns401() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("0".PadRight(32, '0'), null)).StatusCode);

    [Fact]
    public async Task TokenSignedWithAnotherKey_Returns401()
    {
        var forged = DevelopmentAdminToken.Create(
            new AdminAuthOptions { Audience = "api://alumni-network-local", DevelopmentSigningKey = Convert.ToBase64String(new byte[64]) },
            ["Alumni.Admin"], TimeProvider.System);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("0".PadRight(32, '0'), forged)).StatusCode);
    }

    [Fact]
    public async Task TokenWithoutAdminRole_Returns403() =>
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("0".PadRight(32, '0'), Token("Alumni.Reader"))).StatusCode);

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("not-an-id")]
    public async Task UnknownId_Returns404(string id) =>
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(id, Token("Alumni.Admin"))).StatusCode);
}
