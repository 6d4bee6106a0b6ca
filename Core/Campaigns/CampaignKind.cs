using AlumniNetwork.Core.Consent;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>What a bulk email is for. Each kind has one consent purpose and one composer that renders its mails.</summary>
public enum CampaignKind
{
    EventInvitation,
    Newsletter,
    Survey,
    Opening,
}

public static class CampaignKinds
{
    /// <summary>The consent purpose the outreach gate checks for every recipient of a campaign of this kind.</summary>
    public static ConsentPurpose PurposeOf(CampaignKind kind) => kind switch
    {
        CampaignKind.EventInvitation => ConsentPurpose.Events,
        CampaignKind.Newsletter => ConsentPurpose.Newsletter,
        CampaignKind.Survey => ConsentPurpose.Surveys,
        CampaignKind.Opening => ConsentPurpose.JobOffers,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown campaign kind."),
    };
}
