using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>Runs a campaign's planning and batches through the real handlers, as the queue triggers would, without the timers.</summary>
internal static class CampaignRunner
{
    public static async Task<Campaign> StartAndPlanAsync(this TestApp app, string campaignId, CampaignKind kind = CampaignKind.Newsletter, string source = "draft", AudienceSegment? audience = null)
    {
        using var scope = app.Services.CreateScope();
        var started = await scope.ServiceProvider.GetRequiredService<ICampaigns>().StartAsync(
            new CampaignRequest(campaignId, kind, source, audience ?? AudienceSegment.Everyone, "test"), CancellationToken.None);
        Assert.IsType<CampaignStart.Started>(started);
        var campaign = (await app.Services.GetRequiredService<ICampaignStore>().GetAsync(campaignId, CancellationToken.None))!;
        await scope.ServiceProvider.GetRequiredService<Core.Campaigns.PlanCampaign>().HandleAsync(PlanMessage(campaign), CancellationToken.None);
        return (await app.Services.GetRequiredService<ICampaignStore>().GetAsync(campaignId, CancellationToken.None))!;
    }

    public static WorkMessage PlanMessage(Campaign campaign) =>
        new WorkItem { Kind = WorkKinds.CampaignPlan, SubjectId = campaign.Id, DueAt = campaign.StartedAt }.ToMessage();

    public static WorkMessage BatchMessage(Campaign campaign, int number) =>
        new WorkItem { Kind = WorkKinds.CampaignBatch, SubjectId = CampaignBatch.KeyOf(campaign.Id, number), DueAt = campaign.StartedAt }.ToMessage();

    /// <summary>Sends one batch through the handler, in its own scope as each function invocation has.</summary>
    public static async Task<BatchOutcome> SendBatchAsync(this TestApp app, Campaign campaign, int number)
    {
        using var scope = app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(BatchMessage(campaign, number), CancellationToken.None)).Batch!.Value;
    }

    public static async Task SendAllBatchesAsync(this TestApp app, Campaign campaign)
    {
        for (var number = 1; number <= campaign.Batches; number++)
        {
            await app.SendBatchAsync(campaign, number);
        }
    }

    public static async Task<CampaignProgress> ProgressAsync(this TestApp app, string campaignId)
    {
        using var scope = app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<ICampaigns>().GetProgressAsync(campaignId, CancellationToken.None))!;
    }
}
