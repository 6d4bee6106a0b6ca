using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.PlanCampaign;

/// <summary>Service Bus: reads a campaign's audience into batches of up to 1,000; safe to run twice on the same message; how the run ended is recorded in the work item.</summary>
public static class PlanCampaignFunction
{
    public const string Name = "PlanCampaign";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var (plan, work) = await services.GetRequiredService<Core.Campaigns.PlanCampaign>().HandleAsync(request.ReadMessage<WorkMessage>("message"), cancellationToken);
        return InvocationResponse.Empty().WithLog($"Campaign planning: {plan?.ToString() ?? "failed"}; work item {work}");
    });
}
