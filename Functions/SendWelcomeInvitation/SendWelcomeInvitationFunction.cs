using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.SendWelcomeInvitation;

/// <summary>Service Bus: sends one welcome invitation; safe to run twice on the same message.</summary>
public static class SendWelcomeInvitationFunction
{
    public const string Name = "SendWelcomeInvitation";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var message = request.ReadMessage<WorkMessage>("message");
        var outcome = await services.GetRequiredService<Core.Alumni.SendWelcomeInvitation>().HandleAsync(message, cancellationToken);
        return InvocationResponse.Empty().WithLog($"Welcome invitation: {outcome}");
    });
}
