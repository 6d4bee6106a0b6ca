using System.Globalization;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Surveys;

/// <summary>
/// On Azurite, the guards that keep an anonymous answer to one per person and wave: one person's guards in two waves
/// share nothing; a guard written before the wave was hashed in still stops a second answer; erasure takes the person's
/// guards of every wave, in both formats; and once a wave's links expired, or those of a lifecycle wave's early
/// campaigns, the daily run forgets who answered them, the results unchanged (ADR 0025).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SurveyWavePseudonymTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<ResponseTally> TallyAsync(string surveyId) =>
        ResponseTally.Sum((await app.Services.GetRequiredService<ISurveyResponseStore>().CellsAsync(surveyId, CancellationToken.None)).Select(c => c.Tally));

    private async Task<List<TableEntity>> RowsAsync(string surveyId, string prefix) =>
        (await app.RowsAsync(AlumniTables.SurveyResponses)).Where(r => r.PartitionKey == surveyId && r.RowKey.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    private static string PseudonymOf(TableEntity guard) => guard.RowKey[(guard.RowKey.LastIndexOf('-') + 1)..];

    private async Task<byte[]> KeyAsync(string surveyId) => (await app.Services.GetRequiredService<ISurveyStore>().KeyAsync(surveyId, false, CancellationToken.None))!;

    /// <summary>A low score is asked why (a comment row), a high one is not.</summary>
    private Task<HttpResponseMessage> AnswerAsync(string surveyId, AlumnusId member, string wave, string score = "4") => score == "4"
        ? app.AnswerAsync(app.SurveyToken(surveyId, member, wave), ("recommend", score), ("why", "理由"), ("back", "Yes"))
        : app.AnswerAsync(app.SurveyToken(surveyId, member, wave), ("recommend", score), ("back", "Yes"));

    /// <summary>Turns the person's guard of the wave into one of the first format, as an answer before the deploy wrote it.</summary>
    private async Task RewriteAsFirstFormatAsync(string surveyId, AlumnusId member, string wave)
    {
        var key = await KeyAsync(surveyId);
        var waved = SurveyPseudonym.Of(key, new SurveyWave(surveyId, 1, wave), member);
        var guard = (await RowsAsync(surveyId, $"g-0001-{wave}-")).Single(g => PseudonymOf(g) == waved);
        var table = await app.Services.GetRequiredService<AlumniTables>().GetAsync(AlumniTables.SurveyResponses, CancellationToken.None);
        await table.AddEntityAsync(new TableEntity(surveyId, $"g-0001-{wave}-{SurveyPseudonym.Unwaved(key, member)}") { ["Response"] = guard.GetString("Response") });
        await table.DeleteEntityAsync(surveyId, guard.RowKey, ETag.All);
    }

    [Fact]
    public async Task AnswersInTwoWaves_LeaveGuardsThatShareNothing_NorTheFirstFormat()
    {
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var members = await app.SeedMembersAsync(2, [ConsentPurpose.Surveys]);

        foreach (var member in members)
        {
            (await AnswerAsync(surveyId, member.Id, "w01")).EnsureSuccessStatusCode();
            (await AnswerAsync(surveyId, member.Id, "aspring")).EnsureSuccessStatusCode();
        }

        var first = (await RowsAsync(surveyId, "g-0001-w01-")).Select(PseudonymOf).ToArray();
        var second = (await RowsAsync(surveyId, "g-0001-aspring-")).Select(PseudonymOf).ToArray();
        Assert.Equal((2, 2), (first.Length, second.Length));
        Assert.Empty(first.Intersect(second, StringComparer.Ordinal));
        var key = await KeyAsync(surveyId);
        Assert.DoesNotContain(first.Concat(second), p => members.Any(m => p == SurveyPseudonym.Unwaved(key, m.Id)));
        Assert.Equal(4, (await TallyAsync(surveyId)).Responses);
    }

    [Fact]
    public async Task AGuardOfTheFirstFormat_StopsASecondAnswer_TheFirstIsChanged()
    {
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var member = (await app.SeedMembersAsync(1, [ConsentPurpose.Surveys]))[0];
        (await AnswerAsync(surveyId, member.Id, "w01", "4")).EnsureSuccessStatusCode();
        await RewriteAsFirstFormatAsync(surveyId, member.Id, "w01");

        (await AnswerAsync(surveyId, member.Id, "w01", "9")).EnsureSuccessStatusCode();

        var tally = await TallyAsync(surveyId);
        Assert.Equal((1, 1, 0), (tally.Responses, tally.Of("recommend").CountOf("9"), tally.Of("recommend").CountOf("4")));
        Assert.Single(await RowsAsync(surveyId, "r-"));
        var guard = Assert.Single(await RowsAsync(surveyId, "g-"));
        Assert.Equal(SurveyPseudonym.Unwaved(await KeyAsync(surveyId), member.Id), PseudonymOf(guard));
    }

    [Fact]
    public async Task Erasure_DeletesThePersonsGuardsOfEveryWave_InBothFormats_AndNoOneElses()
    {
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var member = await app.MemberAsync("ja-JP", "Surveys");
        var other = (await app.SeedMembersAsync(1, [ConsentPurpose.Surveys]))[0].Id;
        foreach (var wave in new[] { "w01", "aspring", "asummer" })
        {
            (await AnswerAsync(surveyId, member, wave)).EnsureSuccessStatusCode();
            (await AnswerAsync(surveyId, other, wave)).EnsureSuccessStatusCode();
        }

        await RewriteAsFirstFormatAsync(surveyId, member, "asummer");

        (await app.PostFormAsync(LinkPurpose.Erase, member)).EnsureSuccessStatusCode();

        var key = await KeyAsync(surveyId);
        var guards = (await RowsAsync(surveyId, "g-")).Select(PseudonymOf).ToArray();
        Assert.Equal(3, guards.Length);
        Assert.All(new[] { "w01", "aspring", "asummer" }, wave => Assert.Contains(SurveyPseudonym.Of(key, new SurveyWave(surveyId, 1, wave), other), guards));
        Assert.Equal(6, (await TallyAsync(surveyId)).Responses);
    }

    [Fact]
    public async Task AWaveWhoseLinksExpired_IsForgotten_TheResultsUnchanged_AndARerunChangesNothing()
    {
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var members = await app.SeedMembersAsync(2, [ConsentPurpose.Surveys]);
        foreach (var member in members)
        {
            (await AnswerAsync(surveyId, member.Id, "aspring")).EnsureSuccessStatusCode();
            (await AnswerAsync(surveyId, member.Id, "w01")).EnsureSuccessStatusCode();
        }

        var store = app.Services.GetRequiredService<ISurveyStore>();
        var now = TimeProvider.System.GetUtcNow();
        var spring = new SurveyWave(surveyId, 1, "aspring");
        var lifecycle = new SurveyWave(surveyId, 1, "w01");
        await store.TryAddCampaignAsync(surveyId, new SurveyCampaign(SurveyCampaigns.IdOf(spring), spring, null, false, AudienceSegment.Everyone, now.AddDays(-70), "admin", 2, true, true), CancellationToken.None);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await store.TryAddCampaignAsync(surveyId, new SurveyCampaign(SurveyCampaigns.IdOf(lifecycle, today), lifecycle, today, false, AudienceSegment.Everyone, now.AddDays(-1), "timer", 2, true, true), CancellationToken.None);
        var tally = (await TallyAsync(surveyId)).ToJson();
        var cells = (await RowsAsync(surveyId, "c-")).Count;
        var comments = (await RowsAsync(surveyId, "t-")).Count;
        using var scope = app.Services.CreateScope();
        var retention = scope.ServiceProvider.GetRequiredService<SurveyWaveRetention>();
        var survey = (await store.GetAsync(surveyId, CancellationToken.None))!;
        var records = await store.CampaignsAsync(surveyId, CancellationToken.None);

        Assert.Equal(1, await retention.ForgetExpiredAsync(survey, records, now, CancellationToken.None));

        Assert.Empty(await RowsAsync(surveyId, "g-0001-aspring-"));
        Assert.Empty(await RowsAsync(surveyId, "r-0001-aspring-"));
        Assert.Equal((2, 2), ((await RowsAsync(surveyId, "g-0001-w01-")).Count, (await RowsAsync(surveyId, "r-0001-w01-")).Count));
        Assert.Equal(tally, (await TallyAsync(surveyId)).ToJson());
        Assert.Equal((cells, comments), ((await RowsAsync(surveyId, "c-")).Count, (await RowsAsync(surveyId, "t-")).Count));

        var rows = (await app.RowsAsync(AlumniTables.SurveyResponses)).Select(r => r.RowKey).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(0, await retention.ForgetExpiredAsync(survey, records, now, CancellationToken.None));
        Assert.Equal(rows, (await app.RowsAsync(AlumniTables.SurveyResponses)).Select(r => r.RowKey).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(tally, (await TallyAsync(surveyId)).ToJson());
    }

    [Fact]
    public async Task ALifecycleCampaignWhoseLinksExpired_HasItsRespondentsForgotten_ARecentOnesAndAnUndatedGuardStay_AndARerunChangesNothing()
    {
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var members = await app.SeedMembersAsync(4, [ConsentPurpose.Surveys]);
        foreach (var member in members)
        {
            (await AnswerAsync(surveyId, member.Id, "w01")).EnsureSuccessStatusCode();
        }

        // The first two answered a campaign of 100 days ago, the third yesterday's; the fourth's guard predates the day.
        var now = TimeProvider.System.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var key = await KeyAsync(surveyId);
        var lifecycle = new SurveyWave(surveyId, 1, "w01");
        var table = await app.Services.GetRequiredService<AlumniTables>().GetAsync(AlumniTables.SurveyResponses, CancellationToken.None);
        var guards = (await RowsAsync(surveyId, "g-0001-w01-")).ToDictionary(PseudonymOf, StringComparer.Ordinal);
        TableEntity GuardOf(int member) => guards[SurveyPseudonym.Of(key, lifecycle, members[member].Id)];
        Assert.All(guards.Values, g => Assert.Equal(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.GetString("AnsweredOn")));
        foreach (var early in new[] { GuardOf(0), GuardOf(1) })
        {
            early["AnsweredOn"] = today.AddDays(-99).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await table.UpdateEntityAsync(early, ETag.All, TableUpdateMode.Replace);
        }

        var undated = GuardOf(3);
        undated.Remove("AnsweredOn");
        await table.UpdateEntityAsync(undated, ETag.All, TableUpdateMode.Replace);
        var store = app.Services.GetRequiredService<ISurveyStore>();
        foreach (var (day, startedAt) in new[] { (today.AddDays(-100), now.AddDays(-100)), (today.AddDays(-1), now.AddDays(-1)) })
        {
            await store.TryAddCampaignAsync(surveyId, new SurveyCampaign(SurveyCampaigns.IdOf(lifecycle, day), lifecycle, day, false, AudienceSegment.Everyone, startedAt, "timer", 2, true, true), CancellationToken.None);
        }

        var tally = (await TallyAsync(surveyId)).ToJson();
        var (cells, comments) = ((await RowsAsync(surveyId, "c-")).Count, (await RowsAsync(surveyId, "t-")).Count);
        using var scope = app.Services.CreateScope();
        var retention = scope.ServiceProvider.GetRequiredService<SurveyWaveRetention>();
        var survey = (await store.GetAsync(surveyId, CancellationToken.None))!;
        var records = await store.CampaignsAsync(surveyId, CancellationToken.None);

        Assert.Equal(1, await retention.ForgetExpiredAsync(survey, records, now, CancellationToken.None));

        var kept = new[] { GuardOf(2), GuardOf(3) };
        Assert.Equal(kept.Select(g => g.RowKey).Order(StringComparer.Ordinal), (await RowsAsync(surveyId, "g-0001-w01-")).Select(g => g.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal(kept.Select(g => "r-0001-w01-" + g.GetString("Response")).Order(StringComparer.Ordinal),
            (await RowsAsync(surveyId, "r-0001-w01-")).Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal(tally, (await TallyAsync(surveyId)).ToJson());
        Assert.Equal((cells, comments), ((await RowsAsync(surveyId, "c-")).Count, (await RowsAsync(surveyId, "t-")).Count));

        var rows = (await app.RowsAsync(AlumniTables.SurveyResponses)).Select(r => r.RowKey).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(0, await retention.ForgetExpiredAsync(survey, records, now, CancellationToken.None));
        Assert.Equal(rows, (await app.RowsAsync(AlumniTables.SurveyResponses)).Select(r => r.RowKey).Order(StringComparer.Ordinal).ToArray());
    }
}
