using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.TakeBackWrites;

/// <summary>Service Bus: removes whatever a page wrote as its alumnus's erasure began (RSVPs, interest, card, survey answers, profile); safe to run twice.</summary>
public static class TakeBackWritesFunction
{
    public const string Name = "TakeBackWrites";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var message = request.ReadMessage<WorkMessage>("message");
        var work = await services.GetRequiredService<Core.Privacy.TakeBackWrites>().HandleAsync(message, cancellationToken);
        return InvocationResponse.Empty().WithLog($"Takeback: work item {work}");
    });
}
