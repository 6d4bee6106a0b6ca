using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Openings;

/// <summary>The openings admin API on Azurite: create, read, change, the match list with its reasons, sending as a campaign, roles.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpeningAdminFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly CapturedLogs logs = new();
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite, logs: logs);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Create_ThenGetAndList_ShowTheOpening_AndBothWritesAreAudited()
    {
        var created = await app.AdminAsync(HttpMethod.Post, "api/manage/openings", OpeningSeeds.Body());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var changed = await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Closed", title: "変更後"));

        var view = await app.AdminJsonAsync($"api/manage/openings/{id}");
        var list = await app.AdminJsonAsync("api/manage/openings");

        Assert.Equal((HttpStatusCode.Created, $"/api/manage/openings/{id}", HttpStatusCode.OK), (created.StatusCode, created.Headers.Location!.OriginalString, changed.StatusCode));
        Assert.Equal(("変更後", "Closed", "ShortTermProject", "careers@example.com"), (view.GetProperty("title").GetProperty("japanese").GetString(),
            view.GetProperty("status").GetString(), view.GetProperty("kind").GetString(), view.GetProperty("recruiterMailbox").GetString()));
        Assert.Equal(["Python", "リスク管理"], view.GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0, view.GetProperty("interested").GetInt32());
        Assert.Equal(id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(["opening.created", "opening.updated"], (await app.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")).Order());
    }

    [Fact]
    public async Task CreateRepeatedWithItsKey_IsOneOpening_AnsweredWithIt_AndAnotherBodyIs409NamingTheKey()
    {
        var first = await app.AdminCreateAsync("api/manage/openings", OpeningSeeds.Body(), "double-click");
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var before = await app.SnapshotAsync();

        var again = await app.AdminCreateAsync("api/manage/openings", OpeningSeeds.Body(), "double-click");
        var other = await app.AdminCreateAsync("api/manage/openings", OpeningSeeds.Body(title: "別の募集"), "double-click");
        var bad = await app.AdminCreateAsync("api/manage/openings", OpeningSeeds.Body(), "double click");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.BadRequest),
            (first.StatusCode, again.StatusCode, other.StatusCode, bad.StatusCode));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Contains($"\"{IdempotencyKey.Header}\"", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"\"{IdempotencyKey.Header}\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { OpeningSeeds.Body(kind: "Internship"), "kind" },
        { OpeningSeeds.Body().Replace("\"end\":\"", "\"end\":\"1999-01-01\",\"x\":\"", StringComparison.Ordinal), "$" },
        { OpeningSeeds.Body(kind: "Comeback").Replace("\"start\":", "\"end\":\"2030-01-01\",\"start\":", StringComparison.Ordinal), "end" },
        { OpeningSeeds.Body(skills: Enumerable.Range(0, 21).Select(i => $"skill{i}").ToArray()), "skills" },
        { OpeningSeeds.Body().Replace("careers@example.com", "me@gmail.com", StringComparison.Ordinal), "recruiterMailbox" },
        { OpeningSeeds.Body(location: null).Replace("\"remote\":true", "\"remote\":false", StringComparison.Ordinal), "location" },
        { OpeningSeeds.Body(confidentiality: "TopSecret"), "confidentiality" },
        { """{"title":{"ja":"x","en":"y"}}""", "kind" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_WithABadBody_Returns400NamingTheField_AndStoresNothing(string body, string field)
    {
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/openings", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task EndBeforeStart_Returns400_AndChangesNothing_OnUpdateToo()
    {
        var id = await app.CreateOpeningAsync();
        var before = await app.SnapshotAsync();
        var body = OpeningSeeds.Body().Replace($"\"end\":\"{OpeningSeeds.Day(210)}\"", $"\"end\":\"{OpeningSeeds.Day(1)}\"", StringComparison.Ordinal);

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must not be before start", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    /// <summary>Only the compliance team may read the register: a recruiter learns that a match waits, never why.</summary>
    [Fact]
    public async Task MatchList_ForARecruiter_SaysAFlaggedMatchNeedsApproval_WithoutTheRegistersCategory()
    {
        var flagged = await app.CandidateAsync("flagged");
        await app.FlagAsync(flagged, "AuditClient");
        var id = await app.CreateOpeningAsync();

        var response = await app.SendAsync(HttpMethod.Get, $"api/manage/openings/{id}/matches", app.Token(AdminRoles.Recruiter));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(flagged.Value, body, StringComparison.Ordinal);
        Assert.Contains("needs-compliance-approval", body, StringComparison.Ordinal);
        Assert.DoesNotContain("AuditClient", body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(AdminRoles.Recruiter, HttpStatusCode.Created)]
    [InlineData(AdminRoles.Admin, HttpStatusCode.Created)]
    [InlineData(AdminRoles.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(AdminRoles.Compliance, HttpStatusCode.Forbidden)]
    public async Task Openings_AreForRecruitersAndAdmins(string role, HttpStatusCode expected)
    {
        var response = await app.SendAsync(HttpMethod.Post, "api/manage/openings", app.Token(role), OpeningSeeds.Body());

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task MatchList_GivesEveryReasonTheAlumnusShowsEmployees_LeavesOutTheIneligibleAndTheUnconsentedSilently_AndMarksTheFlagged()
    {
        var python = await app.CandidateAsync("python", purposes: ["JobOffers", "EmployeeVisibility"], shared: ["Skills", "Location", "OpenToReturning"]);
        var department = await app.CandidateAsync("dept", skills: "Excel", location: "Sapporo");
        var fullTimeOnly = await app.CandidateAsync("fulltime", returning: "FullTime");
        var wontReturn = await app.CandidateAsync("never", returning: "No");
        var noConsent = await app.CandidateAsync("noconsent", purposes: ["Newsletter"]);
        var ineligible = await app.CandidateAsync("ineligible");
        var flagged = await app.CandidateAsync("flagged");
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{ineligible}/flags", """{"rehireEligible":false}""")).StatusCode);
        await app.FlagAsync(flagged);
        var id = await app.CreateOpeningAsync();
        var logged = logs.Records.Count;

        var matches = await app.AdminJsonAsync($"api/manage/openings/{id}/matches");

        var items = matches.GetProperty("items").EnumerateArray().ToDictionary(m => m.GetProperty("alumnusId").GetString()!);
        Assert.Equal(new[] { python, department, fullTimeOnly, flagged }.Select(a => a.Value).Order(), items.Keys.Order());
        Assert.Equal((7, 4, 1), (matches.GetProperty("members").GetInt32(), matches.GetProperty("matches").GetInt32(), matches.GetProperty("needsApproval").GetInt32()));
        Assert.Equal(["returns:ProjectWork", "skill:Python", "department:Retail Banking", "location:Tokyo"], Reasons(items[python.Value]));
        // Their return interest and location are not shown to employees: only the company's own department record is a reason.
        Assert.Equal(["department:Retail Banking"], Reasons(items[department.Value]));
        Assert.Equal("needs-compliance-approval", items[flagged.Value].GetProperty("standing").GetString());
        Assert.False(items[flagged.Value].TryGetProperty("conflictCategory", out _));
        Assert.Equal("match", items[python.Value].GetProperty("standing").GetString());
        Assert.DoesNotContain(wontReturn.Value, items.Keys);
        Assert.DoesNotContain(noConsent.Value, items.Keys);
        var read = Assert.Single(await app.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == "opening.matches.read");
        Assert.Equal("matches=4; shown=4", read.GetString("Detail"));
        Assert.All(logs.Records.Skip(logged), r => Assert.DoesNotContain("ineligible", r.Message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task MatchList_ShowsLocationAndReturnInterest_OnlyWhereTheAlumnusShowsThemToEmployees()
    {
        var shown = await app.CandidateAsync("shown", location: "Tokyo", purposes: ["JobOffers", "EmployeeVisibility"], shared: ["Location", "OpenToReturning"]);
        var notShared = await app.CandidateAsync("notshared", location: "Tokyo", purposes: ["JobOffers", "EmployeeVisibility"]);
        var noConsent = await app.CandidateAsync("noconsent", location: "Tokyo", shared: ["Location", "OpenToReturning"]);
        var id = await app.CreateOpeningAsync();

        var matches = await app.AdminJsonAsync($"api/manage/openings/{id}/matches");

        var items = matches.GetProperty("items").EnumerateArray().ToDictionary(m => m.GetProperty("alumnusId").GetString()!);
        Assert.Equal(("Tokyo", "ProjectWork"), (items[shown.Value].GetProperty("location").GetString(), items[shown.Value].GetProperty("returnInterest").GetString()));
        foreach (var hidden in new[] { notShared, noConsent })
        {
            Assert.True(IsAbsent(items[hidden.Value], "location"), "location is shown only where the alumnus shows it to employees");
            Assert.True(IsAbsent(items[hidden.Value], "returnInterest"), "returnInterest is shown only where the alumnus shows it to employees");
        }
    }

    [Fact]
    public async Task Send_AReopenedOpeningWhoseCampaignWasStopped_Returns409NamingTheStop_AndChangesNothing()
    {
        await app.CandidateAsync("python");
        var id = await app.CreateOpeningAsync();
        await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send");
        await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Closed"));
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Open"))).StatusCode);
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("campaign was stopped", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task Send_StartsTheOpeningsCampaignOnce_AndOnlyMatchesGetIt_WithALinkBoundToTheOpening()
    {
        var python = await app.CandidateAsync("python", locale: "en-US");
        await app.CandidateAsync("never", returning: "No");
        var ineligible = await app.CandidateAsync("ineligible");
        await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{ineligible}/flags", """{"rehireEligible":false}""");
        var flagged = await app.CandidateAsync("flagged");
        await app.FlagAsync(flagged);
        var id = await app.CreateOpeningAsync();

        var sent = await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send");
        var again = await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send");
        var campaign = (await app.Services.GetRequiredService<ICampaignStore>().GetAsync($"opening-{id}", CancellationToken.None))!;
        await app.StartAndPlanAsync(campaign.Id, CampaignKind.Opening, id);
        await app.SendAllBatchesAsync((await app.Services.GetRequiredService<ICampaignStore>().GetAsync(campaign.Id, CancellationToken.None))!);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (sent.StatusCode, again.StatusCode));
        Assert.Equal((CampaignKind.Opening, id), (campaign.Kind, campaign.SourceId));
        var mail = Assert.Single(await app.OutboxAsync());
        Assert.Equal("python@example.net", mail.To[0]);
        Assert.Contains("Risk project &lt;b&gt;", mail.Html!, StringComparison.Ordinal);
        Assert.Contains("Three days a week. &lt;script&gt;", mail.Html!, StringComparison.Ordinal);
        Assert.Contains("List-Unsubscribe", mail.Headers.Keys);
        var link = System.Text.RegularExpressions.Regex.Match(mail.Text!, @"http://\S+/api/alumni/openings\?token=(\S+)").Groups[1].Value;
        var page = await app.Client.GetStringAsync($"api/alumni/openings?token={link}");
        Assert.Contains("Risk project &lt;b&gt;", page, StringComparison.Ordinal);
        Assert.Contains("See all open positions", page, StringComparison.Ordinal);
        var progress = await app.AdminJsonAsync($"api/manage/openings/{id}");
        Assert.Equal(1, progress.GetProperty("campaign").GetProperty("sent").GetInt32());
        Assert.Single(await app.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == "opening.sent");

        // The flagged match got nothing; the question is in the compliance queue, once however often the send is repeated.
        var question = Assert.Single(await app.RowsAsync(AlumniTables.ComplianceApprovals));
        Assert.Equal((flagged.Value, $"opening:{id}", "Pending"), (question.PartitionKey, question.RowKey, question.GetString("Status")));
    }

    [Fact]
    public async Task Send_AClosedOpening_Returns409_AndStartsNothing()
    {
        var id = await app.CreateOpeningAsync(OpeningSeeds.Body(status: "Closed"));
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("closed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task Closing_ASentOpening_StopsItsCampaign()
    {
        await app.CandidateAsync("python");
        var id = await app.CreateOpeningAsync();
        await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send");

        await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Closed"));
        var campaign = await app.StartAndPlanAsync($"opening-{id}", CampaignKind.Opening, id);

        Assert.Equal(CampaignStatus.Stopped, campaign.Status);
        Assert.Empty(await app.OutboxAsync());
    }

    [Fact]
    public async Task UnknownOpening_Is404_OnEveryRoute()
    {
        var id = new string('0', 32);

        foreach (var (method, path) in new[] { (HttpMethod.Get, $"api/manage/openings/{id}"), (HttpMethod.Get, $"api/manage/openings/{id}/matches"),
            (HttpMethod.Get, $"api/manage/openings/{id}/interests"), (HttpMethod.Post, $"api/manage/openings/{id}/send"), (HttpMethod.Put, $"api/manage/openings/{id}") })
        {
            var response = await app.AdminAsync(method, path, method == HttpMethod.Put ? OpeningSeeds.Body() : null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private static bool IsAbsent(JsonElement item, string name) => !item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    private static string[] Reasons(JsonElement match) =>
        match.GetProperty("reasons").EnumerateArray().Select(r => $"{r.GetProperty("kind").GetString()}:{r.GetProperty("value").GetString()}").ToArray();
}
