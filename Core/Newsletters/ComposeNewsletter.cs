using AlumniNetwork.Core.Campaigns;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Newsletters;

public enum NewsletterOutcome
{
    /// <summary>No occurrence of the schedule within the catch-up window: nothing read or written.</summary>
    NotDue,

    /// <summary>This month's issue was composed and its campaign started.</summary>
    Started,

    /// <summary>Nothing new since the last issue sent: the month is recorded as skipped, no issue this month.</summary>
    NothingNew,

    /// <summary>This month's issue exists already (a later tick): its campaign is made sure of, nothing more.</summary>
    AlreadyComposed,

    /// <summary>This month was skipped already (nothing was new then): nothing more until next month's occurrence.</summary>
    AlreadySkipped,
}

/// <summary>
/// The newsletter timer's tick: when the schedule says the month's issue is due (<see cref="NewsletterSchedule"/>),
/// composes it from every section and sends it through the campaign engine to members who consented to the newsletter,
/// unless nothing is new since the last issue sent, in which case the month is recorded as skipped. Each tick starts
/// from what is stored: the issue (or the skip) is an insert-if-absent, and a tick that finds the issue starts its
/// campaign again (the engine starts it once), so a tick that fails at any point is finished by the next one.
/// </summary>
public sealed partial class ComposeNewsletter(
    NewsletterSchedule schedule,
    NewsletterDraft draft,
    INewsletterIssueStore issues,
    ICampaigns campaigns,
    TimeProvider time,
    ILogger<ComposeNewsletter> logger)
{
    public const string Requester = "timer";

    public async Task<NewsletterOutcome> HandleAsync(CancellationToken cancellationToken)
    {
        if (schedule.DueAt(time.GetUtcNow()) is not { } due)
        {
            return NewsletterOutcome.NotDue;
        }

        if (await issues.GetAsync(due.IssueId, cancellationToken) is { } decided)
        {
            return await ResumeAsync(decided, cancellationToken);
        }

        // "New" is decided on everything the sections offer, before the cap: the draft gives new entries the places first.
        var sent = SentEntries.Of(await issues.PreviousAsync(due.IssueId, cancellationToken));
        var issue = await draft.ComposeAsync(due.IssueId, sent, cancellationToken);
        var record = issue.Entries.All(sent.Contains) ? NewsletterIssue.SkippedMonth(issue.Id, issue.ComposedAt) : issue;
        if (!await issues.TryAddAsync(record, cancellationToken))
        {
            // Another tick decided the month in the meantime: its record stands.
            return await ResumeAsync((await issues.GetAsync(record.Id, cancellationToken))!, cancellationToken);
        }

        if (record.Skipped)
        {
            LogNothingNew(issue.Id);
            return NewsletterOutcome.NothingNew;
        }

        await StartAsync(issue, cancellationToken);
        LogStarted(issue.Id, issue.Entries.Count);
        return NewsletterOutcome.Started;
    }

    private async Task<NewsletterOutcome> ResumeAsync(NewsletterIssue decided, CancellationToken cancellationToken)
    {
        if (decided.Skipped)
        {
            return NewsletterOutcome.AlreadySkipped;
        }

        // Harmless when the campaign started already; it is what finishes a tick that died after storing the issue.
        await StartAsync(decided, cancellationToken);
        LogResumed(decided.Id);
        return NewsletterOutcome.AlreadyComposed;
    }

    private Task<CampaignStart> StartAsync(NewsletterIssue issue, CancellationToken cancellationToken) =>
        campaigns.StartAsync(new CampaignRequest(issue.CampaignId, CampaignKind.Newsletter, issue.Id, AudienceSegment.Everyone, Requester), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Newsletter {IssueId}: nothing new since the last issue sent; the month is skipped")]
    private partial void LogNothingNew(string issueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Newsletter {IssueId}: composed with {Entries} entries, campaign started")]
    private partial void LogStarted(string issueId, int entries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Newsletter {IssueId}: composed before; its campaign is made sure of")]
    private partial void LogResumed(string issueId);
}
