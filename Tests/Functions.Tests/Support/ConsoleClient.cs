using System.Net;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>A browser-like HTTP client for the console: its own cookies, no automatic redirects, signed in through the development sign-in page.</summary>
internal sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient http;

    private ConsoleClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public static ConsoleClient Anonymous(TestApp app) => new(app.BaseAddress);

    /// <summary>Signs in with <paramref name="role"/> as a person would: open the page, pick the role, submit.</summary>
    public static async Task<ConsoleClient> SignedInAsync(TestApp app, string role)
    {
        var client = new ConsoleClient(app.BaseAddress);
        var response = await client.PostFormAsync(DevelopmentSignIn.Path, ("role", role));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>A GET as a browser sends it when the page was opened from <paramref name="secFetchSite"/> (<c>cross-site</c>: a link on another site).</summary>
    public Task<HttpResponseMessage> GetFromAsync(string path, string secFetchSite)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        return http.SendAsync(request);
    }

    public async Task<string> GetPageAsync(string path)
    {
        var response = await GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form the way the page would: with the antiforgery token from the page at <paramref name="formPage"/> (default: the target).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, params (string Key, string Value)[] fields) =>
        await PostFormFromAsync(path.Split('?')[0].EndsWith("/flags", StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : path, path, fields);

    /// <remarks>An edit page's record version, and a create page's one-time key, go with the fields unless they name them, as their hidden fields would.</remarks>
    public async Task<HttpResponseMessage> PostFormFromAsync(string formPage, string path, params (string Key, string Value)[] fields) =>
        await PostFormOfAsync(await (await GetAsync(formPage)).Content.ReadAsStringAsync(), path, fields);

    /// <summary>
    /// Posts a form from a page loaded earlier, with the antiforgery token and the record version (if any) it carried, as a
    /// browser tab left open would.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormOfAsync(string page, string path, params (string Key, string Value)[] fields)
    {
        Assert.True(TokenField().IsMatch(page), "The page has no antiforgery field");
        (string, string)[] version = VersionOf(page) is { } v && !fields.Any(f => f.Key == RecordVersion.Field) ? [(RecordVersion.Field, v)] : [];
        (string, string)[] key = KeyField().Match(page) is { Success: true } k && !fields.Any(f => f.Key == IdempotencyKey.Field) ? [(IdempotencyKey.Field, k.Groups[1].Value)] : [];
        return await PostRawAsync(path, [.. fields, .. version, .. key, (ConsoleAuthentication.AntiforgeryField, TokenOf(page))]);
    }

    /// <summary>The antiforgery token a page's forms carry.</summary>
    public static string TokenOf(string page) => WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value);

    /// <summary>The version of the record an edit page's form was built from, or null when it has none.</summary>
    public static string? VersionOf(string page) => VersionField().Match(page) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Posts exactly these fields, with whatever cookies the client holds.</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, IEnumerable<(string Key, string Value)> fields, string? secFetchSite = "same-origin")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        if (secFetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        }

        return http.SendAsync(request);
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"version\" value=\"([^\"]+)\"")]
    private static partial Regex VersionField();

    [GeneratedRegex("name=\"idempotencyKey\" value=\"([A-Za-z0-9_-]+)\"")]
    private static partial Regex KeyField();
}

internal static class InsightsRollUp
{
    /// <summary>Runs the RollUpInsights timer the way the Functions host would, and checks it succeeded.</summary>
    public static async Task RollUpInsightsAsync(this TestApp app)
    {
        var response = await app.Client.PostAsync("RollUpInsights", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"RollUpInsights answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
