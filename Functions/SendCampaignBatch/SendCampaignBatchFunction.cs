using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.SendCampaignBatch;

/// <summary>Service Bus: sends one campaign batch in one provider request; safe to run twice on the same message; how the run ended is recorded in the work item.</summary>
public static class SendCampaignBatchFunction
{
    public const string Name = "SendCampaignBatch";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var (batch, work) = await services.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(request.ReadMessage<WorkMessage>("message"), cancellationToken);
        return InvocationResponse.Empty().WithLog($"Campaign batch: {batch?.ToString() ?? "failed"}; work item {work}");
    });
}
