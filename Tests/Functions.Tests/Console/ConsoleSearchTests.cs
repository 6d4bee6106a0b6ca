using System.Net;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.AdminConsole;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The console's alumni search (ADR 0005): the criteria are posted with the form's antiforgery token and the results
/// are the answer, so the search text, a name or an email address, is in no URL the Functions host records, and in no
/// link of the results page (paging posts it again in hidden fields; the way back after a language switch is the empty page).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ConsoleSearchTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private const string Search = "/api/console/alumni";

    private async Task<List<(string Action, string Detail)>> AuditAsync() =>
        [.. (await App.RowsAsync(AlumniTables.Audit)).Select(r => (r.GetString("Action"), r.GetString("Detail")))];

    /// <summary>Every address a page can send the browser to: links and form targets.</summary>
    private static List<string> Addresses(string page) => [.. Address().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [Fact]
    public async Task SearchForm_IsAPostCarryingTheAntiforgeryToken()
    {
        var page = await Admin.GetPageAsync(Search);

        var form = SearchForm().Match(page);
        Assert.True(form.Success, "the search form posts to the search page");
        Assert.Contains("name=\"__csrf\"", form.Value, StringComparison.Ordinal);
        Assert.Contains("name=\"q\"", form.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostedSearch_FindsByName_AndNoAddressOnTheResultsPageCarriesTheText()
    {
        await App.SeedAsync("E5010", "hanako@example.net", "花子", "山田");
        await App.SeedAsync("E5011", "taro@example.net", "太郎", "佐藤");

        var response = await Admin.PostFormAsync(Search, ("q", "山田花子"));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("hanako@example.net", page, StringComparison.Ordinal);
        Assert.DoesNotContain("taro@example.net", page, StringComparison.Ordinal);
        Assert.Contains("value=\"山田花子\"", page, StringComparison.Ordinal);
        var addresses = Addresses(page);
        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.DoesNotContain("q=", Uri.UnescapeDataString(a), StringComparison.Ordinal));
        Assert.All(addresses, a => Assert.DoesNotContain("山田", Uri.UnescapeDataString(Uri.UnescapeDataString(a)), StringComparison.Ordinal));
        Assert.Contains(("alumni.search", "filters=q; page=1; results=1"), await AuditAsync());
    }

    [Fact]
    public async Task Paging_PostsTheCriteriaAgainInHiddenFields_NeverInALink()
    {
        await App.SeedAsync("E5012", "paging@example.net", "花子", "山田");

        var page = await (await Admin.PostFormAsync(Search, ("q", "paging@example.net"), ("status", "Departed"), ("page", "2"))).Content.ReadAsStringAsync();

        var previous = Assert.Single(PagingForm().Matches(page));
        Assert.Contains("name=\"__csrf\"", previous.Value, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"q\" value=\"paging@example.net\">", previous.Value, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"status\" value=\"Departed\">", previous.Value, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"page\" value=\"1\">", previous.Value, StringComparison.Ordinal);
        Assert.All(Addresses(page), a => Assert.DoesNotContain("paging", Uri.UnescapeDataString(a), StringComparison.Ordinal));
        Assert.DoesNotContain("?q=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("&amp;q=", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchWithoutItsToken_Returns400AndAuditsNothing()
    {
        await App.SeedAsync("E5013", "notoken@example.net", "花子", "山田");
        var rows = await App.CountAllRowsAsync(AlumniTables.DataProtectionKeys);

        var response = await Admin.PostRawAsync(Search, [("q", "山田")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("notoken@example.net", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AuditAsync());
        Assert.Equal(rows, await App.CountAllRowsAsync(AlumniTables.DataProtectionKeys));
    }

    [Fact]
    public async Task SearchFromAnotherSite_Returns403AndAuditsNothing()
    {
        await App.SeedAsync("E5014", "crosssite@example.net", "花子", "山田");
        var token = ConsoleClient.TokenOf(await Admin.GetPageAsync(ConsolePage.Root + "/home"));

        var response = await Admin.PostRawAsync(Search, [("q", "山田"), ("__csrf", token)], "cross-site");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await AuditAsync());
    }

    [Theory]
    [InlineData("?q=%E5%B1%B1%E7%94%B0")]
    [InlineData("?q=hanako%40example.net&status=Joined")]
    [InlineData("?department=Markets")]
    public async Task SearchInTheAddress_IsRedirectedToTheEmptySearchPage_BeforeAnythingIsReadOrAudited(string query)
    {
        await App.SeedAsync("E5015", "hanako@example.net", "花子", "山田");

        var got = await Admin.GetAsync(Search + query);
        var posted = await Admin.PostFormFromAsync(ConsolePage.Root + "/home", Search + query, ("q", "山田"));

        Assert.Equal((HttpStatusCode.Redirect, Search), (got.StatusCode, got.Headers.Location!.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, Search), (posted.StatusCode, posted.Headers.Location!.OriginalString));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task BadFilter_Returns400NamingIt_WithTheFormAsTyped_AndAuditsNothing()
    {
        await App.SeedAsync("E5016", "bad@example.net", "花子", "山田");
        var token = ConsoleClient.TokenOf(await Admin.GetPageAsync(ConsolePage.Root + "/home"));

        var status = await Admin.PostRawAsync(Search, [("q", "山田"), ("status", "Retired"), ("__csrf", token)]);
        var page = await Admin.PostRawAsync(Search, [("page", "two"), ("__csrf", token)]);

        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        var refused = await status.Content.ReadAsStringAsync();
        Assert.Contains("<code>status</code>", refused, StringComparison.Ordinal);
        Assert.Contains("value=\"山田\"", refused, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("<code>page</code>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task PostedSearch_IsTheSameAuditedSearchAsTheJsonApi()
    {
        await App.SeedAsync("E5017", "same@example.net", "花子", "山田");

        await Admin.PostFormAsync(Search, ("q", "山田"), ("department", ""), ("consent", ""));
        await App.AdminSearchAsync("""{"q": "山田"}""");

        Assert.Equal(2, (await AuditAsync()).Count(e => e == (AdminAuditActions.AlumniSearch, "filters=q; page=1; results=1")));
    }

    [GeneratedRegex("(?:href|action|name=\"back\" value)=\"([^\"]*)\"")]
    private static partial Regex Address();

    [GeneratedRegex("""<form method="post" action="/api/console/alumni" role="search">.*?</form>""", RegexOptions.Singleline)]
    private static partial Regex SearchForm();

    [GeneratedRegex("""<form method="post" action="/api/console/alumni" class="inline">.*?</form>""", RegexOptions.Singleline)]
    private static partial Regex PagingForm();
}
