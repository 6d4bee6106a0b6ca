using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// The provider's delivered, open and click events counted on the campaign batch the mail belonged to, once per
/// recipient and kind (the ledger row keeps which it has seen), so campaign progress shows people, not events.
/// </summary>
public sealed class CampaignEngagement(ISendLedger sends, ICampaignStore campaigns)
{
    public async Task CountAsync(SendId? sendId, EngagementKind kind, CancellationToken cancellationToken)
    {
        if (sendId is { } id && CampaignBatch.TryParseKey(id.CampaignId, out var campaignId, out var number) &&
            await sends.MarkEngagedAsync(id, kind, cancellationToken))
        {
            await campaigns.CountEngagementAsync(campaignId, number, kind, cancellationToken);
        }
    }
}
