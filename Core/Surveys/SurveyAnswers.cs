using System.Globalization;

namespace AlumniNetwork.Core.Surveys;

/// <summary>Why an answer to one question was not taken; the page words each in the respondent's language.</summary>
public enum AnswerProblem
{
    /// <summary>A required question that applies was not answered.</summary>
    Required,

    /// <summary>A score outside the question's scale, or not a whole number.</summary>
    OutOfRange,

    /// <summary>An option or value the question does not have.</summary>
    UnknownOption,

    /// <summary>More options ticked than the question allows, or several for a single-choice question.</summary>
    TooManyChoices,

    /// <summary>Free text longer than the question allows.</summary>
    TooLong,

    /// <summary>Free text with control characters, or characters that make it read other than it is (<see cref="Validation.FreeText.IsMisleading"/>).</summary>
    NotText,

    /// <summary>An answer to a question that does not apply given an earlier answer (its condition is not met).</summary>
    NotApplicable,

    /// <summary>A question the survey does not have.</summary>
    UnknownQuestion,
}

/// <summary>
/// One respondent's answers: question id to the values given (a score or a choice as one value, ticked options as
/// several, free text as one). Values are those of <see cref="SurveyQuestion.Values"/>, or the text.
/// </summary>
public sealed class SurveyAnswers
{
    /// <remarks>
    /// Line breaks are kept as LF (<see cref="Validation.FreeText.NormaliseLineBreaks"/>): the browser sends CRLF but counts
    /// one character per break against <c>maxlength</c>, so text is measured and stored after this. No option or score
    /// holds a line break, so every value goes through it.
    /// </remarks>
    public SurveyAnswers(IReadOnlyDictionary<string, IReadOnlyList<string>> values) =>
        Values = values.ToDictionary(v => v.Key, v => (IReadOnlyList<string>)[.. v.Value.Select(Validation.FreeText.NormaliseLineBreaks)], StringComparer.Ordinal);

    public static SurveyAnswers None { get; } = new(new Dictionary<string, IReadOnlyList<string>>());

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; }

    public IReadOnlyList<string> Of(string questionId) => Values.TryGetValue(questionId, out var values) ? values : [];

    public bool Has(string questionId) => Of(questionId).Count > 0;

    /// <summary>These answers with one question's answer replaced (the email's one-click score).</summary>
    public SurveyAnswers With(string questionId, string value)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(Values, StringComparer.Ordinal) { [questionId] = [value] };
        return new SurveyAnswers(values);
    }

    /// <summary>
    /// These answers without those to questions the survey does not show given them (a follow-up whose condition a
    /// changed answer no longer meets, and any follow-up of that): what a merge of old and new answers must keep.
    /// </summary>
    public SurveyAnswers ShownIn(SurveyContent survey) =>
        new(Values.Where(v => survey.Question(v.Key) is not { } question || Shows(survey, question)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    public bool SameAs(SurveyAnswers other) =>
        Values.Count == other.Values.Count && Values.All(v => other.Values.TryGetValue(v.Key, out var o) && v.Value.SequenceEqual(o, StringComparer.Ordinal));

    /// <summary>Whether the question is shown, given these answers: no condition, or its condition met by a shown question.</summary>
    public bool Shows(SurveyContent survey, SurveyQuestion question) =>
        question.ShowIf is not { } condition ||
        (survey.Question(condition.QuestionId) is { } target && Shows(survey, target) && Of(target.Id).Any(v => condition.AnsweredAny.Contains(v, StringComparer.Ordinal)));
}

/// <summary>
/// The rules an answer must keep: each value allowed by its question, the scale's range, the choices' limit, the text's
/// length, conditional questions answered only when they apply, and required questions answered when they apply.
/// Every problem is reported at once, by question.
/// </summary>
public static class AnswerRules
{
    /// <param name="complete">A full submission (the page's form): required questions must be answered. A one-click score is partial.</param>
    public static IReadOnlyDictionary<string, AnswerProblem> Check(SurveyContent survey, SurveyAnswers answers, bool complete)
    {
        var problems = new Dictionary<string, AnswerProblem>(StringComparer.Ordinal);
        foreach (var id in answers.Values.Keys.Where(id => survey.Question(id) is null))
        {
            problems[id] = AnswerProblem.UnknownQuestion;
        }

        foreach (var question in survey.Questions)
        {
            var values = answers.Of(question.Id);
            var shown = answers.Shows(survey, question);
            if (values.Count == 0)
            {
                if (complete && question.Required && shown)
                {
                    problems[question.Id] = AnswerProblem.Required;
                }

                continue;
            }

            if (!shown)
            {
                problems[question.Id] = AnswerProblem.NotApplicable;
            }
            else if (Problem(question, values) is { } problem)
            {
                problems[question.Id] = problem;
            }
        }

        return problems;
    }

    private static AnswerProblem? Problem(SurveyQuestion question, IReadOnlyList<string> values)
    {
        switch (question.Kind)
        {
            case QuestionKind.FreeText:
                return values.Count > 1 ? AnswerProblem.TooManyChoices
                    : values[0].Length > question.MaxLength ? AnswerProblem.TooLong
                    : values[0].Any(c => Validation.FreeText.IsRefusedControl(c, tabs: true) || Validation.FreeText.IsMisleading(c)) ? AnswerProblem.NotText
                    : null;
            case QuestionKind.Scale0To10 or QuestionKind.Rating1To5:
                return values.Count > 1 ? AnswerProblem.TooManyChoices
                    : !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var score) || score < question.Range.Min || score > question.Range.Max ||
                      !question.Values.Contains(values[0], StringComparer.Ordinal)
                        ? AnswerProblem.OutOfRange
                        : null;
            default:
                var limit = question.Kind == QuestionKind.MultipleChoice ? question.MaxChoices : 1;
                return values.Any(v => !question.Values.Contains(v, StringComparer.Ordinal)) ? AnswerProblem.UnknownOption
                    : values.Count > limit || values.Distinct(StringComparer.Ordinal).Count() != values.Count ? AnswerProblem.TooManyChoices
                    : null;
        }
    }
}
