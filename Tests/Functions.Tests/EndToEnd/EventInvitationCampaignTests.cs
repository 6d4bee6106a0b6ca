using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Azure.Storage.Queues;

namespace AlumniNetwork.Functions.Tests.EndToEnd;

/// <summary>
/// An event published to 2,500 alumni as it runs locally: publish → campaign → DispatchDueWork → PlanCampaign →
/// SendCampaignBatch (one SendGrid request per thousand) → the sink; then alumni answer through the links in their own
/// invitations, all at once for a hundred seats, and every answer's notice goes out through the event-mail queue.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class EventInvitationCampaignTests(AzuriteFixture azurite)
{
    private const int Invited = 2_500;
    private const int Seats = 100;

    [Fact]
    public async Task EventPublishedTo2500Alumni_InvitesEachOnceInThreeRequests_AndTheirAnswersFillTheSeatsThenTheWaitlist()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        foreach (var name in new[] { "campaign-plans", "campaign-batches", "event-mail" })
        {
            foreach (var queue in new[] { name, name + "-deadletter" })
            {
                await queues.GetQueueClient(queue).CreateIfNotExistsAsync();
                await queues.GetQueueClient(queue).ClearMessagesAsync();
            }
        }

        await using var app = await TestApp.StartAsync(azurite, WelcomeQueue.LocalRunSettings());
        var members = await app.SeedMembersAsync(Invited, [ConsentPurpose.Events], email: i => $"guest{i}@example.net");
        await app.SeedMembersAsync(50, [ConsentPurpose.Newsletter], email: i => $"newsletter-only{i}@example.net");

        var eventId = await app.PublishedEventAsync(capacity: Seats);
        await Eventually.TrueAsync(async () => (await StatsAsync(app)).Mails >= Invited, "every invitation reached the sink", seconds: 180);

        var invitations = (await app.OutboxAsync()).Where(m => m.Categories.Contains("Events")).ToArray();
        Assert.Equal(3, (await StatsAsync(app)).Requests);
        Assert.Equal(members.Select(m => m.PersonalEmail.Value).Order(), invitations.Select(m => Assert.Single(m.To)).Order());
        var campaign = (await app.AdminJsonAsync("api/manage/campaigns")).EnumerateArray().Single();
        Assert.Equal(50, (await app.AdminJsonAsync($"api/manage/campaigns/{campaign.GetProperty("campaignId").GetString()}"))
            .GetProperty("skipped").GetProperty("no-consent:Events").GetInt32());

        // 120 want one of the 100 seats, all at once, each through their own invitation's link; 10 decline.
        var links = invitations.ToDictionary(m => m.To[0], m => RsvpLink().Match(m.Text!).Groups["token"].Value);
        var attending = members.Take(120).ToArray();
        var declining = members.Skip(120).Take(10).ToArray();
        var answers = attending.Select(m => (Member: m, Choice: "attend")).Concat(declining.Select(m => (Member: m, Choice: "decline"))).ToArray();
        var responses = new HttpStatusCode[answers.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, answers.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            responses[i] = (await AnswerAsync(app, links[answers[i].Member.PersonalEmail.Value], answers[i].Choice, client: i, ct)).StatusCode;
        });
        Assert.All(responses, status => Assert.Equal(HttpStatusCode.OK, status));

        var list = await app.AdminJsonAsync($"api/manage/events/{eventId}/attendees");
        Assert.Equal((Seats, 20, 10), (list.GetProperty("attending").GetArrayLength(), list.GetProperty("waitlist").GetArrayLength(), list.GetProperty("declined").GetInt32()));
        Assert.Equal(Enumerable.Range(1, 20), list.GetProperty("waitlist").EnumerateArray().Select(w => w.GetProperty("waitlistPlace").GetInt32()));

        // Each answer is noticed once, with the state it came to (a notice tells a person where they stand when it goes).
        await Eventually.TrueAsync(async () => (await StatsAsync(app)).Mails >= Invited + 120, "every answer's notice reached the sink", seconds: 120);

        // Five with a seat give it up: the first five on the waitlist move up.
        var leaving = list.GetProperty("attending").EnumerateArray().Take(5).Select(a => a.GetProperty("personalEmail").GetString()!).ToArray();
        var movingUp = list.GetProperty("waitlist").EnumerateArray().Take(5).Select(w => w.GetProperty("personalEmail").GetString()!).ToArray();
        foreach (var (email, client) in leaving.Select((email, i) => (email, 200 + i)))
        {
            Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(app, links[email], "decline", client, CancellationToken.None)).StatusCode);
        }

        // Every change of a registration is noticed once: 100 confirmations, 20 waitlist places, 5 seats given up, 5
        // promotions. Declining an invitation one never accepted is recorded on the page and needs no mail.
        await Eventually.TrueAsync(async () => (await StatsAsync(app)).Mails >= Invited + 130, "every notice reached the sink", seconds: 120);
        var notices = (await app.OutboxAsync()).Where(m => m.Categories.Contains("event")).ToArray();
        Assert.Equal(
            new Dictionary<string, int> { ["Confirmed"] = 100, ["Waitlisted"] = 20, ["Declined"] = 5, ["Promoted"] = 5 },
            notices.GroupBy(m => m.CustomArgs["notice"]).ToDictionary(g => g.Key, g => g.Count()));
        Assert.Equal(movingUp.Order(), notices.Where(m => m.CustomArgs["notice"] == "Promoted").Select(m => m.To[0]).Order());
        Assert.Equal(leaving.Order(), notices.Where(m => m.CustomArgs["notice"] == "Declined").Select(m => m.To[0]).Order());
        Assert.Equal((3 + 130, Invited + 130), ((await StatsAsync(app)).Requests, (await StatsAsync(app)).Mails));

        var after = await app.AdminJsonAsync($"api/manage/events/{eventId}/attendees");
        Assert.Equal((Seats, 15, 15), (after.GetProperty("attending").GetArrayLength(), after.GetProperty("waitlist").GetArrayLength(), after.GetProperty("declined").GetInt32()));
        Assert.Superset(movingUp.ToHashSet(), after.GetProperty("attending").EnumerateArray().Select(a => a.GetProperty("personalEmail").GetString()!).ToHashSet());
    }

    /// <summary>The RSVP form as each person's browser posts it, from their own address as the platform's front end reports it.</summary>
    private static async Task<HttpResponseMessage> AnswerAsync(TestApp app, string token, string choice, int client, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/alumni/rsvp")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", Uri.UnescapeDataString(token)), KeyValuePair.Create("choice", choice)]),
        };
        request.Headers.Add("X-Forwarded-For", $"198.51.100.{client % 250}");
        return await app.Client.SendAsync(request, cancellationToken);
    }

    private static async Task<OutboxStats> StatsAsync(TestApp app) => (await app.Client.GetFromJsonAsync<OutboxStats>("dev/outbox/stats"))!;

    [GeneratedRegex(@"api/alumni/rsvp\?token=(?<token>[^\s""<&]+)")]
    private static partial Regex RsvpLink();
}
