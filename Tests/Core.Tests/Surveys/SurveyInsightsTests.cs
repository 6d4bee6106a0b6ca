using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Surveys;
using Moq;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

/// <summary>The dashboard's survey figures are those of the survey's unfiltered results: nothing they hide, with the survey's own k.</summary>
public sealed class SurveyInsightsTests
{
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<ISurveyResponseStore> responses = new();
    private readonly Mock<ICampaigns> campaigns = new();

    private static Survey Republished(SurveyContent first, SurveyContent second)
    {
        var survey = Published(first);
        Assert.Null(survey.Edit(second, Now.AddDays(-5)));
        Assert.Equal(2, survey.Publish(Now.AddDays(-5))?.Version);
        return survey;
    }

    private static SurveyCampaign Asked(string wave, int sent, int version = 1) =>
        new($"c-{version}-{wave}", new SurveyWave("s", version, wave), null, false, AudienceSegment.Everyone, Now.AddDays(-9), "admin", sent, Settled: true);

    private async Task<InsightSnapshot> RollUpAsync(Survey survey, IReadOnlyList<SurveyContent> versions, SurveyCampaign[] asked, SurveyCell[] cells, InsightSnapshot? before = null)
    {
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([survey]);
        surveys.Setup(s => s.CampaignsAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(asked);
        for (var v = 1; v <= versions.Count; v++)
        {
            surveys.Setup(s => s.GetVersionAsync(survey.Id, v, It.IsAny<CancellationToken>())).ReturnsAsync(versions[v - 1]);
        }

        responses.Setup(r => r.CellsAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(cells);
        var collector = new InsightCollector(Now, new Core.Company.CompanyCalendar(Builders.Company()));
        await new SurveyInsights(surveys.Object, campaigns.Object, Release(responses)).CollectAsync(collector, CancellationToken.None);
        return collector.MergeInto(before ?? InsightSnapshot.Empty);
    }

    private static long Figure(InsightSnapshot snapshot, Survey survey, string wave, string figure, int version = 1) =>
        snapshot.Metrics[SurveyInsights.Key(survey.Id, version, wave, figure)].Value;

    [Fact]
    public async Task WavesTheResultsHide_HaveNoResponsesRateOrEnps_EvenOverARawCountAnEarlierRollUpStored()
    {
        // Waves w01=20, w02=7, w03=2 at k=5: the results show w01 and the total 29, and hide w02 beside w03. The
        // dashboard listing w02=7 would give w03 = 29 - 20 - 7 = 2 away.
        var content = Content(k: 5);
        var survey = Published(content);
        var earlier = new InsightSnapshot(Now.AddHours(-1), new Dictionary<string, InsightMetric>
        {
            [SurveyInsights.Key(survey.Id, 1, "w02", "responses")] = new(7, "2027-02"),
        });

        var snapshot = await RollUpAsync(survey, [content], [Asked("w01", 40), Asked("w02", 40), Asked("w03", 40)],
            [Cell(content, Cohort(year: 2024), 10, wave: "w01"), Cell(content, Cohort(year: 2023), 10, wave: "w01"), Cell(content, Cohort(), 7, wave: "w02"), Cell(content, Cohort(), 2, wave: "w03")],
            earlier);

        Assert.Equal((40, 20, 5000, 20, 5), (Figure(snapshot, survey, "w01", "sent"), Figure(snapshot, survey, "w01", "responses"), Figure(snapshot, survey, "w01", "rate"),
            Figure(snapshot, survey, "w01", "enps-answered"), Figure(snapshot, survey, "w01", "k")));
        foreach (var wave in new[] { "w02", "w03" })
        {
            Assert.Equal((40, SurveyInsights.Hidden, SurveyInsights.Hidden), (Figure(snapshot, survey, wave, "sent"), Figure(snapshot, survey, wave, "responses"), Figure(snapshot, survey, wave, "rate")));
            Assert.Equal((0, 0, 0), (Figure(snapshot, survey, wave, "promoters"), Figure(snapshot, survey, wave, "detractors"), Figure(snapshot, survey, wave, "enps-answered")));
        }
    }

    [Fact]
    public async Task AWaveStartedAt2330UtcOnTheLastDay_HasTheNextMonthAsItsPeriod_AsTokyoStartedIt()
    {
        var content = Content(k: 5);
        var survey = Published(content);
        var asked = Asked("w01", 40) with { StartedAt = new DateTimeOffset(2027, 2, 28, 23, 30, 0, TimeSpan.Zero) };

        var snapshot = await RollUpAsync(survey, [content], [asked], [Cell(content, Cohort(), 10, wave: "w01")]);

        Assert.Equal("2027-03", snapshot.Metrics[SurveyInsights.Key(survey.Id, 1, "w01", "sent")].Period);
    }

    [Fact]
    public async Task WavesOfFiveToNine_AreHidden_WhenTheSurveysOwnKIsTen()
    {
        // At k=10, w03=8 and w04=3 are hidden (together 11): the fixed dashboard minimum of 5 would have shown w03.
        var content = Content(k: 10);
        var survey = Published(content);

        var snapshot = await RollUpAsync(survey, [content], [Asked("w01", 40), Asked("w02", 40), Asked("w03", 40), Asked("w04", 40)],
            [Cell(content, Cohort(), 20, wave: "w01"), Cell(content, Cohort(), 15, wave: "w02"), Cell(content, Cohort(), 8, wave: "w03"), Cell(content, Cohort(), 3, wave: "w04")]);

        Assert.Equal([20L, 15, SurveyInsights.Hidden, SurveyInsights.Hidden], new[] { "w01", "w02", "w03", "w04" }.Select(w => Figure(snapshot, survey, w, "responses")));
        Assert.Equal(0, Figure(snapshot, survey, "w03", "enps-answered"));
        Assert.Equal(10, Figure(snapshot, survey, "w03", "k"));
    }

    [Fact]
    public async Task AnEarlierVersionsFigures_KeepTheKItsRespondentsWerePromised_WhenALaterVersionLowersIt()
    {
        // v1 was answered under "groups of at least 10"; v2 lowered k to 5. v1's 6 answers must stay hidden.
        var (v1, v2) = (Content(k: 10), Content(k: 5));
        var survey = Republished(v1, v2);

        var snapshot = await RollUpAsync(survey, [v1, v2], [Asked("w01", 40), Asked("w01", 40, version: 2)],
            [Cell(v1, Cohort(), 6, wave: "w01"), Cell(v2, Cohort(), 6, wave: "w01", version: 2)]);

        Assert.Equal((10, SurveyInsights.Hidden, 0), (Figure(snapshot, survey, "w01", "k"), Figure(snapshot, survey, "w01", "responses"), Figure(snapshot, survey, "w01", "enps-answered")));
        Assert.Equal((5, 6, 6), (Figure(snapshot, survey, "w01", "k", 2), Figure(snapshot, survey, "w01", "responses", 2), Figure(snapshot, survey, "w01", "enps-answered", 2)));
    }

    private static InsightSnapshot Stored(string wave, params (string Figure, long Value)[] figures) =>
        new(Now, figures.ToDictionary(f => SurveyInsights.Key(new string('a', 32), 1, wave, f.Figure), f => new InsightMetric(f.Value, "2027-02")));

    [Fact]
    public void Read_HidesTheRate_WhenItHidesTheResponses_ForASmallGroupRolledUpUnderALowerK()
    {
        // Rolled up under k=3, before the floor of 5: 3 responses of 10 asked. The count is hidden, and 30% of 10 would say it.
        var snapshot = Stored("w01", ("sent", 10), ("responses", 3), ("rate", 3_000), ("promoters", 3), ("detractors", 0), ("enps-answered", 3), ("k", 3));

        var wave = Assert.Single(SurveyInsights.Waves(snapshot, 12));

        Assert.Equal((10L, (long?)null, (double?)null, (double?)null), (wave.Sent, wave.Responses, wave.ResponseRate, wave.Enps));
    }

    [Fact]
    public void Read_HidesTheRate_WhenTheResponsesAreStoredHidden()
    {
        var snapshot = Stored("w01", ("sent", 40), ("responses", SurveyInsights.Hidden), ("rate", 1_750), ("enps-answered", 0), ("k", 5));

        var wave = Assert.Single(SurveyInsights.Waves(snapshot, 12));

        Assert.Equal((40L, (long?)null, (double?)null), (wave.Sent, wave.Responses, wave.ResponseRate));
    }

    [Fact]
    public void Read_ShowsAWaveTheResultsShow()
    {
        var snapshot = Stored("w01", ("sent", 40), ("responses", 20), ("rate", 5_000), ("promoters", 12), ("detractors", 3), ("enps-answered", 20), ("k", 5));

        var wave = Assert.Single(SurveyInsights.Waves(snapshot, 12));

        Assert.Equal((new string('a', 32), 1, "w01", "2027-02"), (wave.SurveyId, wave.Version, wave.Wave, wave.Period));
        Assert.Equal((40L, (long?)20, (double?)0.5, (double?)45.0), (wave.Sent, wave.Responses, wave.ResponseRate, wave.Enps));
    }

    [Fact]
    public void Read_ShowsNothingButThePeopleAsked_OfAWaveRolledUpBeforeTheRateWasStored()
    {
        // Raw counts from before the figures were the results': nothing is shown until the next roll-up.
        var snapshot = Stored("w01", ("sent", 40), ("responses", 20), ("promoters", 12), ("detractors", 3), ("enps-answered", 20), ("k", 5));

        var wave = Assert.Single(SurveyInsights.Waves(snapshot, 12));

        Assert.Equal((40L, (long?)null, (double?)null, (double?)null), (wave.Sent, wave.Responses, wave.ResponseRate, wave.Enps));
    }

    [Fact]
    public void Read_HidesEnps_UnderTheSurveysOwnK()
    {
        // 8 answered at k=10: the eNPS would describe fewer than the survey promised.
        var snapshot = Stored("w01", ("sent", 40), ("responses", 20), ("rate", 5_000), ("promoters", 6), ("detractors", 1), ("enps-answered", 8), ("k", 10));

        Assert.Null(Assert.Single(SurveyInsights.Waves(snapshot, 12)).Enps);
    }
}
