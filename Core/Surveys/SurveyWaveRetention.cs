using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// Forgets who answered a wave of an open survey once nobody can answer it any more (ADR 0025): its guards (the
/// respondents' pseudonyms of the wave) and its anonymous response rows go, its cells and comment rows stay, so the
/// results do not move. A wave can no longer be answered when its last campaign's links have expired: every campaign of
/// the wave settled (no batch will sign another link), no reminder still to come, and the last one started longer ago
/// than a survey link lives, plus <see cref="SendingSlack"/>. Each run deletes only what is left, so a run cut short is
/// finished by the next, and a wave already forgotten costs two empty range reads.
/// </summary>
public sealed partial class SurveyWaveRetention(
    ISurveyStore surveys, ISurveyResponseStore responses, IOptions<SignedLinkOptions> links, ILogger<SurveyWaveRetention> logger)
{
    /// <summary>
    /// A campaign's links are signed when its batches are sent, not when it is recorded: a start cut off by a crash is
    /// restarted by the next daily run, and a batch may wait on retries. A week covers both with room to spare.
    /// </summary>
    public static readonly TimeSpan SendingSlack = TimeSpan.FromDays(7);

    /// <param name="records">The survey's campaigns as the run read them: one it settled or reminded since only keeps its wave a day longer.</param>
    /// <returns>How many waves had rows to forget.</returns>
    public async Task<int> ForgetExpiredAsync(Survey survey, IReadOnlyList<SurveyCampaign> records, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var delays = new Dictionary<int, int?>();
        var forgotten = 0;
        foreach (var wave in records.GroupBy(r => r.Wave))
        {
            if (!await ExpiredAsync(survey.Id, wave.ToArray(), now, delays, cancellationToken))
            {
                continue;
            }

            var rows = await responses.ForgetRespondentsAsync(wave.Key, cancellationToken);
            if (rows > 0)
            {
                forgotten++;
                LogForgotten(survey.Id, wave.Key.Version, wave.Key.Wave, rows);
            }
        }

        return forgotten;
    }

    private async Task<bool> ExpiredAsync(
        string surveyId, IReadOnlyList<SurveyCampaign> wave, DateTimeOffset now, Dictionary<int, int?> delays, CancellationToken cancellationToken)
    {
        if (wave.Any(r => !r.Settled) || wave.Max(r => r.StartedAt) + links.Value.LifetimeOf(LinkPurpose.Survey) + SendingSlack > now)
        {
            return false;
        }

        // A reminder not started yet, but due under its version, would sign new links for the wave.
        foreach (var record in wave.Where(r => !r.Reminder && !r.ReminderStarted))
        {
            if (!delays.TryGetValue(record.Wave.Version, out var delay))
            {
                delays[record.Wave.Version] = delay = (await surveys.GetVersionAsync(surveyId, record.Wave.Version, cancellationToken))?.ReminderAfterDays;
            }

            if (delay is not null)
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId} version {Version} wave {Wave}: its links expired, {Rows} guard and anonymous response rows deleted")]
    private partial void LogForgotten(string surveyId, int version, string wave, int rows);
}
