using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.SendEventMail;

/// <summary>
/// Service Bus: an event's pending notices, or its reminder, or the start of its invitations once published; safe to run
/// twice on the same message; how the run ended is recorded in the work item.
/// </summary>
public static class SendEventMailFunction
{
    public const string Name = "SendEventMail";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var message = request.ReadMessage<WorkMessage>("message");
        if (message.Kind == WorkKinds.EventPublished)
        {
            var (start, run) = await services.GetRequiredService<Core.Events.StartEventInvitations>().HandleAsync(message, cancellationToken);
            return InvocationResponse.Empty().WithLog($"Event invitations: {start?.ToString() ?? "nothing started"}; work item {run}");
        }

        var (mail, work) = await services.GetRequiredService<Core.Events.SendEventMail>().HandleAsync(message, cancellationToken);
        return InvocationResponse.Empty().WithLog($"Event mail: {mail?.ToString() ?? "failed"}; work item {work}");
    });
}
