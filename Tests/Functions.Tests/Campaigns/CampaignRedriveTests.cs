using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>
/// Campaign batch messages the queue gave up on, re-driven by an operator through the admin API and handled again by
/// SendCampaignBatch as the host would: a batch already sent sends nothing twice, a batch never sent reaches each of its
/// recipients once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignRedriveTests(AzuriteFixture azurite)
{
    private const string Queue = "campaign-batches";
    private const int People = 1_001;

    [Fact]
    public async Task RedrivenBatchMessages_MailOnlyTheRecipientsNotYetSent_OnceEach()
    {
        var service = new QueueServiceClient(azurite.ConnectionString);
        var (queue, deadLetters) = (service.GetQueueClient(Queue), service.GetQueueClient(Queue + StoredDeadLetter.QueueSuffix));
        foreach (var q in new[] { queue, deadLetters })
        {
            await q.CreateIfNotExistsAsync();
            await q.ClearMessagesAsync();
        }

        await using var provider = await SendGridStandIn.StartAsync();
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString() });
        // Too many for one batch: one batch per language, of 600 and 401.
        await app.SeedMembersAsync(People, [ConsentPurpose.Newsletter], locale: i => i < 600 ? Locale.Japanese : Locale.English);
        var campaign = await app.StartAndPlanAsync("newsletter-redriven");
        Assert.Equal(2, campaign.Batches);
        Assert.Equal(Core.Campaigns.BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        var first = provider.Mails.Select(m => m.To).ToHashSet();
        Assert.True(first.Count is 600 or 401, $"{first.Count}");

        // Batch 1's message was delivered again and gave up too; batch 2's never got through.
        await deadLetters.DeadLetterAsync(JsonSerializer.Serialize(CampaignRunner.BatchMessage(campaign, 1), JsonSerializerOptions.Web));
        await deadLetters.DeadLetterAsync(JsonSerializer.Serialize(CampaignRunner.BatchMessage(campaign, 2), JsonSerializerOptions.Web));

        var redrive = await app.AdminAsync(HttpMethod.Post, $"api/manage/dead-letters/{Queue}/redrive");

        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.Equal(2, (await redrive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redriven").GetInt32());
        var messages = (await queue.ReceiveMessagesAsync(32)).Value;
        Assert.Equal(2, messages.Length);
        foreach (var message in messages)
        {
            await app.InvokeAsync("SendCampaignBatch", JsonDocument.Parse(message.MessageText).RootElement);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        var mails = provider.Mails.Select(m => m.To).ToArray();
        Assert.Equal(People, mails.Length);
        Assert.Equal(People, mails.Distinct().Count());
        Assert.Equal(first.Count, mails.Count(first.Contains));
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((People, 0, 2), (progress.Sent, progress.Pending, progress.BatchesDone));
        Assert.Equal(0, (await deadLetters.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
