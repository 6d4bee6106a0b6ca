using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.CreateOpening;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.UpdateOpening;

/// <summary>Recruiter or admin: replaces an opening's details (the create body); closing a sent opening stops its unsent batches. Audited. Optional If-Match (<see cref="EntityTags"/>).</summary>
public static class UpdateOpeningFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapPut(GetOpening.GetOpeningFunction.Route, async (
        string id, HttpRequest request, AdminActor actor, ManageOpenings openings, CancellationToken cancellationToken) =>
    {
        if (!EntityTags.TryReadIfMatch(request, out var seen, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, CreateOpeningFunction.MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await openings.UpdateAsync(id, body, seen, actor.Id, cancellationToken)).ToHttp(request.HttpContext, "opening", o => o.UpdatedAt);
    }).RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<OpeningView>()
        .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).AcceptsIfMatch();
}
