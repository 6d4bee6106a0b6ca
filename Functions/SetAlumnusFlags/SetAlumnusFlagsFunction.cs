using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.SetAlumnusFlags;

/// <summary>Admin: set HR-only flags (<c>rehireEligible</c>, <c>doNotContact</c>) with a JSON merge of the fields present. Audited.</summary>
public static class SetAlumnusFlagsFunction
{
    public const string Route = "/api/manage/alumni/{id:length(32)}/flags";
    public const int MaxBodyBytes = 4 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPatch(Route, async (
        string id, HttpRequest request, AdminActor actor, Core.Admin.SetAlumnusFlags flags, CancellationToken cancellationToken) =>
    {
        if (!BodyReader.IsJson(request))
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Content-Type must be application/json.");
        }

        var body = await BodyReader.ReadLimitedAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large.", $"The body must be at most {MaxBodyBytes} bytes.");
        }

        return await flags.HandleAsync(id, body, actor.Id, cancellationToken) switch
        {
            // The field the client sent is refused by the person's state, not malformed: named in the body like a 400's.
            AdminOutcome<AlumnusFlags>.Conflict { Code: ConflictCode.ErasurePending } => Problems.Conflict(Core.Admin.SetAlumnusFlags.ErasurePending),
            var outcome => outcome.ToHttp(),
        };
    }).RequireAuthorization(AdminAuthentication.PolicyName).HoldsPersonalData()
        .Accepts<AlumnusFlags>("application/json").Produces<AlumnusFlags>()
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
