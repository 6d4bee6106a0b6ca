using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.CheckConflicts;

/// <summary>Service Bus: checks one alumnus, or everyone after the register changed, against the conflict-of-interest register.</summary>
public static class CheckConflictsFunction
{
    public const string Name = "CheckConflicts";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var message = request.ReadMessage<WorkMessage>("message");
        var work = await services.GetRequiredService<ConflictChecks>().HandleAsync(message, cancellationToken);
        return InvocationResponse.Empty().WithLog($"Conflict check ({message.Kind}): work item {work}");
    });
}
