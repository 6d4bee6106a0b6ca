using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>Parsing the platform's <c>X-MS-CLIENT-PRINCIPAL</c> header: real shapes accepted, forged or malformed ones refused.</summary>
public sealed class AppServicePrincipalTests
{
    private const string RoleUri = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private const string NameUri = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

    /// <summary>The shape App Service sends for an Entra sign-in: long claim URIs for ids, <c>roles</c> for app roles.</summary>
    internal static string Header(string authType = "aad", string? oid = "8f14e45f-ceea-467f-a0e6-7a1a8d5c1b2e", params string[] roles)
    {
        var claims = new JsonArray
        {
            Claim("http://schemas.microsoft.com/identity/claims/tenantid", "72f988bf-86f1-41af-91ab-2d7cd011db47"),
            Claim("name", "山田 花子"),
            Claim("preferred_username", "hanako.yamada@example.co.jp"),
        };
        if (oid is not null)
        {
            claims.Add(Claim("http://schemas.microsoft.com/identity/claims/objectidentifier", oid));
        }

        foreach (var role in roles)
        {
            claims.Add(Claim("roles", role));
        }

        return Encode(new JsonObject { ["auth_typ"] = authType, ["name_typ"] = NameUri, ["role_typ"] = RoleUri, ["claims"] = claims }.ToJsonString());
    }

    private static JsonObject Claim(string type, string value) => new() { ["typ"] = type, ["val"] = value };

    private static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void EntraPrincipal_HasTheObjectIdNameAndAppRoles()
    {
        var principal = AppServicePrincipal.Parse(Header(roles: ["Alumni.Viewer", "Alumni.Recruiter"]))!;

        Assert.Equal("8f14e45f-ceea-467f-a0e6-7a1a8d5c1b2e", AdminActor.IdOf(principal));
        Assert.Equal("山田 花子", principal.Identity!.Name);
        Assert.True(principal.IsInRole("Alumni.Viewer") && principal.IsInRole("Alumni.Recruiter"));
        Assert.False(principal.IsInRole("Alumni.Admin"));
        Assert.Null(principal.FindFirst("preferred_username"));
    }

    /// <summary>
    /// The platform passes the ID token's <c>sub</c> as the name-identifier claim too: the console names the admin by the
    /// object id all the same, as the JSON API does from its bearer token, so one person is one actor on both paths.
    /// </summary>
    [Fact]
    public void PrincipalWithSubjectAndObjectId_IsNamedByTheObjectId_AsTheApiTokenIs()
    {
        var json = new JsonObject
        {
            ["auth_typ"] = "aad",
            ["claims"] = new JsonArray
            {
                Claim("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ"),
                Claim("http://schemas.microsoft.com/identity/claims/objectidentifier", "8f14e45f-ceea-467f-a0e6-7a1a8d5c1b2e"),
                Claim("roles", "Alumni.Admin"),
            },
        };
        var apiToken = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "a-pairwise-subject-for-the-api"), new Claim("oid", "8f14e45f-ceea-467f-a0e6-7a1a8d5c1b2e")]));

        Assert.Equal("8f14e45f-ceea-467f-a0e6-7a1a8d5c1b2e", AdminActor.IdOf(AppServicePrincipal.Parse(Encode(json.ToJsonString()))!));
        Assert.Equal("8f14e45f-ceea-467f-a0e6-7a1a8d5c1b2e", AdminActor.IdOf(apiToken));
    }

    [Fact]
    public void PrincipalWithoutObjectId_IsNamedByItsSubject()
    {
        var json = new JsonObject
        {
            ["auth_typ"] = "aad",
            ["claims"] = new JsonArray { Claim("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "s-1"), Claim("roles", "Alumni.Admin") },
        };

        Assert.Equal("s-1", AdminActor.IdOf(AppServicePrincipal.Parse(Encode(json.ToJsonString()))!));
    }

    [Fact]
    public void RolesNamedByRoleType_CountAsRolesToo()
    {
        var json = new JsonObject
        {
            ["auth_typ"] = "aad", ["role_typ"] = RoleUri,
            ["claims"] = new JsonArray { Claim("oid", "o-1"), Claim(RoleUri, "Alumni.Admin") },
        };

        Assert.True(AppServicePrincipal.Parse(Encode(json.ToJsonString()))!.IsInRole("Alumni.Admin"));
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "not base64 at all!", "malformed base64" },
        { Encode("{not json"), "malformed JSON" },
        { Encode("[]"), "not an object" },
        { Encode("""{"auth_typ":"aad"}"""), "no claims" },
        { Encode("""{"auth_typ":"aad","claims":{}}"""), "claims not an array" },
        { Encode("""{"auth_typ":"aad","claims":[{"typ":"oid"}]}"""), "a claim without a value" },
        { Encode("""{"auth_typ":"aad","claims":["oid"]}"""), "a claim that is no object" },
        { Header(authType: "google", roles: ["Alumni.Admin"]), "another identity provider" },
        { Header(oid: null, roles: ["Alumni.Admin"]), "no subject to audit" },
        { Convert.ToBase64String(new byte[40 * 1024]), "longer than any real principal" },
        { "", "empty" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void ForgedOrMalformedHeader_IsRefused(string header, string why) =>
        Assert.True(AppServicePrincipal.Parse(header) is null, why);
}
