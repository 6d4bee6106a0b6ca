using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.DispatchDueWork;

/// <summary>Timer: leases due work items and emits each as a message on the output binding of its kind's queue.</summary>
public static class DispatchDueWorkFunction
{
    public const string Name = "DispatchDueWork";

    /// <summary>Output binding (see function.json) for each work kind; several kinds share one queue.</summary>
    public static IReadOnlyDictionary<string, string> OutputByKind { get; } = new Dictionary<string, string>
    {
        [WorkKinds.WelcomeInvitation] = "welcomeInvitations",
        [WorkKinds.CampaignPlan] = "campaignPlans",
        [WorkKinds.CampaignBatch] = "campaignBatches",
        [WorkKinds.EventNotices] = "eventMail",
        [WorkKinds.EventReminder] = "eventMail",
        [WorkKinds.EventPublished] = "eventMail",
        [WorkKinds.OpeningInterest] = "openingInterests",
        [WorkKinds.OpeningApproved] = "openingInterests",
        [WorkKinds.RehireAttribution] = "rehires",
        [WorkKinds.CollaborationRequest] = "collaborationMail",
        [WorkKinds.CollaborationAnswer] = "collaborationMail",
        [WorkKinds.ConflictCheck] = "conflictChecks",
        [WorkKinds.ConflictRegister] = "conflictChecks",
        [WorkKinds.TakeBack] = "takeBacks",
    };

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var messages = await services.GetRequiredService<Core.Scheduling.DispatchDueWork>().HandleAsync(cancellationToken);
        var response = InvocationResponse.Empty().WithTimerNote(TimerInput.Read(request, "timer"));
        // By output, not by kind: one output holds one array, and kinds sharing a queue all go in it.
        foreach (var output in messages.GroupBy(m => OutputByKind[m.Kind]))
        {
            response.WithMessages(output.Key, output.ToArray());
        }

        return response;
    });
}
