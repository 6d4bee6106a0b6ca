using System.Globalization;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// How answers are kept. Anonymous: nothing links a response to the person (ADR 0025); attributed: the person agreed,
/// and their answers are on their record and in their data export. Shown to the respondent before they answer.
/// </summary>
public enum SurveyMode
{
    Anonymous,
    Attributed,
}

public enum QuestionKind
{
    /// <summary>0 to 10, eNPS-style ("how likely are you to recommend working here").</summary>
    Scale0To10,

    /// <summary>1 to 5.</summary>
    Rating1To5,
    SingleChoice,
    MultipleChoice,
    FreeText,

    /// <summary>"Would you consider returning": yes, for a project, no.</summary>
    ReturnIntent,
}

/// <summary>The answers to <see cref="QuestionKind.ReturnIntent"/>, by name.</summary>
public enum ReturnIntent
{
    Yes,
    ForAProject,
    No,
}

public sealed record SurveyOption(string Id, LocalizedText Text);

/// <summary>"Show only if question <paramref name="QuestionId"/> was answered with any of <paramref name="AnsweredAny"/>."</summary>
public sealed record QuestionCondition(string QuestionId, IReadOnlyList<string> AnsweredAny);

/// <param name="Options">Choices of a single- or multiple-choice question; empty for the other kinds.</param>
/// <param name="MaxChoices">How many options a multiple-choice answer may tick.</param>
/// <param name="MaxLength">Characters of a free-text answer.</param>
public sealed record SurveyQuestion(
    string Id, QuestionKind Kind, LocalizedText Text, bool Required, IReadOnlyList<SurveyOption> Options, int MaxChoices, int MaxLength, QuestionCondition? ShowIf)
{
    public bool IsScale => Kind is QuestionKind.Scale0To10 or QuestionKind.Rating1To5;

    public (int Min, int Max) Range => Kind == QuestionKind.Scale0To10 ? (0, 10) : (1, 5);

    /// <summary>The values an answer may hold, in display order (none for free text).</summary>
    public IReadOnlyList<string> Values => Kind switch
    {
        QuestionKind.Scale0To10 or QuestionKind.Rating1To5 =>
            Enumerable.Range(Range.Min, Range.Max - Range.Min + 1).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(),
        QuestionKind.SingleChoice or QuestionKind.MultipleChoice => Options.Select(o => o.Id).ToArray(),
        QuestionKind.ReturnIntent => Enum.GetNames<ReturnIntent>(),
        _ => [],
    };
}

/// <summary>A lifecycle wave: due <see cref="Months"/> months and <see cref="Days"/> days after the last working day.</summary>
public sealed record WaveOffset(int Months, int Days)
{
    public DateOnly DueFor(DateOnly lastWorkingDay) => lastWorkingDay.AddMonths(Months).AddDays(Days);

    /// <summary>Roughly how long after the last working day, for ordering and the quiet-period rule.</summary>
    public int ApproximateDays => (Months * 30) + Days;

    public string Label(bool japanese) => (Months, Days, japanese) switch
    {
        (0, var d, true) => $"退職{d}日後",
        (0, var d, false) => $"{d} days after leaving",
        (var m, 0, true) when m % 12 == 0 => $"退職{m / 12}年後",
        (var m, 0, false) when m % 12 == 0 => $"{m / 12} year{(m == 12 ? "" : "s")} after leaving",
        (var m, _, true) => $"退職{m}か月後",
        (var m, _, false) => $"{m} months after leaving",
    };
}

/// <summary>
/// The lifecycle waves of a survey: the listed offsets after each person's last working day, then, optionally, one more
/// every <see cref="RepeatEveryMonths"/> months after the last listed one (e.g. yearly), up to wave <see cref="MaxWaves"/>.
/// </summary>
public sealed record LifecycleSchedule(IReadOnlyList<WaveOffset> Waves, int? RepeatEveryMonths)
{
    /// <summary>Lifecycle waves are numbered w01 to w99 (a campaign id holds two digits).</summary>
    public const int MaxWaves = 99;

    public static LifecycleSchedule None { get; } = new([], null);

    public bool IsEmpty => Waves.Count == 0;

    /// <summary>The offset of wave <paramref name="number"/> (1-based), or null beyond the schedule.</summary>
    public WaveOffset? OffsetOf(int number)
    {
        if (number < 1 || number > MaxWaves || Waves.Count == 0)
        {
            return null;
        }

        if (number <= Waves.Count)
        {
            return Waves[number - 1];
        }

        var last = Waves[^1];
        return RepeatEveryMonths is { } every ? last with { Months = last.Months + ((number - Waves.Count) * every) } : null;
    }

    /// <summary>Every wave number with its offset, in order.</summary>
    public IEnumerable<(int Number, WaveOffset Offset)> All()
    {
        for (var number = 1; OffsetOf(number) is { } offset; number++)
        {
            yield return (number, offset);
        }
    }
}

/// <summary>
/// What a survey asks and how, in both languages. A published version is immutable: a change is a new version, and
/// answers keep the version they answered.
/// </summary>
/// <param name="ReminderAfterDays">Days after a wave's email before its one reminder to those who have not answered; null: no reminder.</param>
/// <param name="MinimumGroupSize">The anonymity threshold k of the results: no figure for a group of fewer responses (5 at the least).</param>
/// <param name="ClosesAt">When the survey closes by itself, if ever.</param>
public sealed record SurveyContent(
    LocalizedText Title,
    LocalizedText Introduction,
    SurveyMode Mode,
    IReadOnlyList<SurveyQuestion> Questions,
    LifecycleSchedule Lifecycle,
    int? ReminderAfterDays,
    int MinimumGroupSize,
    DateTimeOffset? ClosesAt)
{
    public const int DefaultMinimumGroupSize = 5;

    /// <summary>
    /// Never lower: the product promises that groups of fewer than 5 answers are hidden, and the dashboard hides any count
    /// under 5 (ADR 0026). A version stored with a lower k (before this floor) is read with this one.
    /// </summary>
    public const int LowestMinimumGroupSize = 5;

    public SurveyQuestion? Question(string id) => Questions.FirstOrDefault(q => q.Id == id);

    /// <summary>The question the email embeds as one-click links: the first, when it is a scale.</summary>
    public SurveyQuestion? EmbeddedQuestion => Questions.Count > 0 && Questions[0].IsScale && Questions[0].ShowIf is null ? Questions[0] : null;

    /// <summary>The question eNPS is computed from: the first 0–10 question.</summary>
    public SurveyQuestion? EnpsQuestion => Questions.FirstOrDefault(q => q.Kind == QuestionKind.Scale0To10);
}
