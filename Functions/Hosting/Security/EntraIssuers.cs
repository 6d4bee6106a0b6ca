namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// The two issuers Microsoft Entra ID writes into one tenant's access tokens: a v2.0 token names
/// <c>https://login.microsoftonline.com/&lt;tenant id&gt;/v2.0</c>, a v1.0 token <c>https://sts.windows.net/&lt;tenant id&gt;/</c>.
/// A registration issues v1.0 tokens unless its manifest sets <c>requestedAccessTokenVersion</c> to 2, yet the metadata
/// of a v2.0 authority names only the v2.0 issuer: without both, a default registration's tokens are all refused.
/// </summary>
public static class EntraIssuers
{
    /// <summary>The host of the v1.0 issuer (Microsoft's "Access token claims reference").</summary>
    public const string V1Host = "sts.windows.net";

    /// <summary>The tenant id an authority names as its first path segment; false for a domain name, <c>common</c> or a malformed URI.</summary>
    public static bool TryGetTenantId(string? authority, out Guid tenantId)
    {
        tenantId = Guid.Empty;
        return Uri.TryCreate(authority, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttps
            && Guid.TryParse(uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), out tenantId);
    }

    /// <summary>Both issuers of the authority's tenant: v2.0 on the authority's own host, then v1.0.</summary>
    public static IReadOnlyList<string> Of(string authority)
    {
        if (!TryGetTenantId(authority, out var tenantId))
        {
            throw new ArgumentException("The authority does not name a tenant id.", nameof(authority));
        }

        var host = new Uri(authority).Authority;
        return [$"https://{host}/{tenantId:D}/v2.0", $"https://{V1Host}/{tenantId:D}/"];
    }
}
