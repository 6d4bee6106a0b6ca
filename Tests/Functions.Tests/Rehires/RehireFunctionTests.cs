using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Rehires;

/// <summary>
/// Boomerang attribution on Azurite: the HRIS webhook's <c>employee.hired</c>, the dispatcher and AttributeRehire, the
/// alumnus's return, the end of promotional mail, and the admin report.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RehireFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<int> AttributeAsync() => app.DeliverAsync("rehires", "AttributeRehire");

    private async Task<JsonElement> ReportAsync() => await app.AdminJsonAsync($"api/manage/rehires?from={OpeningSeeds.Day(-30)}&to={OpeningSeeds.Day(30)}");

    [Fact]
    public async Task Hire_OfAnAlumnus_MarksThemReturned_AttributesWhatReachedThem_AndStopsPromotionalMail()
    {
        var hanako = await app.CandidateAsync("hanako", purposes: ["JobOffers", "Newsletter"]);
        var taro = await app.CandidateAsync("taro", purposes: ["JobOffers", "Newsletter"]);
        var openingId = await app.CreateOpeningAsync();
        await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{openingId}/send");
        var campaign = await app.StartAndPlanAsync($"opening-{openingId}", CampaignKind.Opening, openingId);
        await app.SendAllBatchesAsync(campaign);
        await app.InterestAsync(hanako, openingId, note: "ぜひ");

        var today = OpeningSeeds.Today;
        var hired = await app.HiredAsync("E-hanako", OpeningSeeds.Day(today, 1));
        var redelivered = await app.HiredAsync("E-hanako", OpeningSeeds.Day(today, 1));
        var delivered = await AttributeAsync();

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (hired.StatusCode, redelivered.StatusCode));
        Assert.Equal("hire-received", (await hired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(1, delivered);
        var row = Assert.Single(await app.HireRowsAsync());
        Assert.DoesNotContain("E-hanako", string.Join("|", row.Select(p => $"{p.Key}={p.Value}")), StringComparison.Ordinal);
        var returned = await app.AlumnusAsync(hanako);
        Assert.Equal((AlumnusStatus.Returned, today.AddDays(1)), (returned.Status, returned.ReturnedOn!.Value));
        Assert.Equal(AlumnusStatus.Joined, (await app.AlumnusAsync(taro)).Status);

        var report = await ReportAsync();
        Assert.Equal((1, 1), (report.GetProperty("rehires").GetInt32(), report.GetProperty("attributed").GetInt32()));
        Assert.Equal(1, report.GetProperty("byOpeningKind").GetProperty("ShortTermProject").GetInt32());
        Assert.Equal(1, report.GetProperty("byFirstTouch").GetProperty("Opening").GetInt32());
        var item = Assert.Single(report.GetProperty("items").EnumerateArray());
        Assert.Equal((hanako.Value, 201), (item.GetProperty("alumnusId").GetString(), item.GetProperty("daysAway").GetInt32()));
        var touches = item.GetProperty("touches").EnumerateArray().ToArray();
        Assert.Equal(["email", "interest"], touches.Select(t => t.GetProperty("via").GetString()));
        Assert.True(touches[0].GetProperty("first").GetBoolean());
        Assert.True(touches[^1].GetProperty("last").GetBoolean());
        Assert.Contains(await app.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == "rehires.read");

        // Promotional mail stops: the next newsletter reaches the colleague who did not return, and not her.
        var before = (await app.OutboxAsync()).Count;
        var newsletter = await app.StartAndPlanAsync("newsletter-after-return");
        await app.SendAllBatchesAsync(newsletter);
        Assert.Equal(["taro@example.net"], (await app.OutboxAsync()).Skip(before).Select(m => m.To[0]));
    }

    [Fact]
    public async Task RehireUnderANewEmployeeId_IsMatchedByThePersonalAddress()
    {
        var hanako = await app.CandidateAsync("hanako");

        await app.HiredAsync("E-NEW-001", OpeningSeeds.Day(1), email: "HANAKO@example.net");
        await AttributeAsync();

        Assert.Equal(AlumnusStatus.Returned, (await app.AlumnusAsync(hanako)).Status);
        var item = Assert.Single((await ReportAsync()).GetProperty("items").EnumerateArray());
        Assert.False(item.GetProperty("attributed").GetBoolean());
    }

    [Fact]
    public async Task RehireUnderANewEmployeeId_LeavingAgainUnderIt_IsTheSameAlumnus_BackToJoined()
    {
        var hanako = await app.CandidateAsync("hanako");
        await app.HiredAsync("E-NEW-001", OpeningSeeds.Day(1), email: "hanako@example.net");
        await AttributeAsync();
        Assert.Equal(AlumnusStatus.Returned, (await app.AlumnusAsync(hanako)).Status);

        var left = await app.PostSignedAsync(Departures.Body(employeeId: "E-NEW-001", email: "hanako@example.net", lastWorkingDay: OpeningSeeds.Day(40),
            givenName: "hanako", familyName: "Alumnus"));

        left.EnsureSuccessStatusCode();
        Assert.Equal(hanako.Value, (await left.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString());
        Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        var back = await app.AlumnusAsync(hanako);
        Assert.Equal((AlumnusStatus.Joined, OpeningSeeds.Today.AddDays(40), (DateOnly?)null), (back.Status, back.LastWorkingDay, back.ReturnedOn));
        Assert.Equal(1, (await ReportAsync()).GetProperty("rehires").GetInt32());
    }

    [Fact]
    public async Task ErasureAfterAReturnUnderANewEmployeeId_ADepartureUnderThatIdDoesNotBringThemBack()
    {
        var hanako = await app.CandidateAsync("hanako");
        await app.HiredAsync("E-NEW-001", OpeningSeeds.Day(1), email: "hanako@example.net");
        await AttributeAsync();
        (await app.PostFormAsync(LinkPurpose.Erase, hanako)).EnsureSuccessStatusCode();

        var left = await app.PostSignedAsync(Departures.Body(employeeId: "E-NEW-001", email: "hanako@example.net", lastWorkingDay: OpeningSeeds.Day(40)));

        left.EnsureSuccessStatusCode();
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.All(await app.RowsAsync(AlumniTables.AlumniIndex), r => Assert.Null(r.GetString("AlumnusId")));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.AlumniIndex), r => r.PartitionKey.Contains(hanako.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ErasureBetweenTheMatchersReadAndItsReturnClaim_ADepartureUnderTheNewIdCreatesNobody_AndEndsTheClaim()
    {
        await using var racing = await TestApp.StartAsync(azurite, services: s => s.AddSingleton<IAlumniStore>(sp =>
            new InterleavedAlumniStore(new TableAlumniStore(sp.GetRequiredService<AlumniTables>(), sp.GetRequiredService<Pseudonyms>()))));
        var hanako = await racing.CandidateAsync("hanako");
        await racing.HiredAsync("E-NEW-001", OpeningSeeds.Day(1), email: "hanako@example.net");
        // The whole erasure runs after the matcher read her record (not yet under erasure), before its claim of the new id.
        var erased = false;
        ((InterleavedAlumniStore)racing.Services.GetRequiredService<IAlumniStore>()).BeforeReturnClaim = async () =>
            erased = (await racing.PostFormAsync(LinkPurpose.Erase, hanako)).IsSuccessStatusCode;

        Assert.Equal(1, await racing.DeliverAsync("rehires", "AttributeRehire"));
        Assert.True(erased);

        var left = await racing.PostSignedAsync(Departures.Body(employeeId: "E-NEW-001", email: "hanako@example.net", lastWorkingDay: OpeningSeeds.Day(40)));

        left.EnsureSuccessStatusCode();
        Assert.Empty(await racing.RowsAsync(AlumniTables.Alumni));
        Assert.All(await racing.RowsAsync(AlumniTables.AlumniIndex), r => Assert.Null(r.GetString("AlumnusId")));
        Assert.DoesNotContain(await racing.RowsAsync(AlumniTables.AlumniIndex), r => r.PartitionKey.Contains(hanako.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MatcherDyingRightAfterItsReturnClaim_WithAnErasureBeforeIt_ADepartureUnderTheNewIdCreatesNobody()
    {
        await using var racing = await TestApp.StartAsync(azurite, services: s => s.AddSingleton<IAlumniStore>(sp =>
            new InterleavedAlumniStore(new TableAlumniStore(sp.GetRequiredService<AlumniTables>(), sp.GetRequiredService<Pseudonyms>()))));
        var hanako = await racing.CandidateAsync("hanako");
        await racing.HiredAsync("E-NEW-001", OpeningSeeds.Day(1), email: "hanako@example.net");
        // Erased after the matcher read her record; the matcher dies once its claim of the new id is written, before it
        // reads her record again: the claim names her, live, and no pointer leads an erasure to it.
        var store = (InterleavedAlumniStore)racing.Services.GetRequiredService<IAlumniStore>();
        store.BeforeReturnClaim = async () => Assert.True((await racing.PostFormAsync(LinkPurpose.Erase, hanako)).IsSuccessStatusCode);
        store.AfterReturnClaim = () => throw new InvalidOperationException("The matcher died.");

        Assert.Equal(1, await racing.DeliverAsync("rehires", "AttributeRehire"));
        Assert.Contains(await racing.RowsAsync(AlumniTables.AlumniIndex), r => r.GetString("AlumnusId") == hanako.Value);

        var left = await racing.PostSignedAsync(Departures.Body(employeeId: "E-NEW-001", email: "hanako@example.net", lastWorkingDay: OpeningSeeds.Day(40)));

        left.EnsureSuccessStatusCode();
        Assert.Equal("erased", (await left.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Empty(await racing.RowsAsync(AlumniTables.Alumni));
        Assert.All(await racing.RowsAsync(AlumniTables.AlumniIndex), r => Assert.Null(r.GetString("AlumnusId")));
        Assert.DoesNotContain(await racing.RowsAsync(AlumniTables.AlumniIndex), r => r.PartitionKey.Contains(hanako.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ErasedPerson_NeverMatches_ByEmployeeIdOrByAddress()
    {
        var hanako = await app.CandidateAsync("hanako");
        (await app.PostFormAsync(LinkPurpose.Erase, hanako)).EnsureSuccessStatusCode();

        await app.HiredAsync("E-hanako", OpeningSeeds.Day(1), email: "hanako@example.net");
        await app.HiredAsync("E-OTHER", OpeningSeeds.Day(1), email: "hanako@example.net");
        await AttributeAsync();

        Assert.All(await app.HireRowsAsync(), r => Assert.Equal(("NoMatch", null), (r.GetString("Outcome"), r.GetString("AlumnusId"))));
        Assert.Equal(2, (await app.HireRowsAsync()).Count);
        Assert.Equal(0, (await ReportAsync()).GetProperty("rehires").GetInt32());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task ErasureAfterAReturn_KeepsTheReturnCounted_WithoutThePerson()
    {
        var hanako = await app.CandidateAsync("hanako", purposes: ["JobOffers"]);
        var openingId = await app.CreateOpeningAsync();
        await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{openingId}/send");
        await app.SendAllBatchesAsync(await app.StartAndPlanAsync($"opening-{openingId}", CampaignKind.Opening, openingId));
        await app.InterestAsync(hanako, openingId);
        await app.HiredAsync("E-hanako", OpeningSeeds.Day(1), email: "hanako@example.net");
        await AttributeAsync();
        var matched = Assert.Single(await app.HireRowsAsync());
        Assert.NotNull(matched.GetString("EmailKey"));
        Assert.Contains(openingId, matched.GetString("Touches"), StringComparison.Ordinal);

        var export = await app.PostFormAsync(LinkPurpose.Export, hanako);
        (await app.PostFormAsync(LinkPurpose.Erase, hanako)).EnsureSuccessStatusCode();

        Assert.Single((await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("returnsToTheCompany").EnumerateArray());
        var report = await ReportAsync();
        Assert.Equal(1, report.GetProperty("rehires").GetInt32());
        Assert.Equal(JsonValueKind.Null, Assert.Single(report.GetProperty("items").EnumerateArray()).GetProperty("alumnusId").ValueKind);
        // Only what the insights count stays (ADR 0029): no address pseudonym, the month left, the touches' kinds without source, way or time.
        var row = Assert.Single(await app.HireRowsAsync());
        Assert.Null(row.GetString("EmailKey"));
        Assert.EndsWith("-01", row.GetString("LastWorkingDay"), StringComparison.Ordinal);
        Assert.Equal(matched.GetString("LastWorkingDay")![..8], row.GetString("LastWorkingDay")![..8]);
        var touches = JsonDocument.Parse(row.GetString("Touches")).RootElement.EnumerateArray().ToArray();
        Assert.Equal(["Opening", "Opening"], touches.Select(t => t.GetProperty("kind").GetString()));
        Assert.All(touches, t => Assert.Equal(("", "", JsonValueKind.Null),
            (t.GetProperty("sourceId").GetString(), t.GetProperty("via").GetString(), t.GetProperty("at").ValueKind)));
        Assert.DoesNotContain(openingId, row.GetString("Touches"), StringComparison.Ordinal);
        Assert.Equal(1, report.GetProperty("byFirstTouch").GetProperty("Opening").GetInt32());
    }

    [Fact]
    public async Task HireMatchedWhileTheAlumnusIsErased_EndsWithoutTheirId_OnTheRowAndInTheReport()
    {
        await using var racing = await TestApp.StartAsync(azurite, services: s =>
            s.AddSingleton<IRehireStore>(sp => new RacingRehireStore(new TableRehireStore(sp.GetRequiredService<AlumniTables>()))));
        var hanako = await racing.CandidateAsync("hanako");
        await racing.HiredAsync("E-hanako", OpeningSeeds.Day(1));
        // The rehires message is delivered after the erasure first looked for her rehires (none yet), before the tombstone.
        var delivered = 0;
        ((RacingRehireStore)racing.Services.GetRequiredService<IRehireStore>()).AfterFirstLookup = async () =>
            delivered = await racing.DeliverAsync("rehires", "AttributeRehire");

        (await racing.PostFormAsync(LinkPurpose.Erase, hanako)).EnsureSuccessStatusCode();

        Assert.Equal(1, delivered);
        var row = Assert.Single(await racing.HireRowsAsync());
        Assert.Equal(("Matched", null), (row.GetString("Outcome"), row.GetString("AlumnusId")));
        Assert.DoesNotContain(hanako.Value, string.Join("|", row.Select(p => $"{p.Value}")), StringComparison.Ordinal);
        var report = await racing.AdminJsonAsync($"api/manage/rehires?from={OpeningSeeds.Day(-30)}&to={OpeningSeeds.Day(30)}");
        Assert.Equal(JsonValueKind.Null, Assert.Single(report.GetProperty("items").EnumerateArray()).GetProperty("alumnusId").ValueKind);
        Assert.Empty(await racing.RowsAsync(AlumniTables.Alumni));
    }

    /// <summary>
    /// A hire and HR's correction of its date (two rows, two work items) for each of several returning people, their
    /// messages handled all at once, a few rounds: each person's return counts once.
    /// </summary>
    [Fact]
    public async Task TwoHiresOfOnePerson_DecidedAtTheSameMoment_CountOneReturn()
    {
        var today = OpeningSeeds.Today;
        string[][] rounds = [["hanako", "taro"], ["jiro", "saburo"], ["shiro", "goro"]];
        foreach (var names in rounds)
        {
            foreach (var name in names)
            {
                await app.CandidateAsync(name);
                Assert.Equal(HttpStatusCode.Accepted, (await app.HiredAsync($"E-{name}", OpeningSeeds.Day(today, 1))).StatusCode);
                Assert.Equal(HttpStatusCode.Accepted, (await app.HiredAsync($"E-{name}", OpeningSeeds.Day(today, 2))).StatusCode);
            }

            var messages = await app.DispatchAsync("rehires");
            await Task.WhenAll(messages.Select(m => app.InvokeAsync("AttributeRehire", m)));

            Assert.Equal(names.Length * 2, messages.Length);
        }

        var hires = await app.HireRowsAsync();
        var matched = hires.Where(r => r.GetString("Outcome") == "Matched").ToArray();
        Assert.Equal(12, hires.Count);
        Assert.Equal(6, matched.Length);
        Assert.Equal(6, matched.Select(r => r.GetString("AlumnusId")).Distinct().Count());
        Assert.Equal(6, (await ReportAsync()).GetProperty("rehires").GetInt32());
    }

    [Fact]
    public async Task HireOfSomeoneTheNetworkNeverHeld_IsNoMatch()
    {
        await app.HiredAsync("E-STRANGER", OpeningSeeds.Day(1), email: "stranger@example.net");
        await AttributeAsync();

        Assert.Equal("NoMatch", Assert.Single(await app.HireRowsAsync()).GetString("Outcome"));
        Assert.Empty(await app.RowsAsync(AlumniTables.WorkItems));
    }

    [Theory]
    [InlineData("from=garbage", "from")]
    [InlineData("to=2027-02-30", "to")]
    [InlineData("from=2027-02-01&to=2027-01-01", "from")]
    [InlineData("from=2000-01-01&to=2027-01-01", "from")]
    [InlineData("to=9999-12-31", "to")]
    public async Task Report_WithABadPeriod_Returns400_AndIsNotAudited(string query, string field)
    {
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Get, $"api/manage/rehires?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }
}
