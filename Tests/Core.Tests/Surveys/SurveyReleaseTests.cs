using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using AlumniNetwork.Core.Surveys;
using Moq;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

/// <summary>Results move only in steps of at least k answers, or at the close (ADR 0035).</summary>
public sealed class SurveyReleaseTests
{
    private readonly Mock<ISurveyResponseStore> responses = new();
    private readonly SurveyContent content = Content(k: 5);
    private readonly Survey survey;
    private readonly SurveyRelease release;
    private readonly List<SurveyCell> live = [];

    public SurveyReleaseTests()
    {
        survey = Published(content);
        release = Release(responses);
        responses.Setup(r => r.CellsAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => live.ToArray());
    }

    private static SurveySnapshot Released(long responses, long changes) => new("s", 1, Now.AddDays(-1), responses, changes, []);

    [Theory]
    [InlineData(4, 0, false, false)] // fewer than k new answers
    [InlineData(5, 0, false, true)] // the k-th new answer
    [InlineData(5, 9, false, true)] // k new answers, changes or not
    [InlineData(0, 4, false, false)] // fewer than k changes
    [InlineData(0, 5, false, true)] // k changes and no new answer
    [InlineData(1, 5, false, false)] // k changes would release a new answer with them
    [InlineData(4, 40, false, false)]
    [InlineData(1, 0, true, true)] // closed: everything
    [InlineData(0, 1, true, true)]
    [InlineData(0, 0, true, true)] // closed, nothing new: released once more, to mark the figures final
    [InlineData(0, 0, false, false)]
    public void IsDue_CountsNewAnswersAndChangesSinceTheRelease(long added, long changed, bool closed, bool due) =>
        Assert.Equal(due, SurveyRelease.IsDue(20 + added, 3 + changed, Released(20, 3), 5, closed));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)] // an answer that was under way at the close
    [InlineData(0, 1)]
    [InlineData(5, 5)]
    public void IsDue_NeverAfterTheFinalRelease_WhileClosed(long added, long changed)
    {
        var final = Released(20, 3) with { Final = true };

        Assert.False(SurveyRelease.IsDue(20 + added, 3 + changed, final, 5, closed: true));
        Assert.Equal(added >= 5, SurveyRelease.IsDue(20 + added, 3 + changed, final, 5, closed: false));
    }

    [Fact]
    public void IsDue_BeforeAnyRelease_CountsFromNothing()
    {
        Assert.False(SurveyRelease.IsDue(4, 0, null, 5, closed: false));
        Assert.True(SurveyRelease.IsDue(5, 0, null, 5, closed: false));
        Assert.True(SurveyRelease.IsDue(1, 0, null, 5, closed: true));
    }

    [Fact]
    public async Task FewerThanKAnswers_ReleaseNothing_AndSayHowManyWait()
    {
        live.Add(Cell(content, Cohort(), 4));

        var (cells, status) = await release.CellsAsync(survey, content, 1, CancellationToken.None);

        Assert.Empty(cells);
        Assert.Equal(new ReleaseStatus(null, 4, 0, 5), status);
        responses.Verify(r => r.TryReleaseAsync(It.IsAny<SurveySnapshot>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task TheKthAnswer_ReleasesTheLiveCells_AndOneMoreShowsNothingNew()
    {
        live.Add(Cell(content, Cohort(), 5));
        var (first, status) = await release.CellsAsync(survey, content, 1, CancellationToken.None);
        Assert.Equal(5, ResponseTally.Sum(first.Select(c => c.Tally)).Responses);
        Assert.Equal(new ReleaseStatus(Now, 0, 0, 5), status);

        live[0] = Cell(content, Cohort(), 6, score: 0);
        var (second, waiting) = await release.CellsAsync(survey, content, 1, CancellationToken.None);

        Assert.Equal(9, ResponseTally.Sum(second.Select(c => c.Tally)).Of("recommend").Sum / 5);
        Assert.Equal(1, waiting.Waiting);
    }

    [Fact]
    public async Task AChangedAnswerAlone_IsNotReleased_ButKChangesAre()
    {
        live.Add(Cell(content, Cohort(), 5));
        await release.CellsAsync(survey, content, 1, CancellationToken.None);
        var changed = Cell(content, Cohort(), 5);
        changed.Tally.Add(content, Answers(("recommend", ["9"])), -1);
        changed.Tally.Add(content, Answers(("recommend", ["0"])), +1);
        live[0] = changed;

        var (cells, status) = await release.CellsAsync(survey, content, 1, CancellationToken.None);
        Assert.Equal(45, ResponseTally.Sum(cells.Select(c => c.Tally)).Of("recommend").Sum);
        Assert.Equal((0, 1), (status.Waiting, status.ChangesWaiting));

        for (var i = 0; i < 4; i++)
        {
            changed.Tally.Add(content, Answers(("recommend", ["0"])), -1);
            changed.Tally.Add(content, Answers(("recommend", ["0"])), +1);
        }

        (cells, status) = await release.CellsAsync(survey, content, 1, CancellationToken.None);
        Assert.Equal(36, ResponseTally.Sum(cells.Select(c => c.Tally)).Of("recommend").Sum);
        Assert.Equal((0, 0), (status.Waiting, status.ChangesWaiting));
    }

    [Fact]
    public async Task AClosedSurvey_ReleasesEveryAnswer()
    {
        live.Add(Cell(content, Cohort(), 5));
        await release.CellsAsync(survey, content, 1, CancellationToken.None);
        live[0] = Cell(content, Cohort(), 6);
        Assert.True(survey.Close(Now));

        var (cells, status) = await release.CellsAsync(survey, content, 1, CancellationToken.None);

        Assert.Equal(6, ResponseTally.Sum(cells.Select(c => c.Tally)).Responses);
        Assert.Equal(0, status.Waiting);
    }

    [Fact]
    public async Task AReadPastClosesAt_BeforeTheSurveyIsClosed_ReleasesNothingFinal()
    {
        // Past ClosesAt but not yet closed by the daily run, a new version may still reopen the survey: a final release
        // now would keep every answer given after the reopening from being released.
        var closing = content with { ClosesAt = Now.AddHours(-1) };
        var passed = Published(closing);
        responses.Setup(r => r.CellsAsync(passed.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => live.ToArray());
        live.Add(Cell(content, Cohort(), 5));

        await release.CellsAsync(passed, closing, 1, CancellationToken.None);
        await release.CellsAsync(passed, closing, 1, CancellationToken.None);

        responses.Verify(r => r.TryReleaseAsync(It.Is<SurveySnapshot>(s => s.Final), It.IsAny<CancellationToken>()), Times.Never);
        responses.Verify(r => r.TryReleaseAsync(It.IsAny<SurveySnapshot>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AnAnswerSavedAfterTheFinalRelease_IsNeverReleased_NorSaidToWait()
    {
        live.Add(Cell(content, Cohort(), 5));
        await release.CellsAsync(survey, content, 1, CancellationToken.None);
        Assert.True(survey.Close(Now));
        var (final, closedStatus) = await release.CellsAsync(survey, content, 1, CancellationToken.None);
        Assert.Equal(5, ResponseTally.Sum(final.Select(c => c.Tally)).Responses);

        live[0] = Cell(content, Cohort(), 6);
        var (later, laterStatus) = await release.CellsAsync(survey, content, 1, CancellationToken.None);

        Assert.Equal(5, ResponseTally.Sum(later.Select(c => c.Tally)).Responses);
        Assert.Equal(closedStatus, laterStatus);
        Assert.Equal((0, 0), (laterStatus.Waiting, laterStatus.ChangesWaiting));
        responses.Verify(r => r.TryReleaseAsync(It.IsAny<SurveySnapshot>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task OnlyTheAskedVersionsCells_AreReleased_WithItsOwnCount()
    {
        live.AddRange([Cell(content, Cohort(), 3, version: 1), Cell(content, Cohort(), 4, version: 2)]);

        var (cells, status) = await release.CellsAsync(survey, content, 1, CancellationToken.None);

        Assert.Empty(cells);
        Assert.Equal(3, status.Waiting);
    }

    [Fact]
    public async Task ALostRace_ShowsTheWinnersSnapshot_WithoutWritingOverIt()
    {
        var store = new Mock<ISurveyResponseStore>();
        var winner = new SurveySnapshot(survey.Id, 1, Now, 5, 0, [Cell(content, Cohort(), 5)], "theirs");
        store.SetupSequence(r => r.SnapshotAsync(survey.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync((SurveySnapshot?)null).ReturnsAsync(winner);
        store.Setup(r => r.CellsAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync([Cell(content, Cohort(), 6)]);
        store.Setup(r => r.TryReleaseAsync(It.IsAny<SurveySnapshot>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var (cells, status) = await new SurveyRelease(store.Object, new FakeTimeProvider(Now), NullLogger<SurveyRelease>.Instance)
            .CellsAsync(survey, content, 1, CancellationToken.None);

        Assert.Same(winner.Cells, cells);
        Assert.Equal(1, status.Waiting);
        store.Verify(r => r.TryReleaseAsync(It.Is<SurveySnapshot>(s => s.ETag == null), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AReleaseThatKeepsLosing_GivesUp_ShowingTheLastSnapshotRead()
    {
        responses.Setup(r => r.TryReleaseAsync(It.IsAny<SurveySnapshot>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        live.Add(Cell(content, Cohort(), 5));

        var (cells, status) = await release.CellsAsync(survey, content, 1, CancellationToken.None);

        Assert.Empty(cells);
        Assert.Equal(5, status.Waiting);
        responses.Verify(r => r.TryReleaseAsync(It.IsAny<SurveySnapshot>(), It.IsAny<CancellationToken>()), Times.Exactly(SurveyRelease.MaxAttempts));
    }
}
