using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.CreateOpening;

/// <summary>
/// Recruiter or admin: creates an opening (open unless the body says closed; nothing is sent until it is). Audited. An
/// <c>Idempotency-Key</c> makes a retry answer 200 with the first opening instead of creating a second (ADR 0037).
/// </summary>
public static class CreateOpeningFunction
{
    public const string Route = "/api/manage/openings";

    /// <summary>An opening with every text at its longest is about 40 KiB of UTF-8.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Route, async (
        HttpRequest request, AdminActor actor, ManageOpenings openings, CancellationToken cancellationToken) =>
    {
        if (!IdempotencyKeys.TryRead(request, out var key, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await openings.CreateAsync(body, actor.Id, key, cancellationToken)) switch
        {
            AdminOutcome<OpeningView>.Done created => Results.Created($"{Route}/{created.Value.Id}", created.Value),
            var other => other.ToHttp("opening"),
        };
    }).RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<OpeningView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).AcceptsIdempotencyKey<OpeningView>();
}
