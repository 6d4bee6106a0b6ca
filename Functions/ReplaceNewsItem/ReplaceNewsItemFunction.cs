using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.ReplaceNewsItem;

/// <summary>Admin: replaces a news item with the body sent (all fields). An edit appears in the next issue that goes out but does not by itself make one go out (the item's key is its id, ADR 0034); a batch of an issue composed before the edit and still going out sends the item as edited. Audited. Optional If-Match (<see cref="EntityTags"/>). 409 naming <c>publishUntil</c> when the edit would open an item not live while <see cref="NewsItem.MaxLive"/> are live (ADR 0034).</summary>
public static class ReplaceNewsItemFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapPut(GetNewsItem.GetNewsItemFunction.Route, async (
        string id, HttpRequest request, AdminActor actor, ManageNewsItems news, CancellationToken cancellationToken) =>
    {
        if (!EntityTags.TryReadIfMatch(request, out var seen, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, CreateNewsItem.CreateNewsItemFunction.MaxBodyBytes, cancellationToken);
        return body is null ? problem! : (await news.ReplaceAsync(id, body, seen, actor.Id, cancellationToken)) switch
        {
            AdminOutcome<NewsItem>.Conflict { Code: ConflictCode.TooManyLiveNewsItems } => Problems.Conflict(ManageNewsItems.TooManyLive),
            var other => other.ToHttp(request.HttpContext, "news item", n => n.UpdatedAt),
        };
    }).RequireAuthorization(AdminAuthentication.PolicyName).AcceptsIfMatch();
}
