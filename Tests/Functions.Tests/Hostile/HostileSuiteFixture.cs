using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>
/// One Azurite and one app for the whole suite, with a joined alumnus (consents, a profile) for valid links to point
/// at, and the table snapshot every case is compared with.
/// </summary>
public sealed class HostileSuiteFixture : IAsyncLifetime
{
    /// <summary>An ad-hoc wave of the published survey, recorded for everyone: a repeat naming another audience is refused.</summary>
    public const string StartedWave = "started";

    /// <summary>
    /// Settings for the suite's app. Limits that exist to stop a script (rate limits) must be raised here: several
    /// hundred requests from one client are the point of this suite, and it must pass whether or not they would be hit.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["RateLimits:AlumniPagesPerWindow"] = "1000000",
        ["RateLimits:AdminPerWindow"] = "1000000",

        // The member has one request from the fixture and one from ValidBodies_AreTaken: a bad request let through must
        // still be stored (and fail its case), not be refused because the member's requests ran out.
        ["Collaboration:MaxRequestsPerWindow"] = "20",
    };

    private readonly AzuriteFixture azurite = new();

    public HostileContext Context { get; private set; } = null!;

    /// <summary>Storage as the suite last saw it (<see cref="SnapshotAsync"/>); a case that changes it fails and moves it on.</summary>
    public IReadOnlyList<string> Snapshot { get; set; } = [];

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>(Settings));
        var member = await app.MemberAsync("ja-JP", "Newsletter", "Events", "Collaboration");
        (await app.PostFormAsync(LinkPurpose.Profile, member, ("CurrentEmployer", "Yamada Trading"), ("Location", "Osaka"))).EnsureSuccessStatusCode();
        var eventId = await app.PublishedEventAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.RsvpAsync(eventId, member, "attend")).StatusCode);
        var surveyId = await app.PublishedSurveyAsync();
        await StartedWaveAsync(app, surveyId);
        Context = new HostileContext(app, member, eventId, surveyId, await CollaborationRequestAsync(app, member), await TargetsAsync(app, eventId));
        Snapshot = await SnapshotAsync();
    }

    /// <summary>
    /// Every row of every table (<see cref="TestApp.SnapshotAsync"/>), every queue with its messages as a peek sees them
    /// (a message taken or hidden by a receive drops out), and the number of mails the SendGrid sink holds.
    /// </summary>
    public async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        var rows = new List<string>(await Context.App.SnapshotAsync());
        var queues = new QueueServiceClient(azurite.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            var client = queues.GetQueueClient(queue.Name);
            var count = (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            PeekedMessage[] peeked = (await client.PeekMessagesAsync(StorageQueueDeadLetters.MaxPeek)).Value;
            rows.Add($"queue|{queue.Name}|{count}|{string.Join(",", peeked.Select(m => $"{m.MessageId}:{m.DequeueCount}"))}");
        }

        rows.Add($"outbox|{Context.App.Services.GetRequiredService<DevOutbox>().All.Count}");
        return rows;
    }

    /// <summary>
    /// What admin routes name (<see cref="Target"/>): a draft event, a news item (with as many others as may be live), the published event's invitation
    /// campaign, a dead letter on <c>campaign-batches</c> for a re-drive to move, a draft survey and an open opening.
    /// </summary>
    private async Task<HostileTargets> TargetsAsync(TestApp app, string eventId)
    {
        var draft = await app.CreateEventAsync();
        var news = await app.AdminAsync(HttpMethod.Post, "api/manage/news", Newsletters.NewsletterAdminTests.Item);
        Assert.Equal(HttpStatusCode.Created, news.StatusCode);
        var ended = await MostLiveNewsItemsAsync(app);
        var campaign = (await app.AdminJsonAsync($"api/manage/events/{eventId}")).GetProperty("invitationCampaignId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Get, $"api/manage/campaigns/{campaign}")).StatusCode);
        var deadLetters = new QueueServiceClient(azurite.ConnectionString).GetQueueClient(HostileContext.CampaignBatchesQueue + StoredDeadLetter.QueueSuffix);
        await deadLetters.CreateIfNotExistsAsync();
        await deadLetters.DeadLetterAsync("""{"campaignId":"hostile"}""");
        return new HostileTargets(draft, (await news.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, campaign,
            await app.CreateSurveyAsync(), await app.CreateOpeningAsync(), await app.LastVersionSurveyAsync(), ended);
    }

    /// <summary>
    /// News items up to <see cref="Core.Newsletters.NewsItem.MaxLive"/> live, written to the store (the API's audit entries
    /// are not the point): a create that passes every other rule is refused for the limit, and changes nothing.
    /// </summary>
    /// <returns>The id of one more item, its window ended: an edit opening it is refused for the limit too.</returns>
    private static async Task<string> MostLiveNewsItemsAsync(TestApp app)
    {
        var store = app.Services.GetRequiredService<Core.Newsletters.INewsItemStore>();
        var now = TimeProvider.System.GetUtcNow();
        var live = (await store.ListAsync(CancellationToken.None)).Count(i => i.IsLiveAt(now));
        var added = await Task.WhenAll(Enumerable.Range(live, Core.Newsletters.NewsItem.MaxLive - live).Select(i => store.TryAddAsync(
            new Core.Newsletters.NewsItem(Core.Newsletters.NewsItem.NewId(), $"お知らせ{i}", $"News {i}", "本文", "Body", null, now.AddDays(-1), null, now), CancellationToken.None)));
        Assert.DoesNotContain(false, added);
        var ended = new Core.Newsletters.NewsItem(Core.Newsletters.NewsItem.NewId(), "終了", "Ended", "本文", "Body", null, now.AddDays(-10), now.AddDays(-1), now);
        Assert.True(await store.TryAddAsync(ended, CancellationToken.None));
        return ended.Id;
    }

    /// <summary>The wave's record only: the refusal comes before the campaign engine, which is left out so that nothing is sent.</summary>
    private static async Task StartedWaveAsync(TestApp app, string surveyId)
    {
        var wave = new SurveyWave(surveyId, 1, SurveyWave.AdHocKey(StartedWave));
        var record = new SurveyCampaign(SurveyCampaigns.IdOf(wave), wave, null, false, Core.Campaigns.AudienceSegment.Everyone, TimeProvider.System.GetUtcNow(), "hostile-admin");
        Assert.True(await app.Services.GetRequiredService<ISurveyStore>().TryAddCampaignAsync(surveyId, record, CancellationToken.None));
    }

    /// <summary>A listed card for the member and a collaboration request delivered to them: answer links point at it.</summary>
    private static async Task<string> CollaborationRequestAsync(TestApp app, Core.Alumni.AlumnusId member)
    {
        (await app.PostFormAsync(LinkPurpose.CollaborationCard, member, ("Company", "Yamada Trading"), ("Offer", "Payments"), ("Industry", "Finance"),
            ("VisibleToMembers", "yes"), ("VisibleToEmployees", "yes"))).EnsureSuccessStatusCode();
        await app.ReviewCardAsync(member, "approve");
        var request = new Core.Collaboration.CollaborationRequest(Core.Collaboration.CollaborationRequest.NewId(), member, Core.Collaboration.RequesterKind.Employee,
            "佐藤 一郎", "法人営業部", Core.Alumni.EmailAddress.Parse("sato@corp.example.com"), "決済分野での共同提案", Core.Collaboration.Confidentiality.Normal,
            Core.Collaboration.RequestStatus.Sent, TimeProvider.System.GetUtcNow(), "hostile-admin");
        Assert.True(await app.Services.GetRequiredService<Core.Collaboration.ICollaborationStore>().TryAddRequestAsync(request, 2, DateTimeOffset.MinValue, CancellationToken.None));
        return request.Id;
    }

    public async Task DisposeAsync()
    {
        if (Context is not null)
        {
            await Context.App.DisposeAsync();
        }

        await azurite.DisposeAsync();
    }
}
