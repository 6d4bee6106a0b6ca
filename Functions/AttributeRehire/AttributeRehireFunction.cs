using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.AttributeRehire;

/// <summary>Service Bus: matches a reported hire to an alumnus, attributes it and marks them returned; safe to run twice.</summary>
public static class AttributeRehireFunction
{
    public const string Name = "AttributeRehire";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var message = request.ReadMessage<WorkMessage>("message");
        var (rehire, work) = await services.GetRequiredService<Core.Rehires.AttributeRehire>().HandleAsync(message, cancellationToken);
        return InvocationResponse.Empty().WithLog($"Rehire: {rehire?.ToString() ?? "failed"}; work item {work}");
    });
}
