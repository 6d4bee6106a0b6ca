using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Console;
using AlumniNetwork.Functions.Tests.Support;
using Azure.Data.Tables;

namespace AlumniNetwork.Functions.Tests.Surveys;

/// <summary>
/// The console's page of free-text answers, on Azurite: each answer is a comment row written with the response, so a
/// page is one range read; pages of <c>Surveys:CommentsPerPage</c> linked by a cursor, only above the threshold, never
/// with identity, escaped; a changed answer replaces its row and erasure removes an attributed one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class SurveyCommentsPageTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite, AdminRoles.Viewer)
{
    private const int PerPage = 10;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Surveys:CommentsPerPage"] = PerPage.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static string CommentsPath(string surveyId, string query = "") => $"/api/console/surveys/{surveyId}/comments?question=why{query}";

    private async Task<List<TableEntity>> CommentRowsAsync(string surveyId) =>
        (await App.RowsAsync(AlumniTables.SurveyResponses)).Where(r => r.PartitionKey == surveyId && r.RowKey.StartsWith("t-", StringComparison.Ordinal)).ToList();

    private static string[] Texts(string page) => ListItem().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();

    private static string? NextPath(string page) => NextLink().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    private async Task<IReadOnlyList<Alumnus>> AnsweredAsync(string surveyId, int count, Func<int, string> text)
    {
        var members = await App.SeedMembersAsync(count, [ConsentPurpose.Surveys]);
        for (var i = 0; i < members.Count; i++)
        {
            (await App.AnswerAsync(surveyId, members[i].Id, ("recommend", "3"), ("why", text(i)))).EnsureSuccessStatusCode();
        }

        return members;
    }

    [Fact]
    public async Task Pages_OfCommentsPerPage_LinkedByACursor_ShowEveryAnswerOnce_Escaped()
    {
        var surveyId = await App.PublishedSurveyAsync();
        await AnsweredAsync(surveyId, 23, i => $"<b>理由 {i}</b> & more");

        var pages = new List<string[]>();
        string? path = CommentsPath(surveyId);
        while (path is not null)
        {
            var page = await Admin.GetPageAsync(path);
            Assert.Contains("23", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>理由", page, StringComparison.Ordinal);
            Assert.Contains("&lt;b&gt;理由", page, StringComparison.Ordinal);
            pages.Add(Texts(page));
            path = NextPath(page);
        }

        Assert.Equal([PerPage, PerPage, 3], pages.Select(p => p.Length));
        var all = pages.SelectMany(p => p).ToArray();
        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"<b>理由 {i}</b> & more").Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        Assert.Equal(23, (await CommentRowsAsync(surveyId)).Count);
    }

    [Fact]
    public async Task ClosingAnAnonymousSurvey_DeletesItsResponseRows_TheReportCsvAndCommentsShowTheSameFigures()
    {
        var surveyId = await App.PublishedSurveyAsync(k: 5);
        await AnsweredAsync(surveyId, 12, i => $"理由 {i}");

        async Task<(string Results, string Csv, string Comments)> ViewsAsync()
        {
            var results = JsonNode.Parse(await (await App.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{surveyId}/results")).Content.ReadAsStringAsync())!.AsObject();
            results.Remove("release");
            results.Remove("status");
            var csv = await (await Admin.GetAsync($"/api/console/surveys/{surveyId}/results.csv")).Content.ReadAsStringAsync();
            var comments = await Admin.GetPageAsync(CommentsPath(surveyId));
            return (results.ToJsonString(), csv, string.Join("|", Texts(comments).Order(StringComparer.Ordinal)) + "|" + comments.Contains("12", StringComparison.Ordinal));
        }

        var before = await ViewsAsync();
        Assert.Equal(12, JsonNode.Parse(before.Results)!["selected"]!["responses"]!.GetValue<long>());
        Assert.Equal(12, (await App.RowsAsync(AlumniTables.SurveyResponses)).Count(r => r.PartitionKey == surveyId && r.RowKey.StartsWith("r-", StringComparison.Ordinal)));

        (await App.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{surveyId}/close")).EnsureSuccessStatusCode();

        Assert.DoesNotContain(await App.RowsAsync(AlumniTables.SurveyResponses), r => r.PartitionKey == surveyId && r.RowKey.StartsWith("r-", StringComparison.Ordinal));
        Assert.Equal(before, await ViewsAsync());
        Assert.Equal(12, (await CommentRowsAsync(surveyId)).Count);
    }

    [Fact]
    public async Task AClosedSurveysResponseRowsLeftByACutShortClose_OrALateAnswer_GoWhenTheCloseRunsAgain()
    {
        var surveyId = await App.PublishedSurveyAsync(k: 5);
        await AnsweredAsync(surveyId, 3, i => $"理由 {i}");
        (await App.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{surveyId}/close")).EnsureSuccessStatusCode();
        // What a close cut short after writing Closed and before deleting the open marker leaves, once an answer under
        // way at the close lands: an anonymous response row.
        await App.Services.GetRequiredService<ISurveyResponseStore>().MarkOpenAsync(surveyId, CancellationToken.None);
        await App.SeedCellAsync(surveyId, "w09", 1);
        var attributed = await App.PublishedSurveyAsync("Attributed");
        await AnsweredAsync(attributed, 1, i => "kept");

        (await App.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{surveyId}/close")).EnsureSuccessStatusCode();
        (await App.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{attributed}/close")).EnsureSuccessStatusCode();

        var rows = await App.RowsAsync(AlumniTables.SurveyResponses);
        Assert.DoesNotContain(rows, r => r.PartitionKey == surveyId && r.RowKey.StartsWith("r-", StringComparison.Ordinal));
        // An attributed answer names its author and stays on their record (and in their export) until their erasure.
        Assert.Single(rows, r => r.PartitionKey == attributed && r.RowKey.StartsWith("r-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/results.csv")]
    [InlineData("/comments?question=why&")]
    public async Task AWellFormedWaveTheVersionDoesNotHave_Is400NamingItsWaves_OnTheReportCsvAndComments(string route)
    {
        var surveyId = await App.PublishedSurveyAsync(k: 5);
        await AnsweredAsync(surveyId, 5, i => $"理由 {i}");
        var path = $"/api/console/surveys/{surveyId}{route}{(route.EndsWith('&') ? "" : "?")}";

        var missing = await Admin.GetAsync(path + "wave=w07");
        var shown = await Admin.GetAsync(path + "wave=w01");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (missing.StatusCode, shown.StatusCode));
        Assert.Contains("must be a wave of version 1: w01", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderTheThreshold_NoCommentIsShown_AtItTheyAre()
    {
        var surveyId = await App.PublishedSurveyAsync(k: 5);
        await AnsweredAsync(surveyId, 4, i => $"early {i}");

        var under = await Admin.GetPageAsync(CommentsPath(surveyId));
        await AnsweredAsync(surveyId, 1, i => "the fifth");
        var at = await Admin.GetPageAsync(CommentsPath(surveyId));

        Assert.Empty(Texts(under));
        Assert.Contains("role=\"status\"", under, StringComparison.Ordinal);
        Assert.DoesNotContain("early ", under, StringComparison.Ordinal);
        Assert.Equal(5, Texts(at).Length);
    }

    [Theory]
    [InlineData("&by=Department&value=Retail%20Banking")]
    [InlineData("&wave=w01&by=DepartureYear&value=2026")]
    [InlineData("&by=Reason&value=Voluntary")]
    [InlineData("&by=Tenure&value=ThreeToFiveYears")]
    public async Task ACohortFilter_Is400NamingBy_AndChangesNothing(string query)
    {
        var surveyId = await App.PublishedSurveyAsync(k: 5);
        // Seeded members alternate between Retail Banking (even) and Markets (odd): seven of each.
        await AnsweredAsync(surveyId, 14, i => i % 2 == 0 ? $"retail {i}" : $"markets {i}");
        var before = await App.SnapshotWithoutKeyRingAsync();

        var response = await Admin.GetAsync(CommentsPath(surveyId, query));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("by", page, StringComparison.Ordinal);
        Assert.Empty(Texts(page));
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [Fact]
    public async Task AWave_ShowsItsComments_AndAFilteredReport_LinksToThemWithoutItsGroup()
    {
        var surveyId = await App.PublishedSurveyAsync(k: 5);
        await AnsweredAsync(surveyId, 14, i => $"text {i}");

        var ofWave = Texts(await Admin.GetPageAsync(CommentsPath(surveyId, "&wave=w01")));
        var report = await Admin.GetPageAsync($"/api/console/surveys/{surveyId}?wave=w01&by=Department&value=Retail%20Banking");

        Assert.Equal(PerPage, ofWave.Length);
        var link = WebUtility.HtmlDecode(CommentsLink().Match(report).Groups[1].Value);
        Assert.Contains("wave=w01", link, StringComparison.Ordinal);
        Assert.DoesNotContain("by=", link, StringComparison.Ordinal);
        Assert.DoesNotContain("value=", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWaveNotInTheReleasedResults_IsNotInTheVersionsList_UntilItIsReleased()
    {
        var surveyId = await App.PublishedSurveyAsync(k: 5);
        await AnsweredAsync(surveyId, 5, i => $"first {i}");
        Assert.Equal(5, Texts(await Admin.GetPageAsync(CommentsPath(surveyId))).Length);
        var late = await App.SeedMembersAsync(5, [ConsentPurpose.Surveys]);
        async Task AnswerInW02Async(int i, string text) =>
            (await App.AnswerAsync(App.SurveyToken(surveyId, late[i].Id, "w02"), ("recommend", "3"), ("why", text))).EnsureSuccessStatusCode();

        // One answer of a new wave waits for the next release: the version's list minus w01's would be that one text.
        await AnswerInW02Async(0, "the late one");
        var rowsWaiting = (await CommentRowsAsync(surveyId)).Count;
        var unreleased = Texts(await Admin.GetPageAsync(CommentsPath(surveyId)));
        for (var i = 1; i < late.Count; i++)
        {
            await AnswerInW02Async(i, $"late {i}");
        }

        var released = Texts(await Admin.GetPageAsync(CommentsPath(surveyId)));

        Assert.Equal(6, rowsWaiting);
        Assert.DoesNotContain("the late one", unreleased);
        Assert.Equal(5, unreleased.Length);
        Assert.Contains("the late one", released);
        Assert.Equal(10, released.Length);
    }

    [Fact]
    public async Task ThePageCursor_IsTheLastCommentsOwnKey_NotTheResponsesCommentKey()
    {
        var surveyId = await App.PublishedSurveyAsync();
        await AnsweredAsync(surveyId, PerPage + 1, i => $"text {i}");

        var next = NextPath(await Admin.GetPageAsync(CommentsPath(surveyId)))!;

        var cursor = next[(next.IndexOf("after=", StringComparison.Ordinal) + "after=".Length)..];
        var responses = (await App.RowsAsync(AlumniTables.SurveyResponses)).Where(r => r.PartitionKey == surveyId && r.RowKey.StartsWith("r-", StringComparison.Ordinal)).ToList();
        var rowKeys = (await CommentRowsAsync(surveyId)).Select(c => c.RowKey[^32..]).ToList();
        Assert.Contains(cursor, rowKeys);
        Assert.DoesNotContain(responses, r => r.GetString("CommentKey") == cursor);
        // Each response still finds its own row: the one its comment key and the question give.
        Assert.Equal(rowKeys.Order(StringComparer.Ordinal), responses.Select(r => Core.Surveys.SurveyComments.RowKey(r.GetString("CommentKey"), "why")).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Anonymous")]
    [InlineData("Attributed")]
    public async Task CommentRows_AndThePage_CarryNoIdentity(string mode)
    {
        var surveyId = await App.PublishedSurveyAsync(mode);
        var members = await AnsweredAsync(surveyId, 5, i => $"comment {i}");

        var page = await Admin.GetPageAsync(CommentsPath(surveyId));
        var rows = await CommentRowsAsync(surveyId);

        Assert.Equal(5, Texts(page).Length);
        Assert.Equal(5, rows.Count);
        var identifying = members.SelectMany(m => new[] { m.Id.Value, m.PersonalEmail.Value, m.EmployeeId, m.FamilyName }).ToArray();
        foreach (var text in rows.Select(r => string.Join("|", r.Select(p => $"{p.Key}={p.Value}"))).Append(page))
        {
            Assert.DoesNotContain(identifying, id => text.Contains(id, StringComparison.Ordinal));
        }

        Assert.All(rows, r => Assert.False(r.ContainsKey("AlumnusId") || r.ContainsKey("AnsweredAt"), $"comment row {r.RowKey} names a person or a time"));
    }

    [Fact]
    public async Task AChangedAnswer_ReplacesItsComment_AndAWithdrawnOneRemovesIt()
    {
        var surveyId = await App.PublishedSurveyAsync();
        var members = await AnsweredAsync(surveyId, 5, i => $"first {i}");

        (await App.AnswerAsync(surveyId, members[0].Id, ("recommend", "2"), ("why", "second thoughts"))).EnsureSuccessStatusCode();
        var changed = Texts(await Admin.GetPageAsync(CommentsPath(surveyId)));
        // A high score hides the free-text question, so the answer no longer has one.
        (await App.AnswerAsync(surveyId, members[1].Id, ("recommend", "9"))).EnsureSuccessStatusCode();
        var rows = await CommentRowsAsync(surveyId);

        Assert.Contains("second thoughts", changed);
        Assert.DoesNotContain("first 0", changed);
        Assert.Equal(5, changed.Length);
        Assert.Equal(["first 2", "first 3", "first 4", "second thoughts"], rows.Select(r => r.GetString("Text")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Erasure_RemovesTheAttributedComment_WhileTheOthersStay()
    {
        var surveyId = await App.PublishedSurveyAsync("Attributed");
        await AnsweredAsync(surveyId, 5, i => $"kept {i}");
        var member = await App.MemberAsync("ja-JP", "Surveys");
        (await App.AnswerAsync(surveyId, member, ("recommend", "1"), ("why", "mine to erase"))).EnsureSuccessStatusCode();
        Assert.Contains("mine to erase", Texts(await Admin.GetPageAsync(CommentsPath(surveyId))));

        (await App.PostFormAsync(LinkPurpose.Erase, member)).EnsureSuccessStatusCode();

        var rows = await CommentRowsAsync(surveyId);
        Assert.Equal(5, rows.Count);
        Assert.DoesNotContain(rows, r => r.GetString("Text") == "mine to erase");
        Assert.DoesNotContain("mine to erase", Texts(await Admin.GetPageAsync(CommentsPath(surveyId))));
    }

    [Theory]
    [InlineData("&after=not-a-cursor")]
    [InlineData("&after=0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("&after=%27%20or%20RowKey%20gt%20%27")]
    public async Task ABadCursor_Is400_AndChangesNothing(string query)
    {
        var surveyId = await App.PublishedSurveyAsync();
        await AnsweredAsync(surveyId, 5, i => $"text {i}");
        var before = await App.SnapshotWithoutKeyRingAsync();

        var response = await Admin.GetAsync(CommentsPath(surveyId, query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("after", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [GeneratedRegex("<li style=\"white-space: pre-line;\">(.*?)</li>", RegexOptions.Singleline)]
    private static partial Regex ListItem();

    [GeneratedRegex("<a href=\"([^\"]*)\" rel=\"next\">")]
    private static partial Regex NextLink();

    [GeneratedRegex("<a href=\"([^\"]*/comments\\?[^\"]*)\">")]
    private static partial Regex CommentsLink();
}
