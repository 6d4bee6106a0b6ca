using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// Forgets who answered a wave of an open survey once they can no longer answer it (ADR 0025): their guards (the
/// respondents' pseudonyms of the wave) and their anonymous response rows go, the cells and comment rows stay, so the
/// results do not move. A campaign's links have expired when it settled (no batch will sign another link), no reminder
/// of it is still to come, and it and its reminder started longer ago than a survey link lives, plus
/// <see cref="SendingSlack"/>. A wave whose campaigns all expired is forgotten whole. A lifecycle wave gets a campaign
/// every day someone falls due, so it never gets there while the survey runs: its guards go by the day of their first
/// answer instead, once every campaign of the wave that started by that day expired (the person's own campaign started
/// before they answered, and the composer sends nobody a second campaign of the wave while their contact is kept, a
/// year). Each run deletes only what is left, so a run cut short is finished by the next; a lifecycle wave costs one
/// range read of its guards a day.
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
            // Each campaign with its reminder: the links one person of the wave may hold.
            var campaigns = new List<(DateTimeOffset StartedAt, bool Expired)>();
            foreach (var campaign in wave.GroupBy(r => r.Reminder ? r.CampaignId[..^SurveyCampaigns.ReminderSuffix.Length] : r.CampaignId, StringComparer.Ordinal))
            {
                campaigns.Add((campaign.Min(r => r.StartedAt), await ExpiredAsync(survey.Id, campaign.ToArray(), now, delays, cancellationToken)));
            }

            int rows;
            DateOnly? before = null;
            if (campaigns.All(c => c.Expired))
            {
                rows = await responses.ForgetRespondentsAsync(wave.Key, cancellationToken);
            }
            else
            {
                // Who first answered on a day before the first campaign still answerable started was sent only campaigns that expired.
                before = DateOnly.FromDateTime(campaigns.Where(c => !c.Expired).Min(c => c.StartedAt).UtcDateTime);
                if (!campaigns.Any(c => c.Expired && DateOnly.FromDateTime(c.StartedAt.UtcDateTime) < before))
                {
                    continue;
                }

                rows = await responses.ForgetRespondentsBeforeAsync(wave.Key, before.Value, cancellationToken);
            }

            if (rows > 0)
            {
                forgotten++;
                if (before is { } day)
                {
                    LogForgottenBefore(survey.Id, wave.Key.Version, wave.Key.Wave, day, rows);
                }
                else
                {
                    LogForgotten(survey.Id, wave.Key.Version, wave.Key.Wave, rows);
                }
            }
        }

        return forgotten;
    }

    /// <param name="campaign">A campaign's record and its reminder's, if started.</param>
    private async Task<bool> ExpiredAsync(
        string surveyId, IReadOnlyList<SurveyCampaign> campaign, DateTimeOffset now, Dictionary<int, int?> delays, CancellationToken cancellationToken)
    {
        if (campaign.Any(r => !r.Settled) || campaign.Max(r => r.StartedAt) + links.Value.LifetimeOf(LinkPurpose.Survey) + SendingSlack > now)
        {
            return false;
        }

        // A reminder not started yet, but due under its version, would sign new links for the wave.
        foreach (var record in campaign.Where(r => !r.Reminder && !r.ReminderStarted))
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId} version {Version} wave {Wave}: the links of its campaigns before {Day} expired, {Rows} guard and anonymous response rows deleted")]
    private partial void LogForgottenBefore(string surveyId, int version, string wave, DateOnly day, int rows);
}
