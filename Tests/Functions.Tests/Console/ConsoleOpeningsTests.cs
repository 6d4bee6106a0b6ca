using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>The recruiters' openings pages and the rehires dashboard section, through real HTTP with the console's sign-in.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleOpeningsTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite, AdminRoles.Recruiter)
{
    private static (string, string)[] Form(string kind = "ShortTermProject", string end = "") =>
    [
        ("title.ja", "市場リスク <案件>"), ("title.en", "Market risk <project>"), ("description.ja", "説明"), ("description.en", "About"), ("kind", kind),
        ("department", "Retail Banking"), ("location", "Tokyo"), ("skills", "Python\nリスク管理"), ("start", OpeningSeeds.Day(30)), ("end", end),
        ("recruiterMailbox", "careers@example.com"), ("confidentiality", "Normal"), ("status", "Open"),
    ];

    [Fact]
    public async Task Recruiter_CreatesAnOpening_SeesItsMatchesWithReasons_AndSendsIt()
    {
        var candidate = await App.CandidateAsync("hanako", purposes: ["JobOffers", "EmployeeVisibility"], shared: ["Skills"]);

        var created = await Admin.PostFormFromAsync("/api/console/openings/new", "/api/console/openings", Form(end: OpeningSeeds.Day(200)));
        var location = created.Headers.Location!.OriginalString;
        var opening = await Admin.GetPageAsync(location);
        var id = location.Split('/')[^1].Split('?')[0];
        var matches = await Admin.GetPageAsync($"/api/console/openings/{id}/matches");
        var sent = await Admin.PostFormFromAsync($"/api/console/openings/{id}/matches", $"/api/console/openings/{id}/send");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("募集を作成しました。", opening, StringComparison.Ordinal);
        Assert.Contains("市場リスク &lt;案件&gt;", opening, StringComparison.Ordinal);
        Assert.Contains($"/api/console/alumni/{candidate.Value}", matches, StringComparison.Ordinal);
        Assert.Contains("スキル: Python", matches, StringComparison.Ordinal);
        Assert.Contains("退職時の部署: Retail Banking", matches, StringComparison.Ordinal);
        Assert.Equal($"/api/console/openings/{id}?saved=sent", sent.Headers.Location!.OriginalString);
        Assert.NotNull(await App.Services.GetRequiredService<ICampaignStore>().GetAsync($"opening-{id}", CancellationToken.None));
        Assert.Equal(["opening.created", "opening.interests.read", "opening.matches.read", "opening.matches.read", "opening.sent"],
            (await App.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")).Where(a => a.StartsWith("opening.", StringComparison.Ordinal)).Order());
    }

    /// <summary>Only the compliance team may read the register: a recruiter learns that a match waits, never why.</summary>
    [Fact]
    public async Task MatchesPage_SaysAFlaggedMatchNeedsComplianceApproval_WithoutTheRegistersCategory()
    {
        var flagged = await App.CandidateAsync("flagged");
        await App.FlagAsync(flagged, "AuditClient");
        var id = await App.CreateOpeningAsync();

        var japanese = await Admin.GetPageAsync($"/api/console/openings/{id}/matches");
        await Admin.GetAsync("/api/console/language?to=en&back=/api/console/home");
        var english = await Admin.GetPageAsync($"/api/console/openings/{id}/matches");

        Assert.Contains($"/api/console/alumni/{flagged.Value}", japanese, StringComparison.Ordinal);
        Assert.Contains("要コンプライアンス承認", japanese, StringComparison.Ordinal);
        Assert.Contains("Needs compliance approval", english, StringComparison.Ordinal);
        Assert.All(new[] { japanese, english }, page =>
        {
            Assert.DoesNotContain("AuditClient", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("監査クライアント", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Audit client", page, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task NewOpeningFormPostedTwice_CreatesOneOpening_AndShowsItBothTimes()
    {
        var page = await Admin.GetPageAsync("/api/console/openings/new");

        var first = await Admin.PostFormOfAsync(page, "/api/console/openings", Form(end: OpeningSeeds.Day(200)));
        var second = await Admin.PostFormOfAsync(page, "/api/console/openings", Form(end: OpeningSeeds.Day(200)));
        var another = await Admin.PostFormFromAsync("/api/console/openings/new", "/api/console/openings", Form(end: OpeningSeeds.Day(200)));

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (first.StatusCode, second.StatusCode));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.NotEqual(first.Headers.Location, another.Headers.Location);
        Assert.Equal(2, (await App.RowsAsync(AlumniTables.Openings)).Count(r => r.RowKey == "opening"));
        Assert.Equal(2, (await App.RowsAsync(AlumniTables.Audit)).Count(r => r.GetString("Action") == "opening.created"));
    }

    [Fact]
    public async Task BadForm_ComesBackWithTheFieldsNamed_AndNothingIsStored()
    {
        var before = await App.SnapshotAsync();

        var response = await Admin.PostFormFromAsync("/api/console/openings/new", "/api/console/openings", Form(kind: "Comeback", end: OpeningSeeds.Day(-1)));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>end</code>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"市場リスク &lt;案件&gt;\"", page, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    /// <summary>The form with <paramref name="field"/> set to <paramref name="value"/> (added when the form has no such control).</summary>
    private static (string, string)[] With((string Key, string Value)[] form, string field, string value) =>
        form.Any(f => f.Key == field) ? [.. form.Select(f => f.Key == field ? (f.Key, value) : f)] : [.. form, (field, value)];

    [Fact]
    public async Task SkillsAreOneALine_EachAnEntryOfTheApisList_AndRemoteIsTheApisFlag()
    {
        var form = With(With(With(Form(end: OpeningSeeds.Day(200)), "skills", "Python, SQL\r\n\r\nリスク管理; 監査 \r\n"), "location", ""), "remote", "true");

        var created = await Admin.PostFormFromAsync("/api/console/openings/new", "/api/console/openings", form);
        var id = created.Headers.Location!.OriginalString.Split('/')[^1].Split('?')[0];
        var stored = await App.AdminJsonAsync($"api/manage/openings/{id}");
        var edit = await Admin.GetPageAsync($"/api/console/openings/{id}");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(["Python, SQL", "リスク管理; 監査"], stored.GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        Assert.True(stored.GetProperty("remote").GetBoolean());
        Assert.Contains(">Python, SQL\nリスク管理; 監査</textarea>", edit, StringComparison.Ordinal);
        Assert.Contains("""<input type="checkbox" name="remote" value="true" id="f-remote" checked>""", edit, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "title.en", new string('x', 201), "title.en" },
        { "description.ja", "", "description.ja" },
        { "skills", string.Join('\n', Enumerable.Range(0, 21).Select(i => $"skill{i}")), "skills" },
        { "skills", "Python\n" + new string('x', 51), "skills[1]" },
        { "remote", "yes", "remote" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task ErrorNamingAField_IsShownOnItsControl_WithWhatWasTyped_AndNothingIsStored(string control, string value, string named)
    {
        var before = await App.SnapshotAsync();

        var response = await Admin.PostFormFromAsync("/api/console/openings/new", "/api/console/openings", With(Form(end: OpeningSeeds.Day(200)), control, value));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<code>{named}</code>", page, StringComparison.Ordinal);
        Assert.Matches($"id=\"f-{System.Text.RegularExpressions.Regex.Escape(control)}\"[^>]*aria-invalid=\"true\"", page);
        Assert.Contains("value=\"市場リスク &lt;案件&gt;\"", page, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task Viewer_SeesTheRehiresSection_ButNotTheOpenings()
    {
        using var viewer = await ConsoleClient.SignedInAsync(App, AdminRoles.Viewer);
        await App.CandidateAsync("hanako");
        var today = OpeningSeeds.Today;
        await App.HiredAsync("E-hanako", OpeningSeeds.Day(today, 0));
        await App.DeliverAsync("rehires", "AttributeRehire");

        await App.RollUpInsightsAsync();
        var dashboard = await viewer.GetPageAsync("/api/console/insights");
        var (snapshot, _) = await App.Services.GetRequiredService<IInsightStore>().GetAsync(CancellationToken.None);

        Assert.Equal(1, snapshot.Value(InsightKeys.Status(InsightKeys.Returned)));
        Assert.Equal(1, snapshot.Value(RehireInsightKeys.ReturnsIn(InsightPeriods.Month(today))));
        Assert.Contains("再入社 (ネットワーク経由)", dashboard, StringComparison.Ordinal);
        Assert.Contains("5人未満", dashboard, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/console/openings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/console/openings/rehires")).StatusCode);
    }

    [Fact]
    public async Task StaleEditForm_Returns409WithAReloadLink_AndNothingIsWrittenOrAudited()
    {
        var id = await App.CreateOpeningAsync();
        var openingPage = $"/api/console/openings/{id}";
        var page = await Admin.GetPageAsync(openingPage);
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Closed"))).StatusCode);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var stale = await Admin.PostFormOfAsync(page, openingPage, Form(end: OpeningSeeds.Day(200)));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var answer = await stale.Content.ReadAsStringAsync();
        Assert.Contains("このページを開いた後に、内容が変更されました（他の人の変更か、先に送った保存によるものです）。何も保存していません。", answer, StringComparison.Ordinal);
        Assert.Contains($"href=\"{openingPage}\"", answer, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
        Assert.Equal("Closed", (await App.AdminJsonAsync($"api/manage/openings/{id}")).GetProperty("status").GetString());

        var fresh = await Admin.PostFormFromAsync(openingPage, openingPage, Form(end: OpeningSeeds.Day(200)));

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Equal("Open", (await App.AdminJsonAsync($"api/manage/openings/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task SendingFromAMatchesPageOpenedBeforeAnEdit_Is409Stale_AndSendsNothing()
    {
        await App.CandidateAsync("hanako");
        var id = await App.CreateOpeningAsync();
        var matchesPage = $"/api/console/openings/{id}/matches";
        var page = await Admin.GetPageAsync(matchesPage);
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(title: "リスク管理プロジェクト (改訂)"))).StatusCode);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var stale = await Admin.PostFormOfAsync(page, $"/api/console/openings/{id}/send");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains($"href=\"{matchesPage}\"", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
        Assert.Null(await App.Services.GetRequiredService<ICampaignStore>().GetAsync($"opening-{id}", CancellationToken.None));

        var fresh = await Admin.PostFormFromAsync(matchesPage, $"/api/console/openings/{id}/send");

        Assert.Equal($"/api/console/openings/{id}?saved=sent", fresh.Headers.Location!.OriginalString);
        Assert.NotNull(await App.Services.GetRequiredService<ICampaignStore>().GetAsync($"opening-{id}", CancellationToken.None));
    }

    /// <summary>SentAt saved, then the campaign's start failed: the matches page offers the send again, which starts that campaign.</summary>
    [Fact]
    public async Task OpeningMarkedSentWhoseCampaignDidNotStart_ShowsTheSendForm_WhichStartsItsCampaign()
    {
        await App.CandidateAsync("hanako");
        var id = await App.CreateOpeningAsync();
        await App.MarkSentWithoutItsCampaignAsync(id);
        var matchesPage = $"/api/console/openings/{id}/matches";
        var sendForm = $"action=\"/api/console/openings/{id}/send\"";

        var before = await Admin.GetPageAsync(matchesPage);
        var sent = await Admin.PostFormFromAsync(matchesPage, $"/api/console/openings/{id}/send");
        var after = await Admin.GetPageAsync(matchesPage);

        Assert.Contains("配信が始まっていません", before, StringComparison.Ordinal);
        Assert.Contains(sendForm, before, StringComparison.Ordinal);
        Assert.Equal($"/api/console/openings/{id}?saved=sent", sent.Headers.Location!.OriginalString);
        Assert.NotNull(await App.Services.GetRequiredService<ICampaignStore>().GetAsync($"opening-{id}", CancellationToken.None));
        Assert.Contains("この募集は送信済みです。", after, StringComparison.Ordinal);
        Assert.DoesNotContain(sendForm, after, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja-JP", "この募集の配信は受付停止の際に止められました。")]
    [InlineData("en-US", "This opening's campaign was stopped when the opening was closed.")]
    public async Task SendingAReopenedOpeningWhoseCampaignWasStopped_Is409SayingSoInTheAdminsLanguage_AndChangesNothing(string locale, string said)
    {
        await App.CandidateAsync("hanako");
        var id = await App.CreateOpeningAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await Admin.GetAsync($"/api/console/language?to={locale[..2]}")).StatusCode);
        // The send form is shown only until the opening is sent: this one was opened before it was sent, closed and reopened.
        var page = await Admin.GetPageAsync($"/api/console/openings/{id}/matches");
        await App.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send");
        await App.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Closed"));
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Open"))).StatusCode);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var refused = await Admin.PostFormOfAsync(page, $"/api/console/openings/{id}/send");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(said, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("12ab")]
    public async Task EditFormWithoutAVersion_Returns400NamingIt_AndChangesNothing(string? version)
    {
        var id = await App.CreateOpeningAsync();
        var openingPage = $"/api/console/openings/{id}";
        var page = await Admin.GetPageAsync(openingPage);
        var before = await App.SnapshotWithoutKeyRingAsync();
        (string, string)[] posted = version is null ? [] : [(RecordVersion.Field, version)];

        var response = await Admin.PostRawAsync(openingPage, [.. Form(end: OpeningSeeds.Day(200)), .. posted, (Functions.Hosting.Security.ConsoleAuthentication.AntiforgeryField, ConsoleClient.TokenOf(page))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>version</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }
}
