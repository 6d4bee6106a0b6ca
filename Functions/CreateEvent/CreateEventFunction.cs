using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.CreateEvent;

/// <summary>
/// Admin: creates an event as a draft (nothing is sent until it is published). Audited. An <c>Idempotency-Key</c> makes a
/// retry answer 200 with the first event instead of creating a second (ADR 0037).
/// </summary>
public static class CreateEventFunction
{
    public const string Route = "/api/manage/events";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        HttpRequest request, AdminActor actor, ManageEvents events, CancellationToken cancellationToken) =>
    {
        if (!IdempotencyKeys.TryRead(request, out var key, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, EventBodies.MaxBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var outcome = await events.CreateAsync(body, actor.Id, key, cancellationToken);
        return outcome is AdminOutcome<EventView>.Done created ? Results.Created($"{Route}/{created.Value.Id}", created.Value) : outcome.ToHttp("event");
    }).RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData().AcceptsIdempotencyKey<EventView>();
}

/// <summary>Limits the event admin functions share.</summary>
public static class EventBodies
{
    /// <summary>An event with every text at its longest is about 40 KiB of UTF-8.</summary>
    public const int MaxBytes = 64 * 1024;
}
