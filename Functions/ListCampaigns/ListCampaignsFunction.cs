using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListCampaigns;

/// <summary>Admin: the 50 most recent campaigns with their progress. Counts and ids only, no personal data.</summary>
public static class ListCampaignsFunction
{
    public const int Limit = 50;

    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/manage/campaigns", async (ICampaigns campaigns, CancellationToken cancellationToken) =>
        Results.Ok(await campaigns.ListAsync(Limit, cancellationToken)))
        .RequireAuthorization(AdminAuthentication.PolicyName);
}
