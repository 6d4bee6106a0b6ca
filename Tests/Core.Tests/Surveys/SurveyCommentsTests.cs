using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Options;
using Moq;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

/// <summary>The comment rows a response has, and what saving a changed response does to them.</summary>
public sealed class SurveyCommentRowsTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private static readonly SurveyContent TwoTexts = Content(questions: [Scale(), Why(), Why("other"), Return()]);

    private static SurveyResponse Response(SurveyAnswers answers, string? key = Key) =>
        new(new SurveyWave("s", 1, "w01"), "r1", Cohort(), answers, null, null, "etag", key);

    [Fact]
    public void Of_IsOneRowPerFreeTextAnswerWithText_UnderItsQuestionsKey_WithItsWave()
    {
        var rows = SurveyComments.Of(TwoTexts, Response(Answers(("recommend", ["3"]), ("why", ["Slow promotion"]), ("other", [""]), ("back", ["Yes"]))));

        var row = Assert.Single(rows);
        Assert.Equal(("why", SurveyComments.RowKey(Key, "why"), "Slow promotion", "w01"), (row.QuestionId, row.Key, row.Text, row.Wave.Wave));
    }

    [Fact]
    public void TwoCommentsOfOneResponse_HaveUnrelatedKeys_NeitherOfThemTheResponsesCommentKey()
    {
        var rows = SurveyComments.Of(TwoTexts, Response(Answers(("why", ["a"]), ("other", ["b"]))));

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(SurveyComments.IsKey(r.Key)));
        Assert.NotEqual(rows[0].Key, rows[1].Key);
        Assert.DoesNotContain(rows, r => r.Key == Key);
        // Not even a shared prefix orders them together across the two questions' lists.
        Assert.NotEqual(rows[0].Key[..4], rows[1].Key[..4]);
        // The response finds its rows again: the same comment key and question give the same row key.
        Assert.Equal(rows.Select(r => r.Key), SurveyComments.Of(TwoTexts, Response(Answers(("why", ["c"]), ("other", ["d"])))).Select(r => r.Key));
    }

    [Fact]
    public void Of_IsNothing_ForAResponseWithoutACommentKey() =>
        Assert.Empty(SurveyComments.Of(TwoTexts, Response(Answers(("why", ["text"])), key: null)));

    [Fact]
    public void Changes_OfAFirstAnswer_WriteEachText()
    {
        var changes = SurveyComments.Changes(TwoTexts, null, Response(Answers(("why", ["a"]), ("other", ["b"]))));

        Assert.Equal(["why", "other"], changes.Put.Select(c => c.QuestionId));
        Assert.Empty(changes.Removed);
    }

    [Fact]
    public void Changes_ReplaceAChangedText_UnderTheSameKey_RemoveAWithdrawnOne_AndLeaveAnUnchangedOneAlone()
    {
        var before = Response(Answers(("recommend", ["3"]), ("why", ["old"]), ("other", ["gone soon"])));
        var after = before with { Answers = Answers(("recommend", ["4"]), ("why", ["new"])) };

        var changes = SurveyComments.Changes(TwoTexts, before, after);

        var put = Assert.Single(changes.Put);
        Assert.Equal(("why", SurveyComments.RowKey(Key, "why"), "new"), (put.QuestionId, put.Key, put.Text));
        Assert.Equal(("other", SurveyComments.RowKey(Key, "other")), (Assert.Single(changes.Removed).QuestionId, changes.Removed[0].Key));
        var unchanged = SurveyComments.Changes(TwoTexts, after, after with { Answers = Answers(("recommend", ["9"]), ("why", ["new"])) });
        Assert.Empty(unchanged.Put);
        Assert.Empty(unchanged.Removed);
    }

    [Fact]
    public void Changes_FromAResponseSavedBeforeItHadAKey_WriteTheTexts_AndRemoveNothing()
    {
        var before = Response(Answers(("why", ["old"])), key: null);

        var changes = SurveyComments.Changes(TwoTexts, before, before with { Answers = Answers(("why", ["old"])), CommentKey = Key });

        Assert.Equal("old", Assert.Single(changes.Put).Text);
        Assert.Empty(changes.Removed);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdeg", false)]
    [InlineData("' or RowKey gt '", false)]
    [InlineData(null, false)]
    public void Key_IsThirtyTwoLowerCaseHexDigits(string? key, bool valid) => Assert.Equal(valid, SurveyComments.IsKey(key));

    [Fact]
    public void NewKeys_AreKeys_AndDiffer()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => SurveyComments.NewKey()).ToArray();

        Assert.All(keys, k => Assert.True(SurveyComments.IsKey(k)));
        Assert.Equal(100, keys.Distinct(StringComparer.Ordinal).Count());
    }
}

/// <summary>The comments page reads one page of comment rows, and only for a group whose figures are shown.</summary>
public sealed class SurveyCommentsPageTests
{
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<ISurveyResponseStore> responses = new();
    private readonly Survey survey = Published();
    private readonly SurveyResults results;

    public SurveyCommentsPageTests()
    {
        surveys.Setup(s => s.GetAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(survey);
        surveys.Setup(s => s.GetVersionAsync(survey.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(survey.Current);
        surveys.Setup(s => s.CampaignsAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        results = new SurveyResults(surveys.Object, responses.Object, Mock.Of<ICampaigns>(), Release(responses), Options.Create(new SurveyOptions { CommentsPerPage = 10 }));
    }

    private void Answered(int people, int? withText = null) => AnsweredIn(("w01", people, withText ?? people));

    /// <summary>The live cells: in each wave, <c>People</c> answered, the first <c>WithText</c> of them the free-text question too.</summary>
    private void AnsweredIn(params (string Wave, int People, int WithText)[] waves)
    {
        SurveyCell Cell((string Wave, int People, int WithText) w)
        {
            var tally = new ResponseTally();
            for (var i = 0; i < w.People; i++)
            {
                tally.Add(survey.Current!, i < w.WithText ? Answers(("recommend", ["3"]), ("why", [$"text {i}"])) : Answers(("recommend", ["3"])), +1);
            }

            return new SurveyCell(new SurveyWave(survey.Id, 1, w.Wave), Cohort(), tally);
        }

        responses.Setup(r => r.CellsAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(waves.Select(Cell).ToArray());
    }

    /// <summary>The waves the last comments read was of.</summary>
    private string[] WavesRead() =>
        ((IReadOnlyCollection<string>)responses.Invocations.Last(i => i.Method.Name == nameof(ISurveyResponseStore.CommentsAsync)).Arguments[3]!).ToArray();

    private static SurveyComment Comment(int i) =>
        new(new SurveyWave("s", 1, "w01"), "why", i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), $"text {i}");

    [Fact]
    public async Task AFullPage_LinksToTheNext_AfterItsLastKey_WithTheTotalFromTheAggregates()
    {
        Answered(25);
        responses.Setup(r => r.CommentsAsync(survey.Id, 1, "why", It.IsAny<IReadOnlyCollection<string>>(), null, 10, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Enumerable.Range(1, 10).Select(Comment).ToArray());

        var outcome = await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", null, CancellationToken.None);

        var page = Assert.IsType<AdminOutcome<CommentsView>.Done>(outcome).Value;
        Assert.Equal((10, 25L, Comment(10).Key), (page.Texts.Count, page.Total, page.Next));
    }

    [Fact]
    public async Task ThePageAfterACursor_ReadsFromThere_AndTheLastPage_LinksNowhere()
    {
        Answered(25);
        var after = Comment(20).Key;
        responses.Setup(r => r.CommentsAsync(survey.Id, 1, "why", It.IsAny<IReadOnlyCollection<string>>(), after, 10, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Enumerable.Range(21, 5).Select(Comment).ToArray());

        var page = Assert.IsType<AdminOutcome<CommentsView>.Done>(await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", after, CancellationToken.None)).Value;

        Assert.Equal((5, after, (string?)null), (page.Texts.Count, page.After, page.Next));
    }

    [Theory]
    [InlineData(4, 4)] // the whole group is under the threshold
    [InlineData(20, 4)] // the group is shown, but not the few who answered this question
    public async Task AGroupUnderTheThreshold_ReadsNoComment(int people, int withText)
    {
        Answered(people, withText);

        var page = Assert.IsType<AdminOutcome<CommentsView>.Done>(await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", null, CancellationToken.None)).Value;

        Assert.True(page.Suppressed);
        Assert.Empty(page.Texts);
        responses.Verify(r => r.CommentsAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<string?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(CohortDimension.Department, "Retail Banking")]
    [InlineData(CohortDimension.DepartureYear, "2026")]
    [InlineData(CohortDimension.Reason, "Voluntary")]
    [InlineData(CohortDimension.Tenure, "ThreeToFiveYears")]
    public async Task ACohortFilter_IsRefused_NamingBy_AndNothingIsRead(CohortDimension by, string value)
    {
        Answered(25);

        var outcome = await results.CommentsAsync(survey.Id, new ResultsQuery(Dimension: by, Value: value), "why", null, CancellationToken.None);

        Assert.Equal("by", Assert.Single(Assert.IsType<AdminOutcome<CommentsView>.Invalid>(outcome).Errors).Field);
        responses.Verify(r => r.CellsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        responses.Verify(r => r.CommentsAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<string?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AWave_ReadsThatWavesComments()
    {
        Answered(25);
        responses.Setup(r => r.CommentsAsync(survey.Id, 1, "why", new[] { "w01" }, null, 10, It.IsAny<CancellationToken>())).ReturnsAsync([Comment(1)]);

        var page = Assert.IsType<AdminOutcome<CommentsView>.Done>(await results.CommentsAsync(survey.Id, new ResultsQuery(Wave: "w01"), "why", null, CancellationToken.None)).Value;

        Assert.Equal(["text 1"], page.Texts);
    }

    [Fact]
    public async Task TheVersionsList_ReadsOnlyTheWavesWhoseOwnListsOpen()
    {
        // w01=20, w02=7, w03=2 at k=5: the trend hides w03, and w02 beside it (the version's 29 minus w01's 20 would say 9).
        AnsweredIn(("w01", 20, 20), ("w02", 7, 7), ("w03", 2, 2));
        responses.Setup(r => r.CommentsAsync(survey.Id, 1, "why", It.IsAny<IReadOnlyCollection<string>>(), null, 10, It.IsAny<CancellationToken>())).ReturnsAsync([Comment(1)]);

        var page = Assert.IsType<AdminOutcome<CommentsView>.Done>(await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", null, CancellationToken.None)).Value;

        Assert.False(page.Suppressed);
        Assert.Equal(["w01"], WavesRead());
    }

    [Fact]
    public async Task AWaveNotYetReleased_IsNotInTheVersionsList_UntilItsAnswersAreReleased()
    {
        responses.Setup(r => r.CommentsAsync(survey.Id, 1, "why", It.IsAny<IReadOnlyCollection<string>>(), null, 10, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        AnsweredIn(("w01", 20, 20));
        await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", null, CancellationToken.None);

        AnsweredIn(("w01", 20, 20), ("w02", 2, 2));
        await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", null, CancellationToken.None);
        var beforeRelease = WavesRead();
        AnsweredIn(("w01", 20, 20), ("w02", 7, 7));
        await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", null, CancellationToken.None);

        Assert.Equal(["w01"], beforeRelease);
        Assert.Equal(["w01", "w02"], WavesRead());
    }

    [Fact]
    public async Task WhenNoWaveShowsTheQuestion_TheVersionsListIsHidden_AndNothingIsRead()
    {
        // At k=5 each wave's 3 answers are hidden, though the version's 6 are shown.
        AnsweredIn(("w01", 20, 3), ("w02", 20, 3));

        var page = Assert.IsType<AdminOutcome<CommentsView>.Done>(await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", null, CancellationToken.None)).Value;

        Assert.True(page.Suppressed);
        responses.Verify(r => r.CommentsAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<string?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("recommend")]
    [InlineData("nosuch")]
    [InlineData(null)]
    public async Task AQuestionThatIsNotFreeText_IsNamed(string? question)
    {
        Answered(25);

        var outcome = await results.CommentsAsync(survey.Id, ResultsQuery.All, question, null, CancellationToken.None);

        Assert.Equal("question", Assert.Single(Assert.IsType<AdminOutcome<CommentsView>.Invalid>(outcome).Errors).Field);
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    public async Task ABadCursor_IsNamed_AndNothingIsRead(string after)
    {
        Answered(25);

        var outcome = await results.CommentsAsync(survey.Id, ResultsQuery.All, "why", after, CancellationToken.None);

        Assert.Equal("after", Assert.Single(Assert.IsType<AdminOutcome<CommentsView>.Invalid>(outcome).Errors).Field);
        responses.Verify(r => r.CellsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

/// <summary>Erasure deletes each attributed response with its comment rows, re-reading one that changed meanwhile.</summary>
public sealed class SurveyRecordsErasureTests
{
    [Fact]
    public async Task AnAttributedResponse_IsDeletedWithItsCommentRows_ReReadWhenItChangedMeanwhile()
    {
        var content = Content(SurveyMode.Attributed);
        var survey = Published(content);
        var alumnus = Builders.Alumnus(Now);
        var person = alumnus.Id;
        var wave = new SurveyWave(survey.Id, 1, "w01");
        var read = new SurveyResponse(wave, person.Value, Cohort(), Answers(("recommend", ["3"])), person, Now, "e1", "0123456789abcdef0123456789abcdef");
        var changed = read with { Answers = Answers(("recommend", ["3"]), ("why", ["added meanwhile"])), ETag = "e2" };
        var surveys = new Mock<ISurveyStore>();
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([survey]);
        surveys.Setup(s => s.GetVersionAsync(survey.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(content);
        var responses = new Mock<ISurveyResponseStore>();
        responses.SetupSequence(r => r.OfAlumnusAsync(survey.Id, person, It.IsAny<CancellationToken>())).ReturnsAsync([read]).ReturnsAsync([changed]).ReturnsAsync([]);
        responses.Setup(r => r.TryDeleteAsync(read, It.IsAny<IReadOnlyList<SurveyComment>>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        responses.Setup(r => r.TryDeleteAsync(changed, It.IsAny<IReadOnlyList<SurveyComment>>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await new SurveyRecords(surveys.Object, responses.Object, Mock.Of<ISendLedger>()).EraseAsync(alumnus.Id, CancellationToken.None);

        responses.Verify(r => r.TryDeleteAsync(changed, It.Is<IReadOnlyList<SurveyComment>>(c => c.Single().Text == "added meanwhile"), It.IsAny<CancellationToken>()));
    }
}
