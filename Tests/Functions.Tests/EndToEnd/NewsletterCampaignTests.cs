using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Newsletters;
using AlumniNetwork.Functions.Tests.Support;
using Azure.Storage.Queues;

namespace AlumniNetwork.Functions.Tests.EndToEnd;

/// <summary>
/// The newsletter as it runs locally: the timer's invocation → issue and campaign → DispatchDueWork → PlanCampaign →
/// batches → SendCampaignBatch → one SendGrid request per thousand → the sink.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class NewsletterCampaignTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task MonthlyTimer_SendsTheIssueOnceToEveryConsentingMember()
    {
        await using var app = await StartAsync();
        var members = await app.SeedMembersAsync(1_200, [ConsentPurpose.Newsletter], i => i % 4 == 0 ? Locale.English : Locale.Japanese);
        await app.SeedMembersAsync(30, []);
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item);

        Assert.Equal("Newsletter: Started", await FireTimerAsync(app));
        await Eventually.TrueAsync(async () => (await Stats(app)).Mails >= 1_200, "every member's newsletter reached the sink", seconds: 180);
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item);
        Assert.Equal("Newsletter: AlreadyComposed", await FireTimerAsync(app));

        var issueId = (await app.AdminJsonAsync("api/manage/campaigns")).EnumerateArray().Single().GetProperty("campaignId").GetString()!;
        await Eventually.TrueAsync(async () => (await app.AdminJsonAsync($"api/manage/campaigns/{issueId}")).GetProperty("status").GetString() == "Completed",
            "the campaign completed");
        var stats = await Stats(app);
        Assert.Equal((2, 1_200), (stats.Requests, stats.Mails));
        var mails = await app.OutboxAsync();
        Assert.Equal(members.Select(m => m.PersonalEmail.Value).Order(), mails.Select(m => m.To[0]).Order());
        var english = members.Where(m => m.Locale == Locale.English).Select(m => m.PersonalEmail.Value).ToHashSet();
        Assert.All(mails, m => Assert.Contains(english.Contains(m.To[0]) ? "New Year meetup" : "新年交流会のお知らせ", m.Html ?? "", StringComparison.Ordinal));
        var progress = await app.AdminJsonAsync($"api/manage/campaigns/{issueId}");
        Assert.Equal(1_230, progress.GetProperty("audienceSize").GetInt32());
        Assert.Equal(30, progress.GetProperty("skipped").GetProperty("no-consent:Newsletter").GetInt32());
    }

    [Theory]
    [InlineData("Closed", "Normal")]
    [InlineData("Open", "Sensitive")]
    public async Task OpeningClosedOrMadeSensitiveAfterTheIssueWasComposed_IsNotSent_TheRestOfTheIssueIs(string status, string confidentiality)
    {
        await using var app = await StartAsync();
        var members = await app.SeedMembersAsync(4, [ConsentPurpose.Newsletter], i => i % 2 == 0 ? Locale.English : Locale.Japanese);
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item);
        var openingId = await app.CreateOpeningAsync();
        await StoreIssueAsync(app, $"opening-{openingId}-");

        var changed = await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{openingId}", OpeningSeeds.Body(status: status, confidentiality: confidentiality));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        await AssertSentWithoutAsync(app, members, "Risk project", "リスク管理プロジェクト", "Open positions", "募集中のポジション", "api/alumni/openings");
    }

    [Fact]
    public async Task EventCancelledAfterTheIssueWasComposed_IsNotSent_TheRestOfTheIssueIs()
    {
        await using var app = await StartAsync();
        var members = await app.SeedMembersAsync(4, [ConsentPurpose.Newsletter], i => i % 2 == 0 ? Locale.English : Locale.Japanese);
        await app.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item);
        var eventId = await app.PublishedEventAsync();
        await StoreIssueAsync(app, $"event-{eventId}-");

        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/cancel")).StatusCode);

        await AssertSentWithoutAsync(app, members, "Alumni lecture", "アルムナイ講演会", "Upcoming events", "今後のイベント");
    }

    /// <summary>
    /// The newsletter's event entry carries each reader's own RSVP links: one request for both readers, the sink takes it;
    /// A's attend link opens the RSVP page and registers A; A's link answered from B's browser answers for A, never B;
    /// a tampered link is a 400 page that changes nothing; B's own link puts B on the waitlist of the now full event.
    /// </summary>
    [Fact]
    public async Task AnAttendLinkInTheNewsletter_RegistersItsOwnReaderOnly_ATamperedOneChangesNothing()
    {
        await using var app = await StartAsync();
        var members = await app.SeedMembersAsync(2, [ConsentPurpose.Newsletter], _ => Locale.English);
        var (a, b) = (members[0].PersonalEmail.Value, members[1].PersonalEmail.Value);
        // Nobody consented to event mail: no invitation went, the newsletter is the only way to reply.
        var eventId = await app.PublishedEventAsync(capacity: 1);

        Assert.Equal("Newsletter: Started", await FireTimerAsync(app));
        await Eventually.TrueAsync(async () => (await Stats(app)).Mails >= 2, "both newsletters reached the sink", seconds: 120);
        var mails = (await app.OutboxAsync()).ToDictionary(m => m.To[0]);
        Assert.Equal((1, 2), ((await Stats(app)).Requests, (await Stats(app)).Mails));
        var (aAttend, bAttend) = (AttendLink(mails[a]), AttendLink(mails[b]));
        Assert.NotEqual(aAttend, bAttend);
        Assert.Contains($"href=\"{aAttend.Replace("&", "&amp;", StringComparison.Ordinal)}\"", mails[a].Html, StringComparison.Ordinal);
        Assert.Contains("I cannot attend: ", mails[a].Text, StringComparison.Ordinal);

        var page = await app.Client.GetAsync(new Uri(aAttend).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Alumni lecture", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var answered = await AnswerAsync(app, aAttend, "198.51.100.1");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("You are registered", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // B's browser with A's link: the link answers for A, whoever holds it, so it changes nothing for anyone.
        var borrowed = await AnswerAsync(app, aAttend, "203.0.113.9");
        Assert.Contains("We already have this answer", await borrowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await app.OutboxAsync()).Any(m => m.To[0] == a && m.Categories.Contains("event")), "A's confirmation went", seconds: 60);
        var before = await QuietSnapshotAsync(app);
        var tampered = Tampered(bAttend);
        var shown = await app.Client.GetAsync(new Uri(tampered).PathAndQuery);
        var posted = await AnswerAsync(app, tampered, "203.0.113.9");
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (shown.StatusCode, posted.StatusCode));
        Assert.Equal(before, await app.SnapshotAsync());

        var list = await app.AdminJsonAsync($"api/manage/events/{eventId}/attendees");
        Assert.Equal([a], list.GetProperty("attending").EnumerateArray().Select(x => x.GetProperty("personalEmail").GetString()));
        Assert.Equal(0, list.GetProperty("waitlist").GetArrayLength());

        Assert.Contains("waitlist", await (await AnswerAsync(app, bAttend, "203.0.113.9")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await app.AdminJsonAsync($"api/manage/events/{eventId}/attendees");
        Assert.Equal([b], after.GetProperty("waitlist").EnumerateArray().Select(x => x.GetProperty("personalEmail").GetString()));
    }

    /// <summary>Every row once the work the answers set going has settled: two snapshots two seconds apart agree.</summary>
    private static async Task<IReadOnlyList<string>> QuietSnapshotAsync(TestApp app)
    {
        var snapshot = await app.SnapshotAsync();
        for (var i = 0; i < 15; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var again = await app.SnapshotAsync();
            if (again.SequenceEqual(snapshot))
            {
                return again;
            }

            snapshot = again;
        }

        Assert.Fail("The app's tables did not settle within 30 seconds.");
        return snapshot;
    }

    /// <summary>The reader's "attend" link from the text part of their newsletter.</summary>
    private static string AttendLink(OutboxMail mail) => Assert.Single(RsvpAttendLink().Matches(mail.Text!)).Groups["url"].Value;

    /// <summary>The link with one character of its token's signed content changed.</summary>
    private static string Tampered(string link)
    {
        var token = Uri.UnescapeDataString(RsvpToken().Match(link).Groups["token"].Value);
        var parts = token.Split('.');
        parts[1] = (parts[1][0] == 'A' ? "B" : "A") + parts[1][1..];
        return link.Replace(RsvpToken().Match(link).Groups["token"].Value, Uri.EscapeDataString(string.Join('.', parts)), StringComparison.Ordinal);
    }

    /// <summary>The RSVP form as a browser posts it from the page the link opened.</summary>
    private static async Task<HttpResponseMessage> AnswerAsync(TestApp app, string link, string clientAddress)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/alumni/rsvp")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", Uri.UnescapeDataString(RsvpToken().Match(link).Groups["token"].Value)), KeyValuePair.Create("choice", "attend")]),
        };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return await app.Client.SendAsync(request);
    }

    [GeneratedRegex(@"I will attend: (?<url>\S+/api/alumni/rsvp\?token=[^\s&]+&choice=attend)")]
    private static partial Regex RsvpAttendLink();

    [GeneratedRegex(@"token=(?<token>[^\s&""<]+)")]
    private static partial Regex RsvpToken();

    /// <summary>
    /// Composes and stores the month's issue as the tick does, its campaign not started yet (a start caught up days later,
    /// ADR 0034); it lists the entry whose key starts with <paramref name="keyPrefix"/>.
    /// </summary>
    private static async Task StoreIssueAsync(TestApp app, string keyPrefix)
    {
        using var scope = app.Services.CreateScope();
        var issue = await scope.ServiceProvider.GetRequiredService<NewsletterDraft>().ComposeAsync(scope.ServiceProvider.GetRequiredService<INewsletterIssueStore>(), CancellationToken.None);
        Assert.Contains(issue.Entries, e => e.Key.StartsWith(keyPrefix, StringComparison.Ordinal));
        Assert.True(await scope.ServiceProvider.GetRequiredService<INewsletterIssueStore>().TryAddAsync(issue, CancellationToken.None));
    }

    /// <summary>Starts the stored issue's campaign with the tick; every member gets the news item in their language, and none of <paramref name="absent"/>.</summary>
    private static async Task AssertSentWithoutAsync(TestApp app, IReadOnlyList<Alumnus> members, params string[] absent)
    {
        Assert.Equal("Newsletter: AlreadyComposed", await FireTimerAsync(app));
        await Eventually.TrueAsync(async () => (await Stats(app)).Mails >= members.Count, "every member's newsletter reached the sink", seconds: 120);
        var mails = await app.OutboxAsync();
        Assert.Equal(members.Select(m => m.PersonalEmail.Value).Order(), mails.Select(m => m.To[0]).Order());
        var english = members.Where(m => m.Locale == Locale.English).Select(m => m.PersonalEmail.Value).ToHashSet();
        Assert.All(mails, m =>
        {
            var content = (m.Html ?? "") + (m.Text ?? "");
            Assert.Contains(english.Contains(m.To[0]) ? "New Year meetup" : "新年交流会のお知らせ", content, StringComparison.Ordinal);
            foreach (var text in absent)
            {
                Assert.DoesNotContain(text, content, StringComparison.Ordinal);
            }
        });
    }

    /// <summary>The app with empty campaign queues and the newsletter due every minute, so a tick finds the month's issue due whenever the test runs.</summary>
    private async Task<TestApp> StartAsync()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        foreach (var name in new[] { "campaign-plans", "campaign-batches", "campaign-plans-deadletter", "campaign-batches-deadletter" })
        {
            await queues.GetQueueClient(name).CreateIfNotExistsAsync();
            await queues.GetQueueClient(name).ClearMessagesAsync();
        }

        var settings = WelcomeQueue.LocalRunSettings();
        settings["NewsletterSchedule"] = "0 0 0 * * *"; // daily, the closest allowed: always due within the catch-up week
        return await TestApp.StartAsync(azurite, settings);
    }

    private static async Task<OutboxStats> Stats(TestApp app) => (await app.Client.GetFromJsonAsync<OutboxStats>("dev/outbox/stats"))!;

    /// <summary>The invocation the Functions host sends when the newsletter timer ticks; the line it logs.</summary>
    private static async Task<string?> FireTimerAsync(TestApp app)
    {
        var envelope = new JsonObject
        {
            ["Data"] = new JsonObject { ["timer"] = new JsonObject { ["Schedule"] = new JsonObject(), ["IsPastDue"] = false } },
            ["Metadata"] = new JsonObject(),
        };
        var response = await app.Client.PostAsJsonAsync("ComposeNewsletter", envelope);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())?["Logs"]?.AsArray().LastOrDefault()?.GetValue<string>();
    }
}
