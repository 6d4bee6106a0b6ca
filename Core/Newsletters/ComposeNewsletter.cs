using AlumniNetwork.Core.Campaigns;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Newsletters;

public enum NewsletterOutcome
{
    /// <summary>This month's issue was composed and its campaign started.</summary>
    Started,

    /// <summary>Nothing new since the last issue: no issue this month.</summary>
    NothingNew,

    /// <summary>This month's issue exists already (a second timer run): its campaign is made sure of, nothing more.</summary>
    AlreadyComposed,
}

/// <summary>
/// The newsletter timer: composes this month's issue from every section and sends it through the campaign engine to
/// members who consented to the newsletter, unless nothing is new since the last issue. The issue is stored before
/// its campaign starts, and a run that finds the issue starts its campaign again (which starts it once), so a crash in
/// between loses nothing.
/// </summary>
public sealed partial class ComposeNewsletter(NewsletterDraft draft, INewsletterIssueStore issues, ICampaigns campaigns, ILogger<ComposeNewsletter> logger)
{
    public const string Requester = "timer";

    public async Task<NewsletterOutcome> HandleAsync(CancellationToken cancellationToken)
    {
        var issue = await draft.ComposeAsync(cancellationToken);
        var outcome = NewsletterOutcome.Started;
        if (await issues.GetAsync(issue.Id, cancellationToken) is { } stored)
        {
            (issue, outcome) = (stored, NewsletterOutcome.AlreadyComposed);
        }
        else
        {
            var previous = await issues.PreviousAsync(issue.Id, cancellationToken);
            var before = previous?.Entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal) ?? [];
            if (issue.Entries.All(e => before.Contains(e.Key)))
            {
                LogNothingNew(issue.Id);
                return NewsletterOutcome.NothingNew;
            }

            if (!await issues.TryAddAsync(issue, cancellationToken))
            {
                (issue, outcome) = ((await issues.GetAsync(issue.Id, cancellationToken))!, NewsletterOutcome.AlreadyComposed);
            }
        }

        await campaigns.StartAsync(new CampaignRequest(issue.CampaignId, CampaignKind.Newsletter, issue.Id, AudienceSegment.Everyone, Requester), cancellationToken);
        LogOutcome(issue.Id, outcome, issue.Entries.Count);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Newsletter {IssueId}: nothing new since the last issue; none sent")]
    private partial void LogNothingNew(string issueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Newsletter {IssueId}: {Outcome} with {Entries} entries")]
    private partial void LogOutcome(string issueId, NewsletterOutcome outcome, int entries);
}
