using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Surveys;

/// <summary>What one daily run did.</summary>
/// <param name="WavesForgotten">Waves of open surveys whose links expired and whose guards and anonymous responses went.</param>
public sealed record SurveyWavesReport(int WavesStarted, int RemindersStarted, int SurveysClosed, int CampaignsSettled, int WavesForgotten = 0);

/// <summary>
/// The daily <c>RunSurveyWaves</c> timer: closes surveys whose time is up, settles the survey's campaigns (how many each
/// reached), starts each wave's one reminder when its delay has passed, and starts the lifecycle waves that fall due:
/// one campaign per survey version, wave and company-local day, for the last working days that land on that day. Days
/// missed (an outage) are caught up, back to <see cref="SurveyOptions.CatchUpDays"/>. Every campaign is recorded on the
/// survey before the engine starts it; a wave's reminder follows its own version's delay, and one that fell due before the
/// catch-up window is marked and never sent. A wave whose links have all expired forgets who answered it
/// (<see cref="SurveyWaveRetention"/>). Every start is idempotent (stable ids), so a run that dies is finished by
/// the next; the outreach gate of the engine decides who is actually sent to, and records who was skipped and why.
/// </summary>
public sealed partial class RunSurveyWaves(
    ISurveyStore surveys,
    ManageSurveys manage,
    SurveyWaveRetention retention,
    ICampaigns campaigns,
    IAlumniStore alumni,
    CompanyCalendar calendar,
    IOptions<SurveyOptions> options,
    TimeProvider time,
    ILogger<RunSurveyWaves> logger)
{
    public const string Requester = "timer";

    /// <summary>How long after closing the guards are swept once more (an answer under way at the close may add one).</summary>
    public static readonly TimeSpan SweepAfterClose = TimeSpan.FromDays(2);

    public async Task<SurveyWavesReport> HandleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = calendar.DayOf(now);
        var (closed, open) = (0, new List<Survey>());
        foreach (var survey in await surveys.ListAsync(cancellationToken))
        {
            if (survey.Status == SurveyStatus.Published && !survey.IsOpenAt(now))
            {
                await manage.CloseAsync(survey.Id, Requester, cancellationToken);
                closed++;
            }
            else if (survey.Status == SurveyStatus.Closed && survey.ClosedAt > now - SweepAfterClose)
            {
                await manage.DestroyPseudonymsAsync(survey.Id, cancellationToken);
            }
            else if (survey.IsOpenAt(now))
            {
                open.Add(survey);
            }
        }

        var (settled, reminders, forgotten) = (0, 0, 0);
        foreach (var survey in open)
        {
            var (s, r, records) = await FollowUpAsync(survey, today, now, cancellationToken);
            (settled, reminders) = (settled + s, reminders + r);
            forgotten += await retention.ForgetExpiredAsync(survey, records, now, cancellationToken);
        }

        var started = await StartLifecycleWavesAsync(open.Where(s => !s.Current!.Lifecycle.IsEmpty).ToArray(), today, now, cancellationToken);
        var report = new SurveyWavesReport(started, reminders, closed, settled, forgotten);
        LogRun(today, report.WavesStarted, report.RemindersStarted, report.SurveysClosed);
        return report;
    }

    /// <summary>Settles finished campaigns, restarts any whose start was cut off, and starts reminders that are due.</summary>
    /// <returns>What it did, and the survey's campaigns as it read them.</returns>
    private async Task<(int Settled, int Reminders, IReadOnlyList<SurveyCampaign> Records)> FollowUpAsync(Survey survey, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (settled, reminders) = (0, 0);
        var records = await surveys.CampaignsAsync(survey.Id, cancellationToken);
        var rewritten = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records.Where(r => !r.Settled))
        {
            var progress = await campaigns.GetProgressAsync(record.CampaignId, cancellationToken);
            if (progress is null)
            {
                await manage.StartCampaignAsync(record, cancellationToken);
            }
            else if (progress.Status is CampaignStatus.Completed or CampaignStatus.Stopped &&
                await surveys.TryUpdateCampaignAsync(survey.Id, record with { Sent = progress.Sent, Settled = true }, cancellationToken))
            {
                rewritten.Add(record.CampaignId);
                settled++;
            }
        }

        // Each wave is reminded on its own version's delay (a later version turning reminders on or changing the delay
        // does not reach back to waves sent without that promise), and only within the catch-up window: a reminder
        // whose day passed longer ago than a lifecycle wave is caught up is marked and never sent.
        var delays = new Dictionary<int, int?>();
        var reminded = records.Where(r => r.Reminder).Select(r => r.CampaignId).ToHashSet(StringComparer.Ordinal);
        foreach (var record in records.Where(r => !r.Reminder && !r.ReminderStarted))
        {
            if (!delays.TryGetValue(record.Wave.Version, out var delay))
            {
                delays[record.Wave.Version] = delay = (await surveys.GetVersionAsync(survey.Id, record.Wave.Version, cancellationToken))?.ReminderAfterDays;
            }

            var due = delay is { } days ? calendar.DayOf(record.StartedAt).AddDays(days) : (DateOnly?)null;
            if (due is null || due > today)
            {
                continue;
            }

            if (due < today.AddDays(1 - options.Value.CatchUpDays))
            {
                await MarkRemindedAsync(survey.Id, record, rewritten, cancellationToken);
                LogReminderTooLate(survey.Id, record.CampaignId);
                continue;
            }

            var reminder = new SurveyCampaign(SurveyCampaigns.ReminderOf(record.CampaignId), record.Wave, record.Day, true, record.Audience, now, Requester);
            if (!reminded.Contains(reminder.CampaignId))
            {
                await surveys.TryAddCampaignAsync(survey.Id, reminder, cancellationToken);
            }

            await manage.StartCampaignAsync(reminder, cancellationToken);
            await MarkRemindedAsync(survey.Id, record, rewritten, cancellationToken);
            reminders++;
        }

        return (settled, reminders, records);
    }

    /// <summary>
    /// One pass over the members finds who is due on each day not yet done, for every survey at once; only waves with
    /// somebody due become campaigns (each campaign reads the audience again, through the gate).
    /// </summary>
    private async Task<int> StartLifecycleWavesAsync(IReadOnlyList<Survey> lifecycle, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var byLastDay = new Dictionary<DateOnly, List<(Survey Survey, DueWave Wave, DateOnly Day)>>();
        foreach (var survey in lifecycle)
        {
            var published = calendar.DayOf(survey.PublishedAt!.Value);
            var first = new[] { survey.LifecycleDoneThrough?.AddDays(1) ?? published, today.AddDays(1 - options.Value.CatchUpDays), published }.Max();
            for (var day = first; day <= today; day = day.AddDays(1))
            {
                foreach (var wave in LifecycleWaves.DueOn(survey.Current!.Lifecycle, day))
                {
                    for (var left = wave.From; left <= wave.To; left = left.AddDays(1))
                    {
                        (byLastDay.TryGetValue(left, out var list) ? list : byLastDay[left] = []).Add((survey, wave, day));
                    }
                }
            }
        }

        var due = new HashSet<(Survey Survey, DueWave Wave, DateOnly Day)>();
        string? continuation = null;
        do
        {
            if (byLastDay.Count == 0)
            {
                break;
            }

            (var page, continuation) = await alumni.ListMembersPageAsync(continuation, 1000, cancellationToken);
            foreach (var member in page)
            {
                due.UnionWith(byLastDay.GetValueOrDefault(member.LastWorkingDay) ?? []);
            }
        }
        while (continuation is not null);

        foreach (var (survey, wave, day) in due)
        {
            var surveyWave = new SurveyWave(survey.Id, survey.Version, SurveyWave.LifecycleKey(wave.Number));
            var record = new SurveyCampaign(SurveyCampaigns.IdOf(surveyWave, day), surveyWave, day, false,
                new AudienceSegment { LastWorkingDayFrom = wave.From, LastWorkingDayTo = wave.To }, now, Requester);
            await surveys.TryAddCampaignAsync(survey.Id, record, cancellationToken);
            await manage.StartCampaignAsync(record, cancellationToken);
        }

        foreach (var survey in lifecycle)
        {
            await MarkDoneAsync(survey, today, cancellationToken);
        }

        return due.Count;
    }

    /// <summary>
    /// Marks the record's reminder started, on the record as the run read it. One this run settled was written since, and
    /// its read ETag (and settled fields) are stale: that one is read again, so the mark keeps them and is not refused.
    /// </summary>
    private async Task MarkRemindedAsync(string surveyId, SurveyCampaign record, HashSet<string> rewritten, CancellationToken cancellationToken)
    {
        var current = rewritten.Contains(record.CampaignId)
            ? (await surveys.CampaignsAsync(surveyId, cancellationToken)).First(r => r.CampaignId == record.CampaignId)
            : record;
        await surveys.TryUpdateCampaignAsync(surveyId, current with { ReminderStarted = true }, cancellationToken);
    }

    private async Task MarkDoneAsync(Survey survey, DateOnly today, CancellationToken cancellationToken)
    {
        for (var current = survey; current is not null && !(current.LifecycleDoneThrough >= today); current = await surveys.GetAsync(survey.Id, cancellationToken))
        {
            current.LifecycleDoneThrough = today;
            if (await surveys.TryUpdateAsync(current, cancellationToken))
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey waves {Day}: {Waves} waves started, {Reminders} reminders, {Closed} surveys closed")]
    private partial void LogRun(DateOnly day, int waves, int reminders, int closed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId}: the reminder of {CampaignId} fell due before the catch-up window and is not sent")]
    private partial void LogReminderTooLate(string surveyId, string campaignId);
}
