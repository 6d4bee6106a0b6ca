using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.SendWelcomeInvitation;

/// <summary>
/// Service Bus: sends one welcome invitation; safe to run twice on the same message. How the run ended is recorded in
/// the work item, so the invocation fails (and the message is retried, then dead-lettered) only when the message is
/// unreadable or the work item cannot be written.
/// </summary>
public static class SendWelcomeInvitationFunction
{
    public const string Name = "SendWelcomeInvitation";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var message = request.ReadMessage<WorkMessage>("message");
        var (welcome, work) = await services.GetRequiredService<Core.Alumni.SendWelcomeInvitation>().HandleAsync(message, cancellationToken);
        return InvocationResponse.Empty().WithLog($"Welcome invitation: {welcome?.ToString() ?? "failed"}; work item {work}");
    });
}
