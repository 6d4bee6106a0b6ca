using System.Net.Http.Headers;
using System.Security.Claims;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlumniNetwork.Functions.Tests.Admin;

/// <summary>Admin requests with Development tokens, and alumni seeded through the HRIS webhook as HR would post them.</summary>
internal static class AdminApi
{
    /// <summary>The subject the Development token carries: what the audit log must name.</summary>
    public const string DevelopmentSubject = "local-admin";

    public static string Token(this TestApp app, params string[] roles)
    {
        var options = app.Services.GetRequiredService<IConfiguration>().GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>()!;
        return DevelopmentAdminToken.Create(options, roles.Length == 0 ? [options.Role] : roles, TimeProvider.System);
    }

    /// <summary>A correctly signed admin token for the Development subject, shaped by <paramref name="shape"/> (claims, times).</summary>
    public static string Token(this TestApp app, Action<SecurityTokenDescriptor> shape, bool setDefaultTimes = true)
    {
        var options = app.Services.GetRequiredService<IConfiguration>().GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>()!;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = AdminAuthentication.DevelopmentIssuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", DevelopmentSubject), new Claim("roles", options.Role)]),
            SigningCredentials = new SigningCredentials(DevelopmentAdminToken.SigningKey(options), SecurityAlgorithms.HmacSha256),
        };
        shape(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = setDefaultTimes }.CreateToken(descriptor);
    }

    /// <summary>A request with an admin token.</summary>
    public static Task<HttpResponseMessage> AdminAsync(this TestApp app, HttpMethod method, string path, string? json = null, string contentType = "application/json") =>
        app.SendAsync(method, path, app.Token(), json, contentType);

    /// <summary>A request with the given bearer token, or none when it is null.</summary>
    public static async Task<HttpResponseMessage> SendAsync(this TestApp app, HttpMethod method, string path, string? token, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await app.Client.SendAsync(request);
    }

    /// <summary>An admin create (POST) that carries an <c>Idempotency-Key</c> (ADR 0037).</summary>
    public static async Task<HttpResponseMessage> AdminCreateAsync(this TestApp app, string path, string json, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.Token());
        Assert.True(request.Headers.TryAddWithoutValidation(Core.Admin.IdempotencyKey.Header, key));
        return await app.Client.SendAsync(request);
    }

    /// <summary>An admin search with its criteria in the body (<c>{"q": …}</c>), as it must be sent: never in the URL (ADR 0005).</summary>
    public static async Task<JsonElement> AdminSearchAsync(this TestApp app, string criteria)
    {
        var response = await app.AdminAsync(HttpMethod.Post, Functions.SearchAlumniByBody.SearchAlumniByBodyFunction.Route.TrimStart('/'), criteria);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> AdminJsonAsync(this TestApp app, string path)
    {
        var response = await app.AdminAsync(HttpMethod.Get, path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Records a departure through the signed webhook, with a chosen name, address and department.</summary>
    public static async Task<AlumnusId> SeedAsync(this TestApp app, string employeeId, string email, string givenName, string familyName, string department = "Retail Banking")
    {
        var body = JsonNode.Parse(Departures.Body(employeeId: employeeId, email: email, givenName: givenName, familyName: familyName))!;
        body["data"]!["department"] = department;
        var response = await app.PostSignedAsync(body.ToJsonString());
        response.EnsureSuccessStatusCode();
        return AlumnusId.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!);
    }

    /// <summary>Moves a seeded alumnus on through the store, as the invitation and join flows would.</summary>
    public static async Task SetStatusAsync(this TestApp app, AlumnusId id, AlumnusStatus status)
    {
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var alumnus = (await store.GetAsync(id, CancellationToken.None))!;
        alumnus.MarkInvited(TimeProvider.System.GetUtcNow());
        if (status == AlumnusStatus.Joined)
        {
            alumnus.Join(TimeProvider.System.GetUtcNow());
        }

        Assert.True(await store.TryUpdateAsync(alumnus, CancellationToken.None));
    }
}
