using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlumniNetwork.Core.Surveys;

/// <summary>One question's counts: how many answered, how many gave each value, and the sum of scores (for the mean).</summary>
public sealed class QuestionTally
{
    [JsonPropertyName("a")]
    public long Answered { get; set; }

    [JsonPropertyName("s")]
    public long Sum { get; set; }

    [JsonPropertyName("c")]
    public Dictionary<string, long> Counts { get; set; } = new(StringComparer.Ordinal);

    public long CountOf(string value) => Counts.GetValueOrDefault(value);

    public void Merge(QuestionTally other)
    {
        (Answered, Sum) = (Answered + other.Answered, Sum + other.Sum);
        foreach (var (value, count) in other.Counts)
        {
            Counts[value] = CountOf(value) + count;
        }
    }
}

/// <summary>
/// The aggregate of a set of responses: maintained incrementally (a new answer adds, a changed one subtracts its old
/// answers and adds the new), so results never re-read responses. Free text is counted, never copied in.
/// </summary>
public sealed class ResponseTally
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    [JsonPropertyName("n")]
    public long Responses { get; set; }

    /// <summary>
    /// Answers changed after they were given: they move the figures without adding a response, so releases (ADR 0035)
    /// count them too.
    /// </summary>
    [JsonPropertyName("u")]
    public long Changes { get; set; }

    [JsonPropertyName("q")]
    public Dictionary<string, QuestionTally> Questions { get; set; } = new(StringComparer.Ordinal);

    public QuestionTally Of(string questionId) => Questions.GetValueOrDefault(questionId) ?? new QuestionTally();

    /// <param name="sign">+1 to count a response, -1 to take it out again: only ever to put its changed answers back in,
    /// which counts as one change.</param>
    public void Add(SurveyContent survey, SurveyAnswers answers, int sign)
    {
        Responses += sign;
        Changes += sign < 0 ? 1 : 0;
        foreach (var (id, values) in answers.Values)
        {
            if (values.Count == 0 || survey.Question(id) is not { } question)
            {
                continue;
            }

            if (!Questions.TryGetValue(id, out var tally))
            {
                Questions[id] = tally = new QuestionTally();
            }

            tally.Answered += sign;
            if (question.Kind == QuestionKind.FreeText)
            {
                continue;
            }

            foreach (var value in values)
            {
                tally.Counts[value] = tally.CountOf(value) + sign;
                if (question.IsScale)
                {
                    tally.Sum += sign * int.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
    }

    public void Merge(ResponseTally other)
    {
        (Responses, Changes) = (Responses + other.Responses, Changes + other.Changes);
        foreach (var (id, tally) in other.Questions)
        {
            if (!Questions.TryGetValue(id, out var mine))
            {
                Questions[id] = mine = new QuestionTally();
            }

            mine.Merge(tally);
        }
    }

    public static ResponseTally Sum(IEnumerable<ResponseTally> tallies)
    {
        var sum = new ResponseTally();
        foreach (var tally in tallies)
        {
            sum.Merge(tally);
        }

        return sum;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ResponseTally FromJson(string? json) => string.IsNullOrEmpty(json) ? new ResponseTally() : JsonSerializer.Deserialize<ResponseTally>(json, Json) ?? new ResponseTally();
}

/// <summary>
/// The aggregate of one wave's responses from one cohort group: the unit results are summed from. Kept beside the
/// responses, in their partition, so an answer and its cell change in one transaction.
/// </summary>
public sealed record SurveyCell(SurveyWave Wave, Cohort Cohort, ResponseTally Tally, string? ETag = null);
