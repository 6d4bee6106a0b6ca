using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// Reads a survey as an admin posts it (create and edit take the same body) and reports every problem at once, each
/// naming its field. The limits keep a survey, its draft and its current version in one table row.
/// <code>
/// { "title": { "ja": "…", "en": "…" }, "introduction": { "ja": "…", "en": "…" }, "mode": "Anonymous",
///   "questions": [
///     { "id": "recommend", "kind": "Scale0To10", "text": { "ja": "…", "en": "…" }, "required": true },
///     { "id": "topics", "kind": "MultipleChoice", "text": { … }, "options": [ { "id": "pay", "text": { … } } ], "maxChoices": 2 },
///     { "id": "why", "kind": "FreeText", "text": { … }, "maxLength": 1000, "showIf": { "question": "recommend", "answers": ["0", "1", "2"] } } ],
///   "lifecycle": { "waves": [ { "days": 90 }, { "months": 12 } ], "repeatEveryMonths": 12 },
///   "reminderAfterDays": 7, "minimumGroupSize": 5, "closesAt": "2027-12-31T23:59:00+09:00" }
/// </code>
/// </summary>
public static partial class SurveyDraft
{
    public const int MaxTitle = 200;
    public const int MaxIntroduction = 2000;
    public const int MaxQuestions = 30;
    public const int MaxQuestionText = 300;
    public const int MaxOptions = 12;
    public const int MaxOptionText = 100;
    public const int MaxFreeText = 5000;
    public const int DefaultFreeText = 2000;

    /// <summary>
    /// The free-text questions' maxLength together: one response is one table row of at most 1 MiB, and stored JSON may
    /// write a character as six (an emoji's two halves as \uXXXX each), so 60,000 characters stay under 720 KB.
    /// </summary>
    public const int MaxFreeTextTotal = 60_000;
    public const int MaxLifecycleWaves = 12;
    public const int MaxReminderDays = 60;

    public static readonly string[] Fields =
        ["title", "introduction", "mode", "questions", "lifecycle", "reminderAfterDays", "minimumGroupSize", "closesAt"];

    /// <param name="quietPeriodDays">No promotional email goes in the days after the last working day: a wave inside them would reach nobody.</param>
    public static (SurveyContent? Content, IReadOnlyList<FieldError> Errors) Parse(ReadOnlySpan<byte> body, DateTimeOffset now, int quietPeriodDays)
    {
        var (document, problems) = StrictJson.Parse(body, maxDepth: 8, "must be a well-formed JSON object");
        if (document is null)
        {
            return (null, problems);
        }

        using (document)
        {
            var reader = new Reader();
            var content = reader.Survey(document.RootElement, now, quietPeriodDays);
            return reader.Errors.Count > 0 ? (null, reader.Errors) : (content, reader.Errors);
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,15}$")]
    private static partial Regex QuestionId();

    [GeneratedRegex("^[a-z0-9][a-z0-9_]{0,15}$")]
    private static partial Regex OptionId();

    private sealed class Reader : JsonObjectReader
    {
        public SurveyContent? Survey(JsonElement root, DateTimeOffset now, int quietPeriodDays)
        {
            if (Fields(root, "", SurveyDraft.Fields) is not { } fields)
            {
                return null;
            }

            // Titles go into email subjects: one line, or a header could be broken or read as other than it is.
            var title = Localized(fields, "title", MaxTitle, required: true, singleLine: true);
            var introduction = Localized(fields, "introduction", MaxIntroduction, required: false);
            var mode = EnumValue<SurveyMode>(Get(fields, "mode"), "mode", required: true);
            var questions = Questions(Get(fields, "questions"));
            var lifecycle = Lifecycle(Get(fields, "lifecycle"), quietPeriodDays);
            var reminder = WholeNumber(Get(fields, "reminderAfterDays"), "reminderAfterDays", 1, MaxReminderDays, required: false);
            var k = WholeNumber(Get(fields, "minimumGroupSize"), "minimumGroupSize", SurveyContent.LowestMinimumGroupSize, 100, required: false);
            var closesAt = ClosesAt(Get(fields, "closesAt"), now);
            return Errors.Count > 0
                ? null
                : new SurveyContent(title!, introduction ?? new LocalizedText("", ""), mode!.Value, questions, lifecycle, reminder,
                    k ?? SurveyContent.DefaultMinimumGroupSize, closesAt);
        }

        private List<SurveyQuestion> Questions(JsonElement value)
        {
            var items = Items(value, "questions", MaxQuestions);
            if (items.Count == 0 && !Errors.Any(e => e.Field == "questions"))
            {
                Errors.Add(new FieldError("questions", $"must hold 1 to {MaxQuestions} questions"));
            }

            var questions = new List<SurveyQuestion>();
            for (var i = 0; i < items.Count; i++)
            {
                if (Question(items[i], $"questions[{i}]", questions) is { } question)
                {
                    questions.Add(question);
                }
            }

            if (questions.Where(q => q.Kind == QuestionKind.FreeText).Sum(q => q.MaxLength) > MaxFreeTextTotal)
            {
                Errors.Add(new FieldError("questions", $"free-text questions may take at most {MaxFreeTextTotal} characters in all (the sum of their maxLength)"));
            }

            return questions;
        }

        private SurveyQuestion? Question(JsonElement element, string path, List<SurveyQuestion> earlier)
        {
            if (Fields(element, path, "id", "kind", "text", "required", "options", "maxChoices", "maxLength", "showIf") is not { } fields)
            {
                return null;
            }

            var errorsBefore = Errors.Count;
            var id = Text(Get(fields, "id"), $"{path}.id", 16, required: true);
            if (id is not null && !QuestionId().IsMatch(id))
            {
                Errors.Add(new FieldError($"{path}.id", "must be 1-16 lower-case letters, digits or '_', starting with a letter"));
            }
            else if (id is not null && earlier.Any(q => q.Id == id))
            {
                Errors.Add(new FieldError($"{path}.id", "must differ from every other question's id"));
            }

            var kind = EnumValue<QuestionKind>(Get(fields, "kind"), $"{path}.kind", required: true);
            var text = Localized(fields, "text", MaxQuestionText, required: true, $"{path}.text");
            var required = TrueOrFalse(Get(fields, "required"), $"{path}.required", required: false) ?? false;
            var choice = kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice;
            var options = choice ? Options(Get(fields, "options"), $"{path}.options") : NotFor<List<SurveyOption>>(fields, "options", path, "choice questions", []);
            var maxChoices = kind == QuestionKind.MultipleChoice
                ? WholeNumber(Get(fields, "maxChoices"), $"{path}.maxChoices", 1, Math.Max(1, options.Count), required: false) ?? options.Count
                : NotFor(fields, "maxChoices", path, "multiple-choice questions", 1);
            var maxLength = kind == QuestionKind.FreeText
                ? WholeNumber(Get(fields, "maxLength"), $"{path}.maxLength", 1, MaxFreeText, required: false) ?? DefaultFreeText
                : NotFor(fields, "maxLength", path, "free-text questions", 0);
            var condition = Condition(Get(fields, "showIf"), $"{path}.showIf", earlier);
            return Errors.Count > errorsBefore || kind is null
                ? null
                : new SurveyQuestion(id!, kind.Value, text!, required, options, maxChoices, maxLength, condition);
        }

        private T NotFor<T>(Dictionary<string, JsonElement> fields, string name, string path, string kinds, T value)
        {
            if (!Missing(Get(fields, name)))
            {
                Errors.Add(new FieldError($"{path}.{name}", $"applies only to {kinds}"));
            }

            return value;
        }

        private List<SurveyOption> Options(JsonElement value, string path)
        {
            var items = Items(value, path, MaxOptions);
            if (items.Count < 2 && !Errors.Any(e => e.Field == path))
            {
                Errors.Add(new FieldError(path, $"must hold 2 to {MaxOptions} options"));
            }

            var options = new List<SurveyOption>();
            for (var i = 0; i < items.Count; i++)
            {
                var at = $"{path}[{i}]";
                if (Fields(items[i], at, "id", "text") is not { } fields)
                {
                    continue;
                }

                var id = Text(Get(fields, "id"), $"{at}.id", 16, required: true);
                if (id is not null && !OptionId().IsMatch(id))
                {
                    Errors.Add(new FieldError($"{at}.id", "must be 1-16 lower-case letters, digits or '_'"));
                    id = null;
                }
                else if (id is not null && options.Any(o => o.Id == id))
                {
                    Errors.Add(new FieldError($"{at}.id", "must differ from the question's other options"));
                    id = null;
                }

                var text = Localized(fields, "text", MaxOptionText, required: true, $"{at}.text");
                if (id is not null && text is not null)
                {
                    options.Add(new SurveyOption(id, text));
                }
            }

            return options;
        }

        private QuestionCondition? Condition(JsonElement value, string path, List<SurveyQuestion> earlier)
        {
            if (Missing(value) || Fields(value, path, "question", "answers") is not { } fields)
            {
                return null;
            }

            var id = Text(Get(fields, "question"), $"{path}.question", 16, required: true);
            var target = earlier.FirstOrDefault(q => q.Id == id);
            if (id is not null && (target is null || target.Kind == QuestionKind.FreeText))
            {
                Errors.Add(new FieldError($"{path}.question", "must name an earlier question that is not free text"));
            }

            var answers = Texts(Get(fields, "answers"), $"{path}.answers");
            if (answers.Length == 0 && !Errors.Any(e => e.Field.StartsWith($"{path}.answers", StringComparison.Ordinal)))
            {
                Errors.Add(new FieldError($"{path}.answers", "must hold at least one answer"));
            }

            if (target is not null && answers.Any(a => !target.Values.Contains(a, StringComparer.Ordinal)))
            {
                Errors.Add(new FieldError($"{path}.answers", $"must be answers of {target.Id}: {string.Join(", ", target.Values)}"));
            }

            return target is null ? null : new QuestionCondition(target.Id, answers);
        }

        private LifecycleSchedule Lifecycle(JsonElement value, int quietPeriodDays)
        {
            if (Missing(value) || Fields(value, "lifecycle", "waves", "repeatEveryMonths") is not { } fields)
            {
                return LifecycleSchedule.None;
            }

            var items = Items(Get(fields, "waves"), "lifecycle.waves", MaxLifecycleWaves);
            var waves = new List<WaveOffset>();
            for (var i = 0; i < items.Count; i++)
            {
                var path = $"lifecycle.waves[{i}]";
                if (Fields(items[i], path, "days", "months") is not { } offset)
                {
                    continue;
                }

                var days = WholeNumber(Get(offset, "days"), $"{path}.days", 1, 3660, required: false);
                var months = WholeNumber(Get(offset, "months"), $"{path}.months", 1, 120, required: false);
                if ((days is null) == (months is null))
                {
                    Errors.Add(new FieldError(path, "must give either days or months after the last working day"));
                    continue;
                }

                var wave = new WaveOffset(months ?? 0, days ?? 0);
                if (Math.Min(wave.ApproximateDays, months is { } m ? m * 28 : int.MaxValue) <= quietPeriodDays)
                {
                    Errors.Add(new FieldError(path, $"must be more than {quietPeriodDays} days after the last working day: no promotional email goes in the quiet period before that"));
                }
                else if (waves.Count > 0 && wave.ApproximateDays <= waves[^1].ApproximateDays)
                {
                    Errors.Add(new FieldError(path, "must come after the wave before it"));
                }
                else
                {
                    waves.Add(wave);
                }
            }

            var repeat = WholeNumber(Get(fields, "repeatEveryMonths"), "lifecycle.repeatEveryMonths", 1, 60, required: false);
            if (repeat is not null && items.Count == 0)
            {
                Errors.Add(new FieldError("lifecycle.repeatEveryMonths", "repeats the last wave, so needs at least one wave"));
            }

            return new LifecycleSchedule(waves, repeat);
        }

        private DateTimeOffset? ClosesAt(JsonElement value, DateTimeOffset now)
        {
            var text = Text(value, "closesAt", 40, required: false);
            if (text is null)
            {
                return null;
            }

            if (!IsoInstant.TryParse(text, out var at) ||
                !SupportedCalendar.Contains(at))
            {
                Errors.Add(new FieldError("closesAt", $"must be a date and time with its offset, e.g. 2027-12-31T23:59:00+09:00, and {SupportedCalendar.Rule}"));
                return null;
            }

            if (at <= now)
            {
                Errors.Add(new FieldError("closesAt", "must be in the future"));
                return null;
            }

            return at;
        }
    }
}
