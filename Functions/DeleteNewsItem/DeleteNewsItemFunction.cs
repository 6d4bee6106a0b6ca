using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.DeleteNewsItem;

/// <summary>Admin: removes a news item from future issues (issues already composed keep their copy). Audited.</summary>
public static class DeleteNewsItemFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapDelete(GetNewsItem.GetNewsItemFunction.Route, async (
        string id, AdminActor actor, ManageNewsItems news, CancellationToken cancellationToken) =>
        await news.DeleteAsync(id, actor.Id, cancellationToken) is AdminOutcome<string>.Done
            ? Results.NoContent()
            : Problems.Status(StatusCodes.Status404NotFound, "Not found.", "No news item has this id."))
        .RequireAuthorization(AdminAuthentication.PolicyName);
}
