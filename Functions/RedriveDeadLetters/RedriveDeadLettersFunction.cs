using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.RedriveDeadLetters;

/// <summary>Admin: moves up to <c>limit</c> dead letters of <c>queue</c> back onto it, oldest first. Audited before the move.</summary>
public static class RedriveDeadLettersFunction
{
    public const string Route = "/api/manage/dead-letters/{queue}/redrive";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        string queue, string? limit, AdminActor actor, Core.Admin.RedriveDeadLetters redrive, CancellationToken cancellationToken) =>
        (await redrive.HandleAsync(queue, limit, actor.Id, cancellationToken)).ToHttp("queue"))
        .RequireAuthorization(AdminAuthentication.PolicyName);
}
