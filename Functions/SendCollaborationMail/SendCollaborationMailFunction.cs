using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.SendCollaborationMail;

/// <summary>Service Bus: delivers a collaboration request to its alumnus, or tells its requester the answer; safe to run twice on the same message.</summary>
public static class SendCollaborationMailFunction
{
    public const string Name = "SendCollaborationMail";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var message = request.ReadMessage<WorkMessage>("message");
        var work = await services.GetRequiredService<Core.Collaboration.SendCollaborationMail>().HandleAsync(message, cancellationToken);
        return InvocationResponse.Empty().WithLog($"Collaboration mail ({message.Kind}): work item {work}");
    });
}
