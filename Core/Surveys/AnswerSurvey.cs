using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Surveys;

public enum SurveyPageStatus
{
    /// <summary>The survey with the answers given so far.</summary>
    Show,

    /// <summary>The answers were saved (or were already exactly these).</summary>
    Saved,

    /// <summary>The score clicked in the email was saved: the survey is shown with it chosen, the rest to answer.</summary>
    ScoreSaved,

    /// <summary>The submission broke a rule (see the problems): nothing was saved.</summary>
    Invalid,

    /// <summary>The survey is closed (or past its closing time): nothing can be answered.</summary>
    Closed,

    /// <summary>The link names no published survey version.</summary>
    NotFound,

    /// <summary>Too many answers at once: nothing was saved; try again.</summary>
    Busy,

    Expired,
    Gone,
    InvalidLink,
}

/// <param name="Problems">By question id: why its answer was not taken.</param>
public sealed record SurveyPageView(
    SurveyPageStatus Status, Alumnus? Alumnus, SurveyWave? Wave = null, SurveyContent? Content = null, SurveyAnswers? Answers = null,
    IReadOnlyDictionary<string, AnswerProblem>? Problems = null, DateTimeOffset? ClosesAt = null)
{
    public SurveyAnswers Given => Answers ?? SurveyAnswers.None;

    public IReadOnlyDictionary<string, AnswerProblem> ProblemsByQuestion => Problems ?? new Dictionary<string, AnswerProblem>();
}

/// <summary>The keyed one-way stand-in of a person in one wave of one anonymous survey (ADR 0025).</summary>
public static class SurveyPseudonym
{
    /// <summary>Names the input's format, so that a later change of what is hashed can never yield an earlier format's value.</summary>
    private const string Format = "respondent/v2";

    /// <summary>
    /// HMAC-SHA256 under the survey's own random key, 128 bits, of the version, the wave and the person: without the key it
    /// names nobody, the key dies with the survey, and one person's guards in two waves share nothing, so the guard rows
    /// do not link one person's waves.
    /// </summary>
    public static string Of(byte[] key, SurveyWave wave, AlumnusId alumnusId) =>
        Hash(key, string.Create(CultureInfo.InvariantCulture, $"{Format}\n{wave.Version}\n{wave.Wave}\n{alumnusId.Value}"));

    /// <summary>
    /// The first format, the same in every wave: guards written with it before waves were hashed in are still recognised
    /// (a person who answered then cannot answer again) and erased, and never written any more.
    /// </summary>
    public static string Unwaved(byte[] key, AlumnusId alumnusId) => Hash(key, "respondent:" + alumnusId.Value);

    /// <summary>Whether a guard of a wave is the person's, in either format: what their erasure deletes.</summary>
    public static Func<SurveyWave, string, bool> Matches(byte[] key, AlumnusId alumnusId)
    {
        var unwaved = Unwaved(key, alumnusId);
        var byWave = new Dictionary<SurveyWave, string>();
        return (wave, pseudonym) => pseudonym == unwaved ||
            pseudonym == (byWave.TryGetValue(wave, out var of) ? of : byWave[wave] = Of(key, wave, alumnusId));
    }

    private static string Hash(byte[] key, string input) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(input)))[..32];
}

/// <summary>
/// The survey page behind the signed link of a wave's email: shows the survey, takes the score clicked in the email
/// (one click is already an answer), and saves the form. Answers can change until the survey closes: the last answer
/// wins and is counted once, because the response, its cell, its free-text answers' comment rows and (the first time, in
/// an anonymous survey) the guard that keeps it one per person are written in one transaction, conditional on what was
/// read and on the survey's open marker, which the close deletes before the guards (ADR 0025).
/// </summary>
public sealed partial class AnswerSurvey(
    SignedLinkAccess links, ISurveyStore surveys, ISurveyResponseStore responses, SurveyRecords records, Privacy.ErasureRecheck erasure,
    TimeProvider time, ILogger<AnswerSurvey> logger)
{
    public const int MaxAttempts = 10;

    public async Task<SurveyPageView> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var (view, respondent) = await OpenAsync(token, cancellationToken);
        return respondent is null ? view : view with { Answers = (await respondent.CurrentAsync(cancellationToken))?.Answers };
    }

    /// <summary>
    /// The score clicked in the email for the embedded first question: saved at once, the rest left as it was, except
    /// answers to follow-up questions the new score no longer shows (they would be counted under a score they were not given for).
    /// </summary>
    public async Task<SurveyPageView> ClickAsync(string? token, string? score, CancellationToken cancellationToken)
    {
        var (view, respondent) = await OpenAsync(token, cancellationToken);
        if (respondent is null)
        {
            return view;
        }

        var question = view.Content!.EmbeddedQuestion;
        var current = (await respondent.CurrentAsync(cancellationToken))?.Answers ?? SurveyAnswers.None;
        if (question is null || score is null)
        {
            var problems = new Dictionary<string, AnswerProblem> { [question?.Id ?? view.Content.Questions[0].Id] = AnswerProblem.OutOfRange };
            return view with { Status = SurveyPageStatus.Invalid, Answers = current, Problems = problems };
        }

        var checkedOne = AnswerRules.Check(view.Content, new SurveyAnswers(new Dictionary<string, IReadOnlyList<string>> { [question.Id] = [score] }), complete: false);
        return checkedOne.Count > 0
            ? view with { Status = SurveyPageStatus.Invalid, Answers = current, Problems = checkedOne }
            : await SaveAsync(view, respondent, given => given.With(question.Id, score).ShownIn(view.Content), SurveyPageStatus.ScoreSaved, cancellationToken);
    }

    public async Task<SurveyPageView> SubmitAsync(string? token, SurveyAnswers answers, CancellationToken cancellationToken)
    {
        var (view, respondent) = await OpenAsync(token, cancellationToken);
        if (respondent is null)
        {
            return view;
        }

        var problems = AnswerRules.Check(view.Content!, answers, complete: true);
        return problems.Count > 0
            ? view with { Status = SurveyPageStatus.Invalid, Answers = answers, Problems = problems }
            : await SaveAsync(view, respondent, _ => answers, SurveyPageStatus.Saved, cancellationToken);
    }

    /// <param name="answersFrom">The answers to save, from those stored: applied again to what each attempt reads, so an
    /// answer saved between attempts (the form, in another tab) is merged with, not overwritten by, a stale merge.</param>
    /// <param name="saved">What the page says once they are saved.</param>
    private async Task<SurveyPageView> SaveAsync(
        SurveyPageView view, Respondent respondent, Func<SurveyAnswers, SurveyAnswers> answersFrom, SurveyPageStatus saved, CancellationToken cancellationToken)
    {
        var content = view.Content!;
        var answers = answersFrom(SurveyAnswers.None);
        var sawResponse = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await respondent.CurrentAsync(cancellationToken);
            if (existing is null && sawResponse)
            {
                // The response an earlier attempt read is gone: the survey closed meanwhile (closing deletes anonymous
                // responses after their guards, ADR 0025). Saving afresh would count the answer twice in a cell that
                // still counts the deleted one.
                return view with { Status = SurveyPageStatus.Closed, Answers = null };
            }

            sawResponse |= existing is not null;
            answers = answersFrom(existing?.Answers ?? SurveyAnswers.None);
            if (existing is not null && existing.Answers.SameAs(answers))
            {
                return view with { Status = saved, Answers = answers };
            }

            var cohort = existing?.Cohort ?? Cohort.Of(view.Alumnus!);
            var cell = await responses.CellAsync(respondent.Wave, cohort, cancellationToken) ?? new SurveyCell(respondent.Wave, cohort, new ResponseTally());
            if (existing is not null)
            {
                cell.Tally.Add(content, existing.Answers, -1);
            }

            cell.Tally.Add(content, answers, +1);
            var now = time.GetUtcNow();
            var response = existing is not null
                ? existing with { Answers = answers, AnsweredAt = respondent.Anonymous ? null : now, CommentKey = existing.CommentKey ?? SurveyComments.NewKey() }
                : new SurveyResponse(respondent.Wave, respondent.NewResponseId(), cohort, answers, respondent.Anonymous ? null : view.Alumnus!.Id, respondent.Anonymous ? null : now,
                    CommentKey: SurveyComments.NewKey());
            var guard = existing is null && respondent.Anonymous ? new SurveyGuard(respondent.Pseudonym, DateOnly.FromDateTime(now.UtcDateTime)) : null;
            var outcome = await responses.TrySaveAsync(guard, response, cell, SurveyComments.Changes(content, existing, response), cancellationToken);
            if (outcome == SurveySave.Closed)
            {
                // The close deleted the open marker before anything else: what was read may already miss the guard and
                // the response the cell still counts. Only a survey published before the marker existed is open still.
                if (!await MarkedOpenAsync(respondent.Wave.SurveyId, cancellationToken))
                {
                    return view with { Status = SurveyPageStatus.Closed, Answers = null };
                }

                continue;
            }

            if (outcome == SurveySave.Saved)
            {
                // An attributed answer names the person, an anonymous one's guard is their pseudonym: neither may outlive an
                // erasure that began meanwhile (the cell keeps counting the answer, as after any erasure).
                if (!await erasure.WriteStandsAsync(view.Alumnus!.Id, ct => records.EraseAsync(view.Alumnus.Id, ct), cancellationToken))
                {
                    return new SurveyPageView(SurveyPageStatus.Gone, null);
                }

                LogSaved(respondent.Wave.SurveyId, respondent.Wave.Wave, existing is null, attempt);
                return view with { Status = saved, Answers = answers };
            }

            // Someone else's answer won the cell: step aside a random moment so that a crowd does not collide in lockstep.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 * (attempt + 1))), time, cancellationToken);
        }

        LogBusy(respondent.Wave.SurveyId);
        return view with { Status = SurveyPageStatus.Busy, Answers = answers };
    }

    /// <summary>An open survey published before the marker existed has none: it is written now (<see cref="SurveyOpenMarker"/>).</summary>
    /// <returns>Whether the survey is open, its marker there.</returns>
    private async Task<bool> MarkedOpenAsync(string surveyId, CancellationToken cancellationToken)
    {
        if (!await SurveyOpenMarker.MarkIfOpenAsync(surveys, responses, surveyId, time, cancellationToken))
        {
            return false;
        }

        LogMarkedOpen(surveyId);
        return true;
    }

    /// <returns>The page for a link that opens no survey, or the open survey and who answers it.</returns>
    private async Task<(SurveyPageView View, Respondent? Respondent)> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Survey, cancellationToken);
        switch (access.Status)
        {
            case LinkAccessStatus.Expired:
                return (new SurveyPageView(SurveyPageStatus.Expired, access.Alumnus), null);
            case LinkAccessStatus.Gone:
                return (new SurveyPageView(SurveyPageStatus.Gone, null), null);
            case LinkAccessStatus.Invalid:
                return (new SurveyPageView(SurveyPageStatus.InvalidLink, null), null);
        }

        // A genuine survey link always names its survey, version and wave; one without is not a link we issued.
        if (SurveyWave.FromScope(access.Scope) is not { } wave)
        {
            return (new SurveyPageView(SurveyPageStatus.InvalidLink, null), null);
        }

        var alumnus = access.Required;
        var survey = await surveys.GetAsync(wave.SurveyId, cancellationToken);
        var content = survey is null || wave.Version > survey.Version ? null : await surveys.GetVersionAsync(wave.SurveyId, wave.Version, cancellationToken);
        if (survey is null || content is null)
        {
            return (new SurveyPageView(SurveyPageStatus.NotFound, alumnus), null);
        }

        var view = new SurveyPageView(SurveyPageStatus.Show, alumnus, wave, content, ClosesAt: survey.Current?.ClosesAt);
        if (!survey.IsOpenAt(time.GetUtcNow()))
        {
            return (view with { Status = SurveyPageStatus.Closed }, null);
        }

        var anonymous = content.Mode == SurveyMode.Anonymous;
        var key = anonymous ? await surveys.KeyAsync(wave.SurveyId, create: true, cancellationToken) : null;
        if (anonymous && key is null)
        {
            return (view with { Status = SurveyPageStatus.Closed }, null);
        }

        return (view, anonymous
            ? new Respondent(responses, wave, true, SurveyPseudonym.Of(key!, wave, alumnus.Id), SurveyPseudonym.Unwaved(key!, alumnus.Id))
            : new Respondent(responses, wave, false, alumnus.Id.Value, null));
    }

    /// <summary>
    /// Who answers: in an anonymous survey their pseudonym of the wave, behind which a guard points to a random response
    /// id; else their alumnus id, which is the response's id.
    /// </summary>
    /// <param name="unwaved">Their pseudonym in the first format, whose guard (written before the wave was hashed in) is looked for when the wave's is not there.</param>
    private sealed class Respondent(ISurveyResponseStore responses, SurveyWave wave, bool anonymous, string identity, string? unwaved)
    {
        public SurveyWave Wave => wave;

        public bool Anonymous => anonymous;

        public string Pseudonym => identity;

        public string NewResponseId() => anonymous ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : identity;

        public async Task<SurveyResponse?> CurrentAsync(CancellationToken cancellationToken)
        {
            var id = anonymous
                ? await responses.GuardAsync(wave, identity, cancellationToken) ?? await responses.GuardAsync(wave, unwaved!, cancellationToken)
                : identity;
            return id is null ? null : await responses.GetAsync(wave, id, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId} wave {Wave}: answer saved (first: {First}, after {Retries} retries)")]
    private partial void LogSaved(string surveyId, string wave, bool first, int retries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId}: open marker written for a survey published before markers existed")]
    private partial void LogMarkedOpen(string surveyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey {SurveyId}: an answer was not saved, the wave's cell changed under every attempt")]
    private partial void LogBusy(string surveyId);

    internal static string Score(int value) => value.ToString(CultureInfo.InvariantCulture);
}
