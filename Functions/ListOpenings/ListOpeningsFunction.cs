using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListOpenings;

/// <summary>Recruiter or admin: every opening, newest first.</summary>
public static class ListOpeningsFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet(CreateOpening.CreateOpeningFunction.Route, async (ManageOpenings openings, CancellationToken cancellationToken) =>
        Results.Ok(await openings.ListAsync(cancellationToken)))
        .RequireAuthorization(AdminPolicies.Openings).HoldsPersonalData()
        .Produces<IReadOnlyList<OpeningView>>();
}
