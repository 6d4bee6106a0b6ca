using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.TakeBackWrites;

/// <summary>
/// Service Bus: removes whatever was written for an alumnus as their erasure began (RSVPs, interest, card, survey answers,
/// profile, collaboration requests, engagement counts, refused outreach decisions) and clears each send's provider
/// message id and engagement notes (<see cref="Core.Privacy.TakeBackWrites"/>); safe to run twice.
/// </summary>
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
