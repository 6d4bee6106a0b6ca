using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Surveys;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

/// <summary>A version's results keep the k its email and page promised, whatever a later version sets: max(its own, the live one's).</summary>
public sealed class VersionThresholdTests
{
    private static Survey Republished(SurveyContent first, SurveyContent second)
    {
        var survey = Published(first);
        Assert.Null(survey.Edit(second, Now.AddDays(-5)));
        Assert.Equal(2, survey.Publish(Now.AddDays(-5))?.Version);
        return survey;
    }

    private static SurveyResultsView Results(Survey survey, SurveyContent content, int version, int responses) =>
        SurveyReport.Build(survey, content, version, new ResultsQuery(version), [Cell(content, Cohort(), responses, version: version)], new Dictionary<string, long> { ["w01"] = 40 });

    [Fact]
    public void EarlierVersion_KeepsItsOwnHigherK_WhenALaterVersionLowersIt()
    {
        var (v1, v2) = (Content(k: 10), Content(k: 5));
        var survey = Republished(v1, v2);

        var report = Results(survey, v1, 1, 6);

        Assert.Contains("groups of at least 10 people", SurveyEmail.ModeNote(v1, Locale.English), StringComparison.Ordinal);
        Assert.Equal(10, report.K);
        Assert.True(report.Selected.Suppressed);
        Assert.Null(report.Selected.Responses);
        Assert.All(report.Trend, p => Assert.Equal((true, (long?)null, (double?)null), (p.Suppressed, p.Responses, p.ResponseRate)));
        Assert.All(report.Breakdowns, b => Assert.Empty(b.Rows));
    }

    [Fact]
    public void LaterVersion_UsesItsOwnLowerK()
    {
        var (v1, v2) = (Content(k: 10), Content(k: 5));

        var report = Results(Republished(v1, v2), v2, 2, 6);

        Assert.Equal((5, (long?)6), (report.K, report.Selected.Responses));
    }

    [Fact]
    public void EarlierVersion_WithALowerK_TakesTheLiveVersionsHigherK()
    {
        var (v1, v2) = (Content(k: 5), Content(k: 10));

        var report = Results(Republished(v1, v2), v1, 1, 6);

        Assert.Equal(10, report.K);
        Assert.True(report.Selected.Suppressed);
    }

    [Theory]
    [InlineData(10, 5, 10)]
    [InlineData(5, 10, 10)]
    [InlineData(5, 5, 5)]
    [InlineData(3, 3, 5)] // stored before the floor was raised to 5
    public void Threshold_IsTheHigherOfTheVersionsAndTheLiveOnes(int versionK, int liveK, int expected) =>
        Assert.Equal(expected, AnonymityThreshold.For(Republished(Content(k: versionK), Content(k: liveK)), Content(k: versionK)).K);

    [Theory]
    [InlineData(3, 5)] // stored before the floor was raised to 5
    [InlineData(5, 5)]
    [InlineData(10, 10)]
    public void StoredK_IsReadAtTheFloorAtTheLeast(int stored, int expected) =>
        Assert.Equal(expected, AnonymityThreshold.For(stored).K);
}
