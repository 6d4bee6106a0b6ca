using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Surveys;

/// <summary>The results API shows released figures that move only in steps of k answers, or at the close (ADR 0035), on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SurveyReleaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<JsonElement> ResultsAsync(string id) =>
        await (await app.AdminAsync(HttpMethod.Get, $"api/manage/surveys/{id}/results")).Content.ReadFromJsonAsync<JsonElement>();

    private static long Responses(JsonElement results) => results.GetProperty("selected").GetProperty("responses").GetInt64();

    private static double Mean(JsonElement results) =>
        results.GetProperty("selected").GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("question").GetProperty("id").GetString() == "recommend").GetProperty("mean").GetDouble();

    /// <summary>One answer changed from 9 to 0 in the cell of w01, as the survey page would write it.</summary>
    private async Task ChangeOneAsync(string id)
    {
        var store = app.Services.GetRequiredService<ISurveyResponseStore>();
        var content = (await app.Services.GetRequiredService<ISurveyStore>().GetVersionAsync(id, 1, CancellationToken.None))!;
        var wave = new SurveyWave(id, 1, "w01");
        var cohort = new Cohort(2024, "Retail Banking", DepartureReason.Voluntary, TenureBand.ThreeToFiveYears);
        var cell = (await store.CellAsync(wave, cohort, CancellationToken.None))!;
        cell.Tally.Add(content, new SurveyAnswers(new Dictionary<string, IReadOnlyList<string>> { ["recommend"] = ["9"] }), -1);
        var answers = new SurveyAnswers(new Dictionary<string, IReadOnlyList<string>> { ["recommend"] = ["0"] });
        cell.Tally.Add(content, answers, +1);
        var response = new SurveyResponse(wave, Guid.NewGuid().ToString("N"), cohort, answers, null, null, CommentKey: Guid.NewGuid().ToString("N"));
        Assert.Equal(SurveySave.Saved, await store.TrySaveAsync(null, response, cell, CommentChanges.None, CancellationToken.None));
    }

    [Fact]
    public async Task OneAnswerAfterARelease_ChangesNothingShown_TheKthDoes()
    {
        var id = await app.PublishedSurveyAsync(k: 5);
        await app.SeedCellAsync(id, "w01", 10);
        var released = await ResultsAsync(id);
        Assert.Equal(10, Responses(released));

        await app.SeedCellAsync(id, "w02", 1);
        var afterOne = await ResultsAsync(id);
        Assert.Equal(10, Responses(afterOne));
        Assert.Equal(1, afterOne.GetProperty("release").GetProperty("waiting").GetInt64());
        Assert.Equal(
            released.GetProperty("release").GetProperty("releasedAt").GetDateTimeOffset(), afterOne.GetProperty("release").GetProperty("releasedAt").GetDateTimeOffset());

        await app.SeedCellAsync(id, "w03", 4);
        var afterK = await ResultsAsync(id);
        Assert.Equal(15, Responses(afterK));
        Assert.Equal(0, afterK.GetProperty("release").GetProperty("waiting").GetInt64());
    }

    [Fact]
    public async Task AnAnswerLandingAfterTheClosesRelease_IsNeverShown_NorSaidToWait()
    {
        var id = await app.PublishedSurveyAsync(k: 5);
        await app.SeedCellAsync(id, "w01", 10);
        Assert.Equal(10, Responses(await ResultsAsync(id)));
        (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/close")).EnsureSuccessStatusCode();
        var closed = await ResultsAsync(id);

        // An answer that passed the page's open check before the close, saved after it: refused, the open marker gone.
        await app.SeedCellAsync(id, "w02", 1, expected: SurveySave.Closed);
        var later = await ResultsAsync(id);

        Assert.Equal((10, 10), (Responses(closed), Responses(later)));
        Assert.Equal(0, later.GetProperty("release").GetProperty("waiting").GetInt64());
        Assert.Equal(closed.GetProperty("release").GetProperty("releasedAt").GetDateTimeOffset(), later.GetProperty("release").GetProperty("releasedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AChangedAnswerAlone_DoesNotShow_ClosingReleasesIt()
    {
        var id = await app.PublishedSurveyAsync(k: 5);
        await app.SeedCellAsync(id, "w01", 10);
        Assert.Equal(9, Mean(await ResultsAsync(id)));

        await ChangeOneAsync(id);
        var changed = await ResultsAsync(id);
        Assert.Equal((10, 9.0), (Responses(changed), Mean(changed)));
        Assert.Equal(1, changed.GetProperty("release").GetProperty("changesWaiting").GetInt64());

        await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/close");
        var closed = await ResultsAsync(id);
        Assert.Equal(10, Responses(closed));
        Assert.True(Mean(closed) < 9);
    }

    [Fact]
    public async Task ClosingReleases_FewerThanKNewAnswers()
    {
        var id = await app.PublishedSurveyAsync(k: 5);
        await app.SeedCellAsync(id, "w01", 10);
        await ResultsAsync(id);
        await app.SeedCellAsync(id, "w02", 2);

        await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/close");

        Assert.Equal(12, Responses(await ResultsAsync(id)));
    }
}
