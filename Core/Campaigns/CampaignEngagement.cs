using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// The provider's delivered, open and click events counted on the campaign batch the mail belonged to. The caller counts
/// each send and kind once (<see cref="ISendLedger.IsFirstEngagementAsync"/>), so campaign progress shows people, not events.
/// </summary>
public sealed class CampaignEngagement(ICampaignStore campaigns)
{
    public async Task CountAsync(SendId sendId, EngagementKind kind, CancellationToken cancellationToken)
    {
        if (CampaignBatch.TryParseKey(sendId.CampaignId, out var campaignId, out var number))
        {
            await campaigns.CountEngagementAsync(campaignId, number, kind, cancellationToken);
        }
    }
}
