using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.CreateNewsItem;

/// <summary>
/// Admin: adds a news item (title and body in Japanese and English, optional link, publish window). Audited. Answers with
/// its ETag (<see cref="EntityTags"/>). An <c>Idempotency-Key</c> makes a retry answer 200 with the first item instead of
/// creating a second (ADR 0037). 409 naming <c>publishUntil</c> when <see cref="NewsItem.MaxLive"/> items are live already (ADR 0034).
/// </summary>
public static class CreateNewsItemFunction
{
    public const int MaxBodyBytes = 32 * 1024;

    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/manage/news", async (
        HttpRequest request, AdminActor actor, ManageNewsItems news, CancellationToken cancellationToken) =>
    {
        if (!IdempotencyKeys.TryRead(request, out var key, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await news.CreateAsync(body, actor.Id, key, cancellationToken)) switch
        {
            AdminOutcome<NewsItem>.Done done => WithETag(request.HttpContext, done.Value, StatusCodes.Status201Created),
            AdminOutcome<NewsItem>.Repeated repeated => WithETag(request.HttpContext, repeated.Value, StatusCodes.Status200OK),
            AdminOutcome<NewsItem>.Conflict { Code: ConflictCode.TooManyLiveNewsItems } => Problems.Conflict(ManageNewsItems.TooManyLive),
            var other => other.ToHttp("news item"),
        };
    }).RequireAuthorization(AdminAuthentication.PolicyName)
        .Produces<NewsItem>(StatusCodes.Status201Created).AcceptsIdempotencyKey<NewsItem>().AnswersWithETag(StatusCodes.Status201Created).AnswersWithETag();

    /// <summary>The item with its version as ETag, as <see cref="GetNewsItem.GetNewsItemFunction"/> answers, so a replace's If-Match can start from here.</summary>
    private static IResult WithETag(HttpContext context, NewsItem item, int status)
    {
        context.Response.Headers.ETag = EntityTags.Of(RecordVersion.Of(item.UpdatedAt));
        return Results.Json(item, statusCode: status);
    }
}
