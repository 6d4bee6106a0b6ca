using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.CreateNewsItem;

/// <summary>Admin: adds a news item (title and body in Japanese and English, optional link, publish window). Audited. Answers with its ETag (<see cref="EntityTags"/>).</summary>
public static class CreateNewsItemFunction
{
    public const int MaxBodyBytes = 32 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/manage/news", async (
        HttpRequest request, AdminActor actor, ManageNewsItems news, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await news.CreateAsync(body, actor.Id, cancellationToken)) switch
        {
            AdminOutcome<NewsItem>.Done done => CreatedWithETag(request.HttpContext, done.Value),
            var other => other.ToHttp(),
        };
    }).RequireAuthorization(AdminAuthentication.PolicyName).AnswersWithETag(StatusCodes.Status201Created);

    /// <summary>201 with the item's version as ETag, as <see cref="GetNewsItem.GetNewsItemFunction"/> answers, so a replace's If-Match can start from here.</summary>
    private static IResult CreatedWithETag(HttpContext context, NewsItem item)
    {
        context.Response.Headers.ETag = EntityTags.Of(RecordVersion.Of(item.UpdatedAt));
        return Results.Json(item, statusCode: StatusCodes.Status201Created);
    }
}
