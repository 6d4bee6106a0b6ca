using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.GetCampaign;

/// <summary>
/// Admin: one campaign's progress: audience, refused by reason, sent, failed, pending, and the provider's delivered,
/// opened and clicked counts. Counts and ids only, no personal data.
/// </summary>
public static class GetCampaignFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/manage/campaigns/{id}", async (string id, ICampaigns campaigns, CancellationToken cancellationToken) =>
        await campaigns.GetProgressAsync(id, cancellationToken) is { } progress
            ? Results.Ok(progress)
            : Problems.Status(StatusCodes.Status404NotFound, "Not found.", "No campaign has this id."))
        .RequireAuthorization(AdminAuthentication.PolicyName);
}
