using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Surveys;

internal static class SurveyBuilders
{
    public static readonly DateTimeOffset Now = new(2027, 3, 1, 1, 0, 0, TimeSpan.Zero);

    public static LocalizedText Text(string en) => new("日本語: " + en, en);

    public static SurveyQuestion Scale(string id = "recommend", bool required = true) =>
        new(id, QuestionKind.Scale0To10, Text("How likely are you to recommend working here?"), required, [], 1, 0, null);

    public static SurveyQuestion Rating(string id = "rating") => new(id, QuestionKind.Rating1To5, Text("Rate your manager"), false, [], 1, 0, null);

    public static SurveyQuestion Multiple(string id = "topics", int maxChoices = 2) => new(id, QuestionKind.MultipleChoice, Text("What should we change?"), false,
        [new SurveyOption("pay", Text("Pay")), new SurveyOption("growth", Text("Growth")), new SurveyOption("hours", Text("Hours"))], maxChoices, 0, null);

    public static SurveyQuestion Single(string id = "reason") => new(id, QuestionKind.SingleChoice, Text("Main reason"), false,
        [new SurveyOption("pay", Text("Pay")), new SurveyOption("other", Text("Other"))], 1, 0, null);

    public static SurveyQuestion Why(string id = "why", QuestionCondition? showIf = null, bool required = false, int maxLength = 50) =>
        new(id, QuestionKind.FreeText, Text("Why?"), required, [], 1, maxLength, showIf);

    public static SurveyQuestion Return(string id = "back") => new(id, QuestionKind.ReturnIntent, Text("Would you consider returning?"), false, [], 1, 0, null);

    public static SurveyContent Content(SurveyMode mode = SurveyMode.Anonymous, int k = 5, LifecycleSchedule? lifecycle = null, int? reminder = 7,
        params SurveyQuestion[] questions) =>
        new(Text("Alumni pulse"), Text("A few questions"), mode, questions.Length > 0 ? questions : [Scale(), Multiple(), Why(), Return()],
            lifecycle ?? new LifecycleSchedule([new WaveOffset(0, 90), new WaveOffset(12, 0)], 12), reminder, k, null);

    public static Survey Published(SurveyContent? content = null, DateTimeOffset? at = null)
    {
        var survey = Survey.Create(content ?? Content(), "admin", at ?? Now.AddDays(-10));
        survey.Publish(at ?? Now.AddDays(-10));
        survey.ETag = "etag-1";
        return survey;
    }

    public static SurveyAnswers Answers(params (string Question, string[] Values)[] answers) =>
        new(answers.ToDictionary(a => a.Question, a => (IReadOnlyList<string>)a.Values, StringComparer.Ordinal));

    public static Cohort Cohort(string department = "Retail Banking", int year = 2026, DepartureReason reason = DepartureReason.Voluntary, TenureBand tenure = TenureBand.ThreeToFiveYears) =>
        new(year, department, reason, tenure);

    /// <summary>A cell of <paramref name="responses"/> responses, each scoring <paramref name="score"/> on the eNPS question.</summary>
    public static SurveyCell Cell(SurveyContent content, Cohort cohort, int responses, int score = 9, string wave = "w01", int version = 1, string surveyId = "s")
    {
        var tally = new ResponseTally();
        for (var i = 0; i < responses; i++)
        {
            tally.Add(content, Answers(("recommend", [score.ToString(System.Globalization.CultureInfo.InvariantCulture)])), +1);
        }

        return new SurveyCell(new SurveyWave(surveyId, version, wave), cohort, tally);
    }

    /// <summary>The release of <paramref name="responses"/>'s cells on a fake clock, the store keeping the snapshot it is given.</summary>
    public static SurveyRelease Release(Mock<ISurveyResponseStore> responses, TimeProvider? time = null)
    {
        var snapshots = new Dictionary<(string, int), SurveySnapshot>();
        responses.Setup(r => r.SnapshotAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, int version, CancellationToken _) => snapshots.GetValueOrDefault((id, version)));
        responses.Setup(r => r.TryReleaseAsync(It.IsAny<SurveySnapshot>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SurveySnapshot s, CancellationToken _) =>
            {
                var current = snapshots.GetValueOrDefault((s.SurveyId, s.Version));
                if (current?.ETag != s.ETag)
                {
                    return false;
                }

                snapshots[(s.SurveyId, s.Version)] = s with { ETag = Guid.NewGuid().ToString() };
                return true;
            });
        return new SurveyRelease(responses.Object, time ?? new FakeTimeProvider(Now), NullLogger<SurveyRelease>.Instance);
    }
}
