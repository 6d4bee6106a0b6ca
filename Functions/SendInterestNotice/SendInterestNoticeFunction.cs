using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.SendInterestNotice;

/// <summary>
/// Service Bus (the openings' queue): tells an opening's recruiter mailbox of a change of interest, once per change, or
/// sends an opening to a flagged match compliance approved after it went out; how the run ended is recorded in the work item.
/// </summary>
public static class SendInterestNoticeFunction
{
    public const string Name = "SendInterestNotice";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var message = request.ReadMessage<WorkMessage>("message");
        if (message.Kind == WorkKinds.OpeningApproved)
        {
            var (approved, run) = await services.GetRequiredService<Core.Openings.SendApprovedOpening>().HandleAsync(message, cancellationToken);
            return InvocationResponse.Empty().WithLog($"Approved opening: {approved?.ToString() ?? "failed"}; work item {run}");
        }

        var (notice, work) = await services.GetRequiredService<Core.Openings.SendInterestNotice>().HandleAsync(message, cancellationToken);
        return InvocationResponse.Empty().WithLog($"Interest notice: {notice?.ToString() ?? "failed"}; work item {work}");
    });
}
