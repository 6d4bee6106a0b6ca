using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Surveys;

/// <summary>The survey admin API through its real endpoints, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SurveyAdminTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Create_StoresADraft_AndAuditsItWithoutItsText()
    {
        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/surveys", SurveySeeds.Body());

        var created = await JsonAsync(response);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/manage/surveys/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(("Draft", 0), (created.GetProperty("status").GetString(), created.GetProperty("version").GetInt32()));
        Assert.Equal(4, created.GetProperty("draft").GetProperty("questions").GetArrayLength());
        var entry = (await app.Services.GetRequiredService<IAuditLog>().QueryAsync(TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddMinutes(1), 100, AuditFilter.None, null, CancellationToken.None)).Entries
            .Single(e => e.Action == SurveyAuditActions.Created);
        Assert.Equal((AdminApi.DevelopmentSubject, id), (entry.Actor, entry.Subject));
        Assert.DoesNotContain("退職者", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRepeatedWithItsKey_IsOneSurvey_AnsweredWithIt_AndAnotherBodyOrABadKeyChangesNothing()
    {
        var first = await app.AdminCreateAsync("api/manage/surveys", SurveySeeds.Body(), "retry-1");
        var id = (await JsonAsync(first)).GetProperty("id").GetString()!;
        var before = await app.SnapshotAsync();

        var again = await app.AdminCreateAsync("api/manage/surveys", SurveySeeds.Body(), "retry-1");
        var other = await app.AdminCreateAsync("api/manage/surveys", SurveySeeds.Body(title: "別のアンケート"), "retry-1");
        var bad = await app.AdminCreateAsync("api/manage/surveys", SurveySeeds.Body(), new string('k', IdempotencyKey.MaxLength + 1));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.BadRequest),
            (first.StatusCode, again.StatusCode, other.StatusCode, bad.StatusCode));
        var repeated = await JsonAsync(again);
        Assert.Equal((id, "Draft"), (repeated.GetProperty("id").GetString(), repeated.GetProperty("status").GetString()));
        Assert.Equal(IdempotencyKey.Header, (await JsonAsync(other)).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(IdempotencyKey.Header, (await JsonAsync(bad)).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal(id, Assert.Single(await app.Services.GetRequiredService<ISurveyStore>().ListAsync(CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Create_WithEveryKindOfMistake_Returns400NamingEachField_AndStoresNothing()
    {
        var body = JsonNode.Parse(SurveySeeds.Body())!.AsObject();
        body["mode"] = "Secret";
        body["minimumGroupSize"] = 4;
        body["questions"]![0]!["kind"] = "Stars";
        body["questions"]![2]!["showIf"]!["question"] = "nope";
        body["lifecycle"]!["waves"]![0]!["days"] = 14;
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/surveys", body.ToJsonString());

        var fields = (await JsonAsync(response)).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToArray();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mode", fields);
        Assert.Contains("minimumGroupSize", fields);
        Assert.Contains("questions[0].kind", fields);
        Assert.Contains("questions[2].showIf.question", fields);
        Assert.Contains("lifecycle.waves[0]", fields);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task PublishedVersion_NeverChanges_AnEditIsTheNextVersion()
    {
        var id = await app.PublishedSurveyAsync();
        var edited = JsonNode.Parse(SurveySeeds.Body(title: "第2版"))!.ToJsonString();

        var edit = await app.AdminAsync(HttpMethod.Put, $"api/manage/surveys/{id}", edited);
        var afterEdit = await app.AdminJsonAsync($"api/manage/surveys/{id}");
        var v1 = await app.Services.GetRequiredService<ISurveyStore>().GetVersionAsync(id, 1, CancellationToken.None);
        var publish = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/publish");
        var v2 = await JsonAsync(publish);

        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal((1, "第2版"), (afterEdit.GetProperty("version").GetInt32(), afterEdit.GetProperty("draft").GetProperty("title").GetProperty("japanese").GetString()));
        Assert.Equal("退職者アンケート <script>x</script>", v1!.Title.Japanese);
        Assert.Equal((2, "第2版"), (v2.GetProperty("version").GetInt32(), v2.GetProperty("current").GetProperty("title").GetProperty("japanese").GetString()));
        Assert.Equal(JsonValueKind.Null, v2.GetProperty("draft").ValueKind);
        Assert.Equal("退職者アンケート <script>x</script>", (await app.Services.GetRequiredService<ISurveyStore>().GetVersionAsync(id, 1, CancellationToken.None))!.Title.Japanese);
    }

    [Fact]
    public async Task PublishThatLostTheSurveyRow_AndItsRetryOfAnotherDraft_StoreTheVersionTheSurveyRowNames()
    {
        // A first attempt, as the publish makes it: read the row, write version 1 from its (attributed) draft, then lose
        // the row to an edit that makes the draft anonymous. The retry publishes that draft as version 1.
        var store = app.Services.GetRequiredService<ISurveyStore>();
        var id = await app.CreateSurveyAsync(SurveySeeds.Body(mode: "Attributed"));
        var read = (await store.GetAsync(id, CancellationToken.None))!;
        var (version, content) = read.Publish(TimeProvider.System.GetUtcNow())!.Value;
        Assert.True(await store.TryAddVersionAsync(id, version, content, CancellationToken.None));
        var edit = await app.AdminAsync(HttpMethod.Put, $"api/manage/surveys/{id}", SurveySeeds.Body(mode: "Anonymous", title: "匿名版"));
        Assert.False(await store.TryUpdateAsync(read, CancellationToken.None));

        var publish = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/publish");

        var survey = (await store.GetAsync(id, CancellationToken.None))!;
        var stored = (await store.GetVersionAsync(id, 1, CancellationToken.None))!;
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (edit.StatusCode, publish.StatusCode));
        Assert.Equal((1, SurveyMode.Anonymous, "匿名版"), (survey.Version, survey.Current!.Mode, survey.Current.Title.Japanese));
        Assert.Equal((SurveyMode.Anonymous, "匿名版"), (stored.Mode, stored.Title.Japanese));

        // A slower attempt, still holding the attributed draft, cannot write it over the version the row names; it loses
        // the row and tries again: there is nothing left to publish, and the version is still the one the row names.
        Assert.False(await store.TryAddVersionAsync(id, version, content, CancellationToken.None));
        var again = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/publish");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await store.GetAsync(id, CancellationToken.None))!.Version);
        Assert.Equal(SurveyMode.Anonymous, (await store.GetVersionAsync(id, 1, CancellationToken.None))!.Mode);
    }

    [Fact]
    public async Task PublishReplacingADraftLeftBehind_WhileAnotherPublishReplacedAndNamedIt_LeavesTheOtherOnesVersion()
    {
        // An attempt cut short left version 1 from the attributed draft. This publish reads that draft, finds the row and
        // no survey row naming it; then, before it replaces the row, an edit and another publish replace and name it.
        var store = app.Services.GetRequiredService<ISurveyStore>();
        var id = await app.CreateSurveyAsync(SurveySeeds.Body(mode: "Attributed"));
        var (version, content) = (await store.GetAsync(id, CancellationToken.None))!.Publish(TimeProvider.System.GetUtcNow())!.Value;
        Assert.True(await store.TryAddVersionAsync(id, version, content, CancellationToken.None));
        var other = new List<HttpStatusCode>();
        var interleaved = new InterleavedSurveyStore(store)
        {
            BeforeVersionWrite = async () =>
            {
                other.Add((await app.AdminAsync(HttpMethod.Put, $"api/manage/surveys/{id}", SurveySeeds.Body(mode: "Anonymous", title: "匿名版"))).StatusCode);
                other.Add((await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/publish")).StatusCode);
            },
            // This attempt then stops before its survey row write, so nothing of it comes back to write the version again.
            StopAtSurveyWrite = true,
        };

        using var scope = app.Services.CreateScope();
        var slow = ActivatorUtilities.CreateInstance<ManageSurveys>(scope.ServiceProvider, interleaved);
        await Assert.ThrowsAsync<OperationCanceledException>(() => slow.PublishAsync(id, null, "admin", CancellationToken.None));

        var survey = (await store.GetAsync(id, CancellationToken.None))!;
        var stored = (await store.GetVersionAsync(id, 1, CancellationToken.None))!;
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], other);
        Assert.Equal((1, "匿名版"), (survey.Version, survey.Current!.Title.Japanese));
        Assert.Equal((SurveyMode.Anonymous, "匿名版"), (stored.Mode, stored.Title.Japanese));
    }

    [Fact]
    public async Task JapaneseText_IsStoredAsItIs_NotAsSixCharacterEscapes_SoALongAnswerFitsItsRow()
    {
        var id = await app.PublishedSurveyAsync();
        var member = await app.MemberAsync("ja-JP", "Surveys");
        var text = string.Concat(Enumerable.Repeat("評価が不透明", 30));
        (await app.AnswerAsync(id, member, ("recommend", "2"), ("why", text))).EnsureSuccessStatusCode();

        var tables = app.Services.GetRequiredService<AlumniTables>();
        var survey = (await (await tables.GetAsync(AlumniTables.Surveys, CancellationToken.None)).GetEntityAsync<TableEntity>("survey", id)).Value;
        var answers = new List<string>();
        await foreach (var row in (await tables.GetAsync(AlumniTables.SurveyResponses, CancellationToken.None)).QueryAsync<TableEntity>(e => e.PartitionKey == id))
        {
            if (row.RowKey.StartsWith("r-", StringComparison.Ordinal))
            {
                answers.Add(row.GetString("Answers0"));
            }
        }

        Assert.Contains("退職者アンケート", survey.GetString("Current0"), StringComparison.Ordinal);
        Assert.Contains(text, Assert.Single(answers), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingTheModeAfterPublication_Returns409_AndChangesNothing()
    {
        var id = await app.PublishedSurveyAsync("Anonymous");
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/surveys/{id}", SurveySeeds.Body("Attributed"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("mode", (await JsonAsync(response)).GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task PublishingADraftWhoseClosingTimePassed_Returns409NamingClosesAt_AndTheLiveVersionStaysOpen()
    {
        // Valid when written, the draft's closing time passed before the publish: published, the next daily run would close
        // the whole survey for good.
        var id = await app.PublishedSurveyAsync();
        var store = app.Services.GetRequiredService<ISurveyStore>();
        var survey = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Null(survey.Edit(survey.Current! with { ClosesAt = TimeProvider.System.GetUtcNow().AddMinutes(-1) }, TimeProvider.System.GetUtcNow()));
        Assert.True(await store.TryUpdateAsync(survey, CancellationToken.None));
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/publish");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("closesAt", (await JsonAsync(response)).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
        var after = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal((1, SurveyStatus.Published), (after.Version, after.Status));
        Assert.True(after.IsOpenAt(TimeProvider.System.GetUtcNow()));
    }

    [Fact]
    public async Task AdHocWave_StartsOneCampaignThroughTheEngine_AndRepeatingItStartsNothingMore()
    {
        var id = await app.PublishedSurveyAsync();
        const string wave = """{"name": "spring27", "audience": {"departments": ["Markets"], "departedFromYear": 2020}}""";

        var first = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", wave);
        var second = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", wave);

        var campaignId = (await JsonAsync(first)).GetProperty("campaignId").GetString()!;
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal($"survey-{id}-v1-aspring27", campaignId);
        Assert.Equal(campaignId, (await JsonAsync(second)).GetProperty("campaignId").GetString());
        var campaign = (await app.Services.GetRequiredService<ICampaignStore>().GetAsync(campaignId, CancellationToken.None))!;
        Assert.Equal((CampaignKind.Survey, campaignId, 2020), (campaign.Kind, campaign.SourceId, campaign.Audience.DepartedFromYear!.Value));
        Assert.Equal(["Markets"], campaign.Audience.Departments);
        Assert.Single((await app.AdminJsonAsync($"api/manage/surveys/{id}")).GetProperty("waves").EnumerateArray());
    }

    [Fact]
    public async Task AdHocWave_UnderTheNameOfAWaveOfAnotherVersion_Returns409NamingName_AndStartsNothing()
    {
        // The composer skips everyone a wave of the same name asked, whatever its version: a v2 "spring27" would reach no one v1's did.
        var id = await app.PublishedSurveyAsync();
        const string wave = """{"name": "spring27"}""";
        Assert.Equal(HttpStatusCode.Created, (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", wave)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Put, $"api/manage/surveys/{id}", SurveySeeds.Body(title: "第2版"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/publish")).StatusCode);
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", wave);

        var problem = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("name", error.GetProperty("field").GetString());
        Assert.Contains("another version", error.GetProperty("rule").GetString()!, StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Null(await app.Services.GetRequiredService<ICampaignStore>().GetAsync($"survey-{id}-v2-aspring27", CancellationToken.None));
        var waves = (await app.AdminJsonAsync($"api/manage/surveys/{id}")).GetProperty("waves").EnumerateArray().ToArray();
        Assert.Equal($"survey-{id}-v1-aspring27", Assert.Single(waves).GetProperty("campaignId").GetString());
    }

    [Fact]
    public async Task AdHocWave_RepeatedWithItsDepartmentInAnotherCaseAndWidth_Returns200_AndStartsNothingMore()
    {
        // The same people: a 409 would send the admin to a new wave name, which would ask them all again.
        var id = await app.PublishedSurveyAsync();
        Assert.Equal(HttpStatusCode.Created, (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", """{"name": "spring27", "audience": {"departments": ["Sales"]}}""")).StatusCode);

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", """{"name": "spring27", "audience": {"departments": ["ｓａｌｅｓ"]}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"survey-{id}-v1-aspring27", (await JsonAsync(response)).GetProperty("campaignId").GetString());
        var campaign = (await app.Services.GetRequiredService<ICampaignStore>().GetAsync($"survey-{id}-v1-aspring27", CancellationToken.None))!;
        Assert.Equal(["Sales"], campaign.Audience.Departments);
        Assert.Single((await app.AdminJsonAsync($"api/manage/surveys/{id}")).GetProperty("waves").EnumerateArray());
    }

    [Fact]
    public async Task AdHocWave_RepeatedWithAnotherAudience_Returns409NamingAudience_AndChangesNothing()
    {
        // A repeat starts nothing: a 200 would tell the admin the 2021 leavers were asked when the wave went to 2020's.
        var id = await app.PublishedSurveyAsync();
        Assert.Equal(HttpStatusCode.Created, (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", """{"name": "spring27", "audience": {"departedFromYear": 2020}}""")).StatusCode);
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", """{"name": "spring27", "audience": {"departedFromYear": 2021}}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("audience", Assert.Single((await JsonAsync(response)).GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
        var campaign = (await app.Services.GetRequiredService<ICampaignStore>().GetAsync($"survey-{id}-v1-aspring27", CancellationToken.None))!;
        Assert.Equal(2020, campaign.Audience.DepartedFromYear);
    }

    [Fact]
    public async Task EditOfASurveyAtItsLastVersion_Returns409NamingVersion_AndChangesNothing()
    {
        // Version 1000's waves would have campaign ids and links that hold three digits of it: nothing would read them back.
        var id = await app.LastVersionSurveyAsync();
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/surveys/{id}", SurveySeeds.Body(title: "第1000版"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("version", Assert.Single((await JsonAsync(response)).GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task CloseLandingBetweenAPublishSavingItsRowAndItsFollowUpWrites_LeavesNoOpenMarker()
    {
        // The close saves its row and deletes the marker after the publish saved its row and before its first follow-up
        // write: the publish must not write the marker back (answers would still be refused, but the row would stay till
        // the daily run).
        var id = await app.PublishedSurveyAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Put, $"api/manage/surveys/{id}", SurveySeeds.Body(title: "第2版"))).StatusCode);
        var closes = new List<HttpStatusCode>();
        var interleaved = new InterleavedSurveyStore(app.Services.GetRequiredService<ISurveyStore>())
        {
            BeforeVersionWrite = async () => closes.Add((await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/close")).StatusCode),
        };

        using var scope = app.Services.CreateScope();
        var slow = ActivatorUtilities.CreateInstance<ManageSurveys>(scope.ServiceProvider, interleaved);
        var published = Assert.IsType<AdminOutcome<SurveyView>.Done>(await slow.PublishAsync(id, null, "admin", CancellationToken.None)).Value;

        Assert.Equal([HttpStatusCode.OK], closes);
        Assert.Equal(2, published.Version);
        Assert.Equal(SurveyStatus.Closed, (await app.Services.GetRequiredService<ISurveyStore>().GetAsync(id, CancellationToken.None))!.Status);
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.SurveyResponses), r => r.PartitionKey == id && r.RowKey == "open");
    }

    [Theory]
    [InlineData("""{"name": "Spring 27"}""", "name")]
    [InlineData("""{"name": "averylongname"}""", "name")]
    [InlineData("""{"audience": {}}""", "name")]
    [InlineData("""{"name": "x", "audience": {"reasons": ["Fired"]}}""", "audience.reasons[0]")]
    [InlineData("""{"name": "x", "channel": "sms"}""", "channel")]
    public async Task AdHocWave_WithABadBody_Returns400_AndStartsNothing(string body, string field)
    {
        var id = await app.PublishedSurveyAsync();
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/waves", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await JsonAsync(response)).GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task AdHocWave_OfADraftOrAClosedSurvey_Returns409()
    {
        var draft = await app.CreateSurveyAsync();
        var closed = await app.PublishedSurveyAsync();
        await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{closed}/close");

        Assert.Equal(HttpStatusCode.Conflict, (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{draft}/waves", """{"name":"now"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{closed}/waves", """{"name":"now"}""")).StatusCode);
    }

    [Fact]
    public async Task Close_RefusesEditsAfterwards_DestroysTheKey_AndIsIdempotent()
    {
        var id = await app.PublishedSurveyAsync();
        var store = app.Services.GetRequiredService<ISurveyStore>();
        Assert.NotNull(await store.KeyAsync(id, create: false, CancellationToken.None));

        var first = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/close");
        var second = await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/close");
        var edit = await app.AdminAsync(HttpMethod.Put, $"api/manage/surveys/{id}", SurveySeeds.Body());

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode, edit.StatusCode));
        Assert.Equal("Closed", (await JsonAsync(second)).GetProperty("status").GetString());
        Assert.Null(await store.KeyAsync(id, create: true, CancellationToken.None));
    }

    [Fact]
    public async Task Results_AreOpenToViewers_ButNotToOtherRoles()
    {
        var id = await app.PublishedSurveyAsync();

        var viewer = await app.SendAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results", app.Token(AdminRoles.Viewer));
        var recruiter = await app.SendAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results", app.Token(AdminRoles.Recruiter));
        var managing = await app.SendAsync(HttpMethod.Post, $"api/manage/surveys/{id}/close", app.Token(AdminRoles.Viewer));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (viewer.StatusCode, recruiter.StatusCode, managing.StatusCode));
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(viewer)).GetProperty("selected").GetProperty("responses").ValueKind);
    }

    [Fact]
    public async Task Results_FilteredByAWaveTheTrendHides_ShowNoGroupNoBreakdownAndNoTotal()
    {
        // w01=20, w02=7, w03=2 at k=5: the trend shows w01 only beside the total of 29; w02's 7 would leave w03's 2.
        var id = await app.PublishedSurveyAsync();
        foreach (var (wave, count) in new[] { ("w01", 20), ("w02", 7), ("w03", 2) })
        {
            await app.SeedCellAsync(id, wave, count);
        }

        var all = await JsonAsync(await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results"));
        var w02 = await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results?wave=w02");
        var body = await JsonAsync(w02);

        Assert.Equal(29, all.GetProperty("selected").GetProperty("responses").GetInt64());
        Assert.Equal(HttpStatusCode.OK, w02.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("selected").GetProperty("responses").ValueKind);
        Assert.All(body.GetProperty("breakdowns").EnumerateArray(), b =>
        {
            Assert.Equal(0, b.GetProperty("rows").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, b.GetProperty("total").ValueKind);
        });
        Assert.DoesNotContain("7", body.GetProperty("breakdowns").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_OfAShownWave_HideAQuestionWhoseCountBesideTheVersionsWouldGiveTheHiddenWavesAway()
    {
        // Waves w01=25, w02=20, w03=3 at k=5: the trend hides w03 and w02 beside it. "topics" was answered 25, 1 and 1
        // times: the version's 27 minus w01's 25 would say 2 in the hidden waves.
        var id = await app.PublishedSurveyAsync();
        await app.SeedCellAsync(id, "w01", 25, topics: 25);
        await app.SeedCellAsync(id, "w02", 20, topics: 1);
        await app.SeedCellAsync(id, "w03", 3, topics: 1);
        static JsonElement Topics(JsonElement body) =>
            body.GetProperty("selected").GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("question").GetProperty("id").GetString() == "topics");

        var all = await JsonAsync(await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results"));
        var w01 = await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results?wave=w01");
        var body = await JsonAsync(w01);

        Assert.Equal(27, Topics(all).GetProperty("answered").GetInt64());
        Assert.Equal(HttpStatusCode.OK, w01.StatusCode);
        Assert.Equal(25, body.GetProperty("selected").GetProperty("responses").GetInt64());
        Assert.True(Topics(body).GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, Topics(body).GetProperty("answered").ValueKind);
        Assert.Equal(JsonValueKind.Null, Topics(body).GetProperty("distribution").ValueKind);
    }

    [Theory]
    [InlineData("?version=2", "version")]
    [InlineData("?by=Department", "value")]
    [InlineData("?wave=W1", "wave")]
    public async Task Results_WithABadQuery_Return400NamingIt(string query, string field)
    {
        var id = await app.PublishedSurveyAsync();

        var response = await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await JsonAsync(response)).GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
    }

    [Fact]
    public async Task Results_OfAWellFormedWaveTheVersionDoesNotHave_Return400NamingItsWaves_WhileAnUnknownGroupStaysHidden()
    {
        // A hidden wave and a wave that never was looked alike (200, hidden): the admin could not tell a typo from too few answers.
        var id = await app.PublishedSurveyAsync();
        await app.SeedCellAsync(id, "w01", 20);
        await app.SeedCellAsync(id, "w02", 2);

        var missing = await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results?wave=w07");
        var hidden = await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results?wave=w02");
        var noSuchGroup = await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results?wave=w01&by=Department&value=Nowhere");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.OK), (missing.StatusCode, hidden.StatusCode, noSuchGroup.StatusCode));
        var error = Assert.Single((await JsonAsync(missing)).GetProperty("errors").EnumerateArray());
        Assert.Equal(("wave", "must be a wave of version 1: w01, w02"), (error.GetProperty("field").GetString(), error.GetProperty("rule").GetString()));
        Assert.True((await JsonAsync(noSuchGroup)).GetProperty("selected").GetProperty("suppressed").GetBoolean());
    }

    [Fact]
    public async Task Results_OfADraft_Return409() =>
        Assert.Equal(HttpStatusCode.Conflict, (await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{await app.CreateSurveyAsync()}/results")).StatusCode);
}
