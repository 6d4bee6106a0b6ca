using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.GetNewsItem;

/// <summary>Admin: one news item. Its ETag is the item's version (If-Match of a replace).</summary>
public static class GetNewsItemFunction
{
    public const string Route = "/api/manage/news/{id}";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (string id, HttpContext context, ManageNewsItems news, CancellationToken cancellationToken) =>
        (await news.GetAsync(id, cancellationToken)).ToHttp(context, "news item", n => n.UpdatedAt))
        .RequireAuthorization(AdminAuthentication.PolicyName)
        .Produces<NewsItem>().ProducesProblem(StatusCodes.Status404NotFound).AnswersWithETag();
}
