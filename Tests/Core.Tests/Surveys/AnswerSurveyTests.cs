using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

/// <summary>The one-click score of the email merged with the answers given before.</summary>
public sealed class AnswerSurveyClickTests
{
    private const string CommentKey = "0123456789abcdef0123456789abcdef";

    // "why" is asked only of a low score, as in the survey the page tests publish.
    private static readonly SurveyContent Survey = Content(questions: [Scale(), Why(showIf: new QuestionCondition("recommend", ["0", "1", "2", "3", "4", "5", "6"])), Return()]);

    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<ISurveyResponseStore> responses = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly List<WorkItem> scheduled = [];
    private readonly LinkTokenService tokens;
    private readonly Alumnus alumnus = Builders.Alumnus(Now);
    private readonly SurveyWave wave;
    private readonly Core.Surveys.Survey published;
    private readonly SurveyResponse given;

    public AnswerSurveyClickTests()
    {
        tokens = new LinkTokenService(Builders.Links(), time);
        var survey = published = Published(Survey);
        wave = new SurveyWave(survey.Id, 1, "w01");
        given = new SurveyResponse(wave, "r1", Core.Surveys.Cohort.Of(alumnus), Answers(("recommend", ["3"]), ("why", ["Too few chances to grow"]), ("back", ["Yes"])), null, null, "e1", CommentKey);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        surveys.Setup(s => s.GetAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(survey);
        surveys.Setup(s => s.GetVersionAsync(survey.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Survey);
        surveys.Setup(s => s.KeyAsync(survey.Id, true, It.IsAny<CancellationToken>())).ReturnsAsync(new byte[32]);
        responses.Setup(r => r.GuardAsync(wave, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync("r1");
        responses.Setup(r => r.GetAsync(wave, "r1", It.IsAny<CancellationToken>())).ReturnsAsync(given);
        responses.Setup(r => r.CellAsync(wave, It.IsAny<Cohort>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                var tally = new ResponseTally();
                tally.Add(Survey, given.Answers, +1);
                return new SurveyCell(wave, given.Cohort, tally, "c1");
            });
        responses.Setup(r => r.TrySaveAsync(It.IsAny<SurveyGuard?>(), It.IsAny<SurveyResponse>(), It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(SurveySave.Saved);
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => scheduled.Add(i)).Returns(Task.CompletedTask);
    }

    private Task<SurveyPageView> ClickAsync(string score, SurveyWave? on = null) =>
        new AnswerSurvey(new SignedLinkAccess(tokens, alumni.Object), surveys.Object, responses.Object,
            new SurveyRecords(surveys.Object, responses.Object, Mock.Of<ISendLedger>()), new ErasureRecheck(alumni.Object, work.Object, time, NullLogger<ErasureRecheck>.Instance), time, NullLogger<AnswerSurvey>.Instance)
            .ClickAsync(tokens.Issue(LinkPurpose.Survey, alumnus, (on ?? wave).Scope), score, CancellationToken.None);

    [Fact]
    public async Task AScoreThatHidesAFollowUp_DropsItsAnswer_FromTheResponse_TheCell_AndTheComments()
    {
        var view = await ClickAsync("9");

        Assert.Equal(SurveyPageStatus.ScoreSaved, view.Status);
        Assert.Equal(["back", "recommend"], view.Given.Values.Keys.Order(StringComparer.Ordinal));
        responses.Verify(r => r.TrySaveAsync(null,
            It.Is<SurveyResponse>(s => !s.Answers.Has("why") && s.Answers.Of("recommend")[0] == "9" && s.Answers.Of("back")[0] == "Yes"),
            It.Is<SurveyCell>(c => c.Tally.Responses == 1 && c.Tally.Of("why").Answered == 0 && c.Tally.Of("recommend").CountOf("9") == 1),
            It.Is<CommentChanges>(c => c.Put.Count == 0 && c.Removed.Single().QuestionId == "why"),
            It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task AScoreThatStillShowsTheFollowUp_KeepsItsAnswer_AndItsComment()
    {
        var view = await ClickAsync("5");

        Assert.Equal(SurveyPageStatus.ScoreSaved, view.Status);
        Assert.Equal("Too few chances to grow", view.Given.Of("why").Single());
        responses.Verify(r => r.TrySaveAsync(null,
            It.Is<SurveyResponse>(s => s.Answers.Of("why").Single() == "Too few chances to grow" && s.Answers.Of("recommend")[0] == "5"),
            It.IsAny<SurveyCell>(),
            It.Is<CommentChanges>(c => c.Put.Count == 0 && c.Removed.Count == 0),
            It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task AFormSavedWhileTheClickRetried_IsMergedWith_NotOverwritten()
    {
        // The first attempt loses its cell to a form save in another tab ("back" changed to No); the retry reads that
        // answer and applies the click to it.
        var stored = given;
        var saves = 0;
        responses.Setup(r => r.GetAsync(wave, "r1", It.IsAny<CancellationToken>())).ReturnsAsync(() => stored);
        responses.Setup(r => r.CellAsync(wave, It.IsAny<Cohort>(), It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var tally = new ResponseTally();
            tally.Add(Survey, stored.Answers, +1);
            return new SurveyCell(wave, stored.Cohort, tally, "c" + saves);
        });
        responses.Setup(r => r.TrySaveAsync(It.IsAny<SurveyGuard?>(), It.IsAny<SurveyResponse>(), It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                if (saves++ > 0)
                {
                    return SurveySave.Saved;
                }

                stored = given with { Answers = Answers(("recommend", ["3"]), ("why", ["Too few chances to grow"]), ("back", ["No"])), ETag = "e2" };
                return SurveySave.Changed;
            });

        var clicking = ClickAsync("5");
        while (!clicking.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        var view = await clicking;
        Assert.Equal(SurveyPageStatus.ScoreSaved, view.Status);
        Assert.Equal(("5", "No"), (view.Given.Of("recommend").Single(), view.Given.Of("back").Single()));
        responses.Verify(r => r.TrySaveAsync(null,
            It.Is<SurveyResponse>(s => s.ETag == "e2" && s.Answers.Of("recommend")[0] == "5" && s.Answers.Of("back")[0] == "No" && s.Answers.Of("why")[0] == "Too few chances to grow"),
            It.Is<SurveyCell>(c => c.Tally.Responses == 1 && c.Tally.Of("back").CountOf("No") == 1 && c.Tally.Of("back").CountOf("Yes") == 0),
            It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task TheSurveyClosedBetweenAttempts_DeletingTheResponseRead_AnswersClosed_AndSavesNoSecondResponse()
    {
        // The first attempt loses to the close, which deleted the guard and then the response the attempt had read; the
        // retry finds no guard and must not write a new guard, response and +1 to a cell that still counts the old one.
        var saves = 0;
        responses.Setup(r => r.GuardAsync(wave, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => saves == 0 ? "r1" : null);
        responses.Setup(r => r.TrySaveAsync(It.IsAny<SurveyGuard?>(), It.IsAny<SurveyResponse>(), It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => saves++ > 0 ? SurveySave.Saved : SurveySave.Changed);

        var clicking = ClickAsync("5");
        while (!clicking.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        var view = await clicking;
        Assert.Equal(SurveyPageStatus.Closed, view.Status);
        Assert.Equal(1, saves);
        responses.Verify(r => r.TrySaveAsync(It.IsNotNull<SurveyGuard>(), It.IsAny<SurveyResponse>(), It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ErasureBeganWhileAFirstAnonymousAnswerWasSaved_DeletesTheGuardItWrote_AndAnswersGone()
    {
        // The link was checked before the erasure set its flag; the answer, and its guard (the person's pseudonym), landed
        // after the erasure deleted the guards. The response stays, as after any erasure: it names nobody.
        var guards = new HashSet<string>(StringComparer.Ordinal);
        responses.Setup(r => r.GuardAsync(wave, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);
        responses.Setup(r => r.TrySaveAsync(It.IsAny<SurveyGuard?>(), It.IsAny<SurveyResponse>(), It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()))
            .Callback((SurveyGuard? guard, SurveyResponse _, SurveyCell _, CommentChanges _, CancellationToken _) =>
            {
                guards.Add(guard!.Pseudonym);
                alumnus.ErasureStartedAt = Now;
            })
            .ReturnsAsync(SurveySave.Saved);
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([published]);
        surveys.Setup(s => s.KeyAsync(published.Id, false, It.IsAny<CancellationToken>())).ReturnsAsync(new byte[32]);
        responses.Setup(r => r.DeleteGuardsAsync(published.Id, It.IsAny<Func<SurveyWave, string, bool>?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, Func<SurveyWave, string, bool>? whose, CancellationToken _) => guards.RemoveWhere(g => whose!(wave, g))).ReturnsAsync(1);

        var view = await ClickAsync("9");

        Assert.Equal(SurveyPageStatus.Gone, view.Status);
        Assert.Null(view.Alumnus);
        responses.Verify(r => r.TrySaveAsync(It.Is<SurveyGuard>(g => g.Pseudonym == SurveyPseudonym.Of(new byte[32], wave, alumnus.Id)), It.IsAny<SurveyResponse>(),
            It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(guards);
        var item = Assert.Single(scheduled);
        Assert.Equal((WorkKinds.TakeBack, alumnus.Id.Value), (item.Kind, item.SubjectId));
    }

    [Fact]
    public async Task ErasureBeganWhileAnAttributedAnswerWasSaved_DeletesTheAnswerRow_AndAnswersGone()
    {
        var content = Content(SurveyMode.Attributed, questions: [Scale(), Return()]);
        var attributed = Published(content);
        var on = new SurveyWave(attributed.Id, 1, "w01");
        var stored = new List<SurveyResponse>();
        surveys.Setup(s => s.GetAsync(attributed.Id, It.IsAny<CancellationToken>())).ReturnsAsync(attributed);
        surveys.Setup(s => s.GetVersionAsync(attributed.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(content);
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([attributed]);
        responses.Setup(r => r.GetAsync(on, alumnus.Id.Value, It.IsAny<CancellationToken>())).ReturnsAsync(() => stored.SingleOrDefault());
        responses.Setup(r => r.CellAsync(on, It.IsAny<Cohort>(), It.IsAny<CancellationToken>())).ReturnsAsync((SurveyCell?)null);
        responses.Setup(r => r.TrySaveAsync(null, It.IsAny<SurveyResponse>(), It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()))
            .Callback((SurveyGuard? _, SurveyResponse response, SurveyCell _, CommentChanges _, CancellationToken _) =>
            {
                stored.Add(response);
                alumnus.ErasureStartedAt = Now;
            })
            .ReturnsAsync(SurveySave.Saved);
        responses.Setup(r => r.OfAlumnusAsync(attributed.Id, alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => [.. stored]);
        responses.Setup(r => r.TryDeleteAsync(It.IsAny<SurveyResponse>(), It.IsAny<IReadOnlyList<SurveyComment>>(), It.IsAny<CancellationToken>()))
            .Callback((SurveyResponse response, IReadOnlyList<SurveyComment> _, CancellationToken _) => stored.Remove(response)).ReturnsAsync(true);

        var view = await ClickAsync("9", on);

        Assert.Equal(SurveyPageStatus.Gone, view.Status);
        Assert.Null(view.Alumnus);
        responses.Verify(r => r.TryDeleteAsync(It.Is<SurveyResponse>(x => x.ResponseId == alumnus.Id.Value && x.AlumnusId == alumnus.Id), It.IsAny<IReadOnlyList<SurveyComment>>(),
            It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(stored);
        var item = Assert.Single(scheduled);
        Assert.Equal((WorkKinds.TakeBack, alumnus.Id.Value), (item.Kind, item.SubjectId));
    }

    [Fact]
    public async Task AGuardOfTheFirstFormat_StillFindsTheAnswerGivenBeforeIt_WhichIsChanged_AndNoSecondGuardIsWritten()
    {
        // Answered before the wave was hashed into the pseudonym: the wave's pseudonym has no guard, the first format's does.
        responses.Setup(r => r.GuardAsync(wave, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);
        responses.Setup(r => r.GuardAsync(wave, SurveyPseudonym.Unwaved(new byte[32], alumnus.Id), It.IsAny<CancellationToken>())).ReturnsAsync("r1");

        var view = await ClickAsync("9");

        Assert.Equal(SurveyPageStatus.ScoreSaved, view.Status);
        responses.Verify(r => r.TrySaveAsync(null, It.Is<SurveyResponse>(s => s.ResponseId == "r1" && s.ETag == "e1"), It.Is<SurveyCell>(c => c.Tally.Responses == 1),
            It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()), Times.Once);
        responses.Verify(r => r.TrySaveAsync(It.IsNotNull<SurveyGuard>(), It.IsAny<SurveyResponse>(), It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AFirstAnswer_WritesTheGuardOfTheWavesPseudonym_WithTheUtcDayOfTheAnswer()
    {
        // The day tells the daily run when every campaign the person could have been sent expired (ADR 0025).
        responses.Setup(r => r.GuardAsync(wave, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);
        time.SetUtcNow(new DateTimeOffset(2027, 3, 1, 16, 0, 0, TimeSpan.Zero)); // 2 March in Tokyo: the day is UTC's, as the campaigns' starts are compared

        var view = await ClickAsync("9");

        Assert.Equal(SurveyPageStatus.ScoreSaved, view.Status);
        responses.Verify(r => r.TrySaveAsync(new SurveyGuard(SurveyPseudonym.Of(new byte[32], wave, alumnus.Id), new DateOnly(2027, 3, 1)), It.IsAny<SurveyResponse>(),
            It.IsAny<SurveyCell>(), It.IsAny<CommentChanges>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NoErasure_TheSavedAnswerStands_AndNoGuardIsDeleted()
    {
        var view = await ClickAsync("9");

        Assert.Equal(SurveyPageStatus.ScoreSaved, view.Status);
        responses.Verify(r => r.DeleteGuardsAsync(It.IsAny<string>(), It.IsAny<Func<SurveyWave, string, bool>?>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(scheduled);
    }
}

/// <summary>The pseudonym behind an anonymous answer's guard (ADR 0025).</summary>
public sealed class SurveyPseudonymTests
{
    private static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private readonly AlumnusId person = Builders.Alumnus(Now).Id;

    [Fact]
    public void OnePersonInTwoWaves_HasTwoPseudonyms_NeitherTheFirstFormats()
    {
        // Table access alone must not link one person's answers across the waves of a recurring survey.
        var pseudonyms = new[]
        {
            SurveyPseudonym.Of(Key, new SurveyWave("s", 1, "w01"), person),
            SurveyPseudonym.Of(Key, new SurveyWave("s", 1, "w02"), person),
            SurveyPseudonym.Of(Key, new SurveyWave("s", 2, "w01"), person),
            SurveyPseudonym.Unwaved(Key, person),
        };

        Assert.Equal(pseudonyms.Length, pseudonyms.Distinct(StringComparer.Ordinal).Count());
        Assert.All(pseudonyms, p => Assert.Matches("^[0-9a-f]{32}$", p));
        Assert.Equal(pseudonyms[0], SurveyPseudonym.Of(Key, new SurveyWave("s", 1, "w01"), person));
    }

    [Fact]
    public void TheFirstFormat_IsWhatGuardsWrittenBeforeWavesWereHashedInHold()
    {
        var written = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Key, System.Text.Encoding.UTF8.GetBytes("respondent:" + person.Value)))[..32];

        Assert.Equal(written, SurveyPseudonym.Unwaved(Key, person));
    }

    [Fact]
    public void Matches_TakesEachWavesPseudonymAndTheFirstFormat_OfThePersonOnly()
    {
        var (w01, w02) = (new SurveyWave("s", 1, "w01"), new SurveyWave("s", 1, "w02"));
        var other = Builders.Alumnus(Now).Id;
        var matches = SurveyPseudonym.Matches(Key, person);

        Assert.True(matches(w01, SurveyPseudonym.Of(Key, w01, person)));
        Assert.True(matches(w02, SurveyPseudonym.Of(Key, w02, person)));
        Assert.True(matches(w02, SurveyPseudonym.Unwaved(Key, person)));
        Assert.False(matches(w02, SurveyPseudonym.Of(Key, w01, person)));
        Assert.False(matches(w01, SurveyPseudonym.Of(Key, w01, other)));
        Assert.False(matches(w01, SurveyPseudonym.Unwaved(Key, other)));
    }
}
