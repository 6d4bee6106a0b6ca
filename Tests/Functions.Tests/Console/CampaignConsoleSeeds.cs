using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Newsletters;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>What the events, campaigns and newsletter pages of the route walk need to exist, by the route parameter that names it.</summary>
internal static class CampaignConsoleSeeds
{
    public const string CampaignId = "walk-newsletter";

    public static async Task<IReadOnlyDictionary<string, string>> SeedAsync(TestApp app, AlumnusId alumnus)
    {
        using var scope = app.Services.CreateScope();
        var started = await scope.ServiceProvider.GetRequiredService<ICampaigns>().StartAsync(
            new CampaignRequest(CampaignId, CampaignKind.Newsletter, "draft", AudienceSegment.Everyone, "test"), CancellationToken.None);
        Assert.IsType<CampaignStart.Started>(started);
        var news = await app.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item);
        Assert.Equal(HttpStatusCode.Created, news.StatusCode);
        return new Dictionary<string, string>
        {
            ["{eventId:length(32)}"] = await app.CreateEventAsync(),
            ["{alumnusId:length(32)}"] = alumnus.Value,
            ["{campaignId}"] = CampaignId,
            ["{queue}"] = WelcomeQueue.Name,
            ["{newsId:length(32)}"] = (await news.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!,
        };
    }
}
