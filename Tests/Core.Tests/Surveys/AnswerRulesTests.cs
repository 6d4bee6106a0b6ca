using AlumniNetwork.Core.Surveys;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

public sealed class AnswerRulesTests
{
    private static readonly SurveyContent Survey = Content(SurveyMode.Anonymous, questions:
    [
        Scale(), Multiple(maxChoices: 2), Why(showIf: new QuestionCondition("recommend", ["0", "1", "2"]), required: true), Return(), Rating(), Single(),
    ]);

    private static IReadOnlyDictionary<string, AnswerProblem> Check(bool complete, params (string, string[])[] answers) =>
        AnswerRules.Check(Survey, SurveyBuilders.Answers(answers), complete);

    [Fact]
    public void CompleteValidAnswers_HaveNoProblem() =>
        Assert.Empty(Check(true, ("recommend", ["9"]), ("topics", ["pay", "growth"]), ("back", ["ForAProject"]), ("rating", ["5"]), ("reason", ["other"])));

    [Theory]
    [InlineData("11")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("７")]
    [InlineData("07")]
    [InlineData("nine")]
    public void ScoreOutsideTheScale_IsOutOfRange(string score) =>
        Assert.Equal(AnswerProblem.OutOfRange, Check(false, ("recommend", [score]))["recommend"]);

    [Fact]
    public void RatingOfZero_IsOutOfRange() => Assert.Equal(AnswerProblem.OutOfRange, Check(false, ("rating", ["0"]))["rating"]);

    [Fact]
    public void UnknownOption_IsRefused() => Assert.Equal(AnswerProblem.UnknownOption, Check(false, ("topics", ["salary"]))["topics"]);

    [Fact]
    public void TooManyChoices_AreRefused() => Assert.Equal(AnswerProblem.TooManyChoices, Check(false, ("topics", ["pay", "growth", "hours"]))["topics"]);

    [Fact]
    public void SameOptionTwice_IsRefused() => Assert.Equal(AnswerProblem.TooManyChoices, Check(false, ("topics", ["pay", "pay"]))["topics"]);

    [Fact]
    public void TwoAnswersToASingleChoice_AreRefused() => Assert.Equal(AnswerProblem.TooManyChoices, Check(false, ("reason", ["pay", "other"]))["reason"]);

    [Fact]
    public void ReturnIntentByAnotherName_IsRefused() => Assert.Equal(AnswerProblem.UnknownOption, Check(false, ("back", ["yes"]))["back"]);

    [Fact]
    public void TextOverTheLimit_IsTooLong() =>
        Assert.Equal(AnswerProblem.TooLong, Check(false, ("recommend", ["1"]), ("why", [new string('あ', 51)]))["why"]);

    [Theory]
    [InlineData("ok\u202Eko")]
    [InlineData("ok\u2067ko")]
    [InlineData("ok\u2028ko")]
    public void TextWithATextDirectionOrSeparatorCharacter_IsRefused(string text) =>
        Assert.Equal(AnswerProblem.NotText, Check(false, ("recommend", ["1"]), ("why", [text]))["why"]);

    [Fact]
    public void TextAtTheLimitWithCrlfLineBreaks_IsMeasuredAndKeptWithLf()
    {
        var survey = Content(SurveyMode.Anonymous, questions: [Why(maxLength: 1000)]);
        var answers = SurveyBuilders.Answers(("why", [string.Join("\r\n", Enumerable.Repeat(new string('x', 99), 9).Append(new string('x', 100)))]));

        Assert.Empty(AnswerRules.Check(survey, answers, complete: true));
        Assert.Equal(1000, answers.Of("why")[0].Length);
        Assert.DoesNotContain('\r', answers.Of("why")[0]);
    }

    [Fact]
    public void TextWithControlCharacters_IsRefused() =>
        Assert.Equal(AnswerProblem.NotText, Check(false, ("recommend", ["1"]), ("why", ["bell\u0007"]))["why"]);

    [Fact]
    public void MissingRequiredAnswer_IsReportedOnlyForACompleteSubmission()
    {
        Assert.Equal(AnswerProblem.Required, Check(true, ("topics", ["pay"]))["recommend"]);
        Assert.Empty(Check(false, ("topics", ["pay"])));
    }

    [Fact]
    public void AnswerToAHiddenConditionalQuestion_IsNotApplicable() =>
        Assert.Equal(AnswerProblem.NotApplicable, Check(true, ("recommend", ["9"]), ("why", ["because"]))["why"]);

    [Fact]
    public void RequiredConditionalQuestion_IsRequiredOnlyWhenItsConditionHolds()
    {
        Assert.False(Check(true, ("recommend", ["9"])).ContainsKey("why"));
        Assert.Equal(AnswerProblem.Required, Check(true, ("recommend", ["1"]))["why"]);
        Assert.Empty(Check(true, ("recommend", ["1"]), ("why", ["too few chances to grow"])));
    }

    [Fact]
    public void AnswerToAQuestionTheSurveyDoesNotHave_IsRefused() =>
        Assert.Equal(AnswerProblem.UnknownQuestion, Check(false, ("salary", ["1"]))["salary"]);

    [Fact]
    public void ConditionOnAHiddenQuestion_HidesItsDependantToo()
    {
        var chained = Content(questions: [Scale(), Single(), Why(showIf: new QuestionCondition("reason", ["other"])) with { Id = "why" }]);
        var withHiddenParent = chained with { Questions = [Scale(), Single() with { ShowIf = new QuestionCondition("recommend", ["0"]) }, chained.Questions[2]] };

        var problems = AnswerRules.Check(withHiddenParent, SurveyBuilders.Answers(("recommend", ["9"]), ("reason", ["other"]), ("why", ["x"])), complete: true);

        Assert.Equal(AnswerProblem.NotApplicable, problems["reason"]);
        Assert.Equal(AnswerProblem.NotApplicable, problems["why"]);
    }
}
