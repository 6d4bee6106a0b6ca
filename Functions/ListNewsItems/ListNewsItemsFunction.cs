using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ListNewsItems;

/// <summary>Admin: every news item, newest publish date first.</summary>
public static class ListNewsItemsFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/manage/news", async (ManageNewsItems news, CancellationToken cancellationToken) =>
        Results.Ok(await news.ListAsync(cancellationToken)))
        .RequireAuthorization(AdminAuthentication.PolicyName);
}
