using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>The newsletter's composer for the campaign engine: loads a stored issue, or the draft an admin previews.</summary>
public sealed class NewsletterComposer(INewsletterIssueStore issues, NewsletterDraft draft, Links.AlumniLinks links, IOptions<CompanyOptions> company) : ICampaignComposer
{
    /// <summary>The source id of what the timer would send now: for previews and test sends.</summary>
    public const string DraftId = "draft";

    public CampaignKind Kind => CampaignKind.Newsletter;

    public async Task<ICampaignMail?> LoadAsync(string sourceId, CancellationToken cancellationToken)
    {
        var issue = sourceId == DraftId ? await draft.ComposeAsync(cancellationToken) : await issues.GetAsync(sourceId, cancellationToken);
        return issue is null or { Skipped: true } ? null : new NewsletterMail(issue, company.Value.Name, a => links.Absolute(Links.LinkPurpose.Openings, a.Id));
    }
}
