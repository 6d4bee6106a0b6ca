using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>
/// A batch that claimed its recipients and was refused by SendGrid, then sent hours later, by the same message
/// delivered again once the asked wait ended or by an admin's re-drive of its dead letter (ADR 0024): every recipient
/// is asked again, so someone who unsubscribed or was erased in between is not mailed, and an unsubscriber's claim on
/// the promotional cap is given back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignRecheckTests(AzuriteFixture azurite)
{
    private const string Queue = "campaign-batches";
    private const int Members = 5;

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task BatchRefusedThenSentAgain_SomeoneWhoUnsubscribedOrWasErasedInBetween_IsNotMailed(bool redriven, bool erased)
    {
        await using var provider = await SendGridStandIn.StartAsync();
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString() });
        var members = await app.SeedMembersAsync(Members, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync($"newsletter-recheck-{(redriven ? "redriven" : "redelivered")}-{(erased ? "erased" : "unsubscribed")}");
        var message = CampaignRunner.BatchMessage(campaign, 1);

        // Throttled past what the call waits, or failing on every try: given back unsent, everyone claimed.
        (provider.RefuseWith, provider.RetryAfter) = (_ => redriven ? 503 : 429, redriven ? "0" : "3600");
        using (var scope = app.Services.CreateScope())
        {
            Assert.Equal(WorkRunOutcome.RetryScheduled, (await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(message, CancellationToken.None)).Work);
        }

        var store = app.Services.GetRequiredService<IAlumniStore>();
        var gone = members[2];
        Assert.Contains((await store.GetAsync(gone.Id, CancellationToken.None))!.Contacts, c => c.CampaignId == campaign.Id);
        var left = erased
            ? await app.PostFormAsync(LinkPurpose.Erase, gone.Id)
            : await app.Client.PostAsync(
                $"api/alumni/unsubscribe?token={Uri.EscapeDataString(app.Token(LinkPurpose.Unsubscribe, gone.Id))}",
                new FormUrlEncodedContent([KeyValuePair.Create("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);

        provider.RefuseWith = _ => null;
        if (redriven)
        {
            await RedriveAsync(app, message);
        }
        else
        {
            // The asked wait has passed when the message comes again.
            var campaigns = app.Services.GetRequiredService<ICampaignStore>();
            var batch = (await campaigns.GetBatchAsync(campaign.Id, 1, CancellationToken.None))!;
            batch.NotBefore = TimeProvider.System.GetUtcNow().AddSeconds(-1);
            Assert.True(await campaigns.TryUpdateBatchAsync(batch, CancellationToken.None));
            Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        }

        var mailed = provider.Mails.Select(m => m.To).ToArray();
        Assert.Equal(Members - 1, mailed.Length);
        Assert.Equal(members.Where(m => m.Id != gone.Id).Select(m => m.PersonalEmail.Value).Order(), mailed.Order());
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((Members - 1, 0, 1), (progress.Sent, progress.Pending, progress.Skipped.Values.Sum()));
        if (!erased)
        {
            Assert.DoesNotContain((await store.GetAsync(gone.Id, CancellationToken.None))!.Contacts, c => c.CampaignId == campaign.Id);
        }
    }

    /// <summary>The message dead-lettered by the queue, re-driven by an admin, and handled as the queue trigger would.</summary>
    private async Task RedriveAsync(TestApp app, WorkMessage message)
    {
        var service = new QueueServiceClient(azurite.ConnectionString);
        var (queue, deadLetters) = (service.GetQueueClient(Queue), service.GetQueueClient(Queue + StoredDeadLetter.QueueSuffix));
        foreach (var q in new[] { queue, deadLetters })
        {
            await q.CreateIfNotExistsAsync();
            await q.ClearMessagesAsync();
        }

        await deadLetters.DeadLetterAsync(JsonSerializer.Serialize(message, JsonSerializerOptions.Web));

        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/dead-letters/{Queue}/redrive")).StatusCode);

        var redriven = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value);
        await app.InvokeAsync("SendCampaignBatch", JsonDocument.Parse(redriven.MessageText).RootElement);
        await queue.DeleteMessageAsync(redriven.MessageId, redriven.PopReceipt);
    }
}
