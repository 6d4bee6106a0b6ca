using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// The newsletter's composer for the campaign engine: loads a stored issue, less the entries their sections no longer
/// let out, or the draft an admin previews (composed now, so current already). A stored issue left with no entry at all
/// sends nothing: a greeting without news is not an issue. A preview of a stored issue shows it as it was composed.
/// </summary>
public sealed class NewsletterComposer(
    INewsletterIssueStore issues,
    NewsletterDraft draft,
    IEnumerable<INewsletterSection> sections,
    Links.AlumniLinks links,
    IOptions<CompanyOptions> company) : ICampaignComposer
{
    /// <summary>The source id of what the timer would send now: for previews and test sends.</summary>
    public const string DraftId = "draft";

    public CampaignKind Kind => CampaignKind.Newsletter;

    public async Task<ICampaignMail?> LoadAsync(string sourceId, CancellationToken cancellationToken)
    {
        if (sourceId == DraftId)
        {
            return Mail(await draft.ComposeAsync(issues, cancellationToken));
        }

        if (await issues.GetAsync(sourceId, cancellationToken) is not { Skipped: false } issue)
        {
            return null;
        }

        var entries = issue.Entries;
        foreach (var section in sections)
        {
            entries = await section.StillSendableAsync(entries, issue.ComposedAt, cancellationToken);
        }

        return entries.Count == 0 ? null : Mail(issue with { Entries = entries });
    }

    /// <summary>
    /// A stored issue as it was composed, for the preview of its campaign: not brought up to date as a batch is, so an
    /// issue sent months ago shows what went out, not what today's news items, events and openings would make of it
    /// (most of its events would have started, its openings closed). Per-reader RSVP links are not stored, so none are shown.
    /// </summary>
    public async Task<ICampaignMail?> LoadForPreviewAsync(string sourceId, CancellationToken cancellationToken) =>
        sourceId == DraftId ? await LoadAsync(sourceId, cancellationToken)
        : await issues.GetAsync(sourceId, cancellationToken) is { Skipped: false } issue ? Mail(issue)
        : null;

    /// <summary>The mail with each reader's openings link and, per event entry, the invitation's own RSVP links (same purpose, scope and lifetime).</summary>
    private NewsletterMail Mail(NewsletterIssue issue) => new(
        issue, company.Value.Name, a => links.Absolute(Links.LinkPurpose.Openings, a),
        (rsvp, a, choice) => Events.EventWork.RsvpLink(links, rsvp.Scope, rsvp.LinksExpireAt, a, choice));
}
