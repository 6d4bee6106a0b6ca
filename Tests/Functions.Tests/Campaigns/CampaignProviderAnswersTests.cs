using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Hosting.Email;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>
/// What a batch does with SendGrid's refusals, through the app's own HTTP pipeline: throttling and SendGrid's errors
/// are retried after the wait SendGrid asks for; a batch that keeps being refused is given back unsent and goes later,
/// once; a gateway's 502 or 504 is never repeated, because SendGrid behind it may have accepted the mails.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignProviderAnswersTests(AzuriteFixture azurite)
{
    private const int Members = 30;

    private async Task<(TestApp App, SendGridStandIn Provider, Campaign Campaign)> StartAsync()
    {
        var provider = await SendGridStandIn.StartAsync();
        var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString() });
        await app.SeedMembersAsync(Members, [ConsentPurpose.Newsletter]);
        return (app, provider, await app.StartAndPlanAsync("newsletter-refused"));
    }

    [Fact]
    public async Task Throttled_IsRetriedAfterTheRetryAfterWaitAndEveryoneGetsOneMail()
    {
        var (app, provider, campaign) = await StartAsync();
        await using var _ = app;
        await using var __ = provider;
        (provider.RefuseWith, provider.RetryAfter) = (n => n == 1 ? 429 : null, "2");

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));

        var requests = provider.RequestTimes.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1] - requests[0] >= TimeSpan.FromSeconds(1.9), $"retried after {requests[1] - requests[0]}, not the 2 s SendGrid asked for");
        Assert.Equal(Members, provider.Mails.Select(m => m.To).Distinct().Count());
        Assert.Equal(Members, provider.Mails.Count);
    }

    [Fact]
    public async Task ThrottledWithARetryAfterLongerThanTheCallWaits_NotWaitedInTheCall_BatchGivenBackAndTheItemWaitsWhatSendGridAsked()
    {
        var (app, provider, campaign) = await StartAsync();
        await using var _ = app;
        await using var __ = provider;
        (provider.RefuseWith, provider.RetryAfter) = (_ => 429, "120");
        var store = app.Services.GetRequiredService<IWorkItemStore>();
        var started = TimeProvider.System.GetUtcNow();
        var item = new WorkItem { Kind = WorkKinds.CampaignBatch, SubjectId = CampaignBatch.KeyOf(campaign.Id, 1), DueAt = started };
        await store.ScheduleAsync(item, CancellationToken.None);

        using (var scope = app.Services.CreateScope())
        {
            var refused = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(item.ToMessage(), CancellationToken.None);
            Assert.Null(refused.Batch);
            Assert.Equal(WorkRunOutcome.RetryScheduled, refused.Work);
        }

        Assert.Single(provider.RequestTimes);
        Assert.True(TimeProvider.System.GetUtcNow() - started < BulkEmailResilience.LongestWaitInCall, "the call waited for SendGrid's Retry-After");
        Assert.Equal(BatchStatus.Planned, (await app.Services.GetRequiredService<ICampaignStore>().GetBatchAsync(campaign.Id, 1, CancellationToken.None))!.Status);
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Sends), r => r.GetString("Status") is "Sent" or "Unknown" or "Unconfirmed");
        Assert.Equal(0, (await app.ProgressAsync(campaign.Id)).Sent);
        var waiting = (await store.FindAsync(item.PartitionKey, item.RowKey, CancellationToken.None))!;
        Assert.True(waiting.LeasedUntil >= started + TimeSpan.FromSeconds(120), $"the item retries at {waiting.LeasedUntil:O}, before the 120 s SendGrid asked for");
    }

    [Fact]
    public async Task ThrottledWithALongRetryAfter_ADuplicateDeliveryBeforeTheWaitEnds_SendsNothingAndWaitsToo()
    {
        var (app, provider, campaign) = await StartAsync();
        await using var _ = app;
        await using var __ = provider;
        (provider.RefuseWith, provider.RetryAfter) = (_ => 429, "120");
        var started = TimeProvider.System.GetUtcNow();
        var message = CampaignRunner.BatchMessage(campaign, 1);
        using (var scope = app.Services.CreateScope())
        {
            Assert.Equal(WorkRunOutcome.RetryScheduled, (await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(message, CancellationToken.None)).Work);
        }

        // The wait is on the stored batch row, which is what a duplicate delivery or a re-drive of the message reads.
        var batch = (await app.Services.GetRequiredService<ICampaignStore>().GetBatchAsync(campaign.Id, 1, CancellationToken.None))!;
        Assert.True(batch.NotBefore >= started + TimeSpan.FromSeconds(120), $"the batch may go at {batch.NotBefore:O}, before the 120 s SendGrid asked for");
        provider.RefuseWith = _ => null;
        using (var scope = app.Services.CreateScope())
        {
            Assert.Equal(BatchOutcome.Throttled, (await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(message, CancellationToken.None)).Batch);
        }

        Assert.Single(provider.RequestTimes);
        Assert.Empty(provider.Mails);
        Assert.Equal(BatchStatus.Planned, (await app.Services.GetRequiredService<ICampaignStore>().GetBatchAsync(campaign.Id, 1, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task RefusedOnEveryTry_BatchIsGivenBackUnsent_ThenGoesOnceWhenSendGridRecovers()
    {
        var (app, provider, campaign) = await StartAsync();
        await using var _ = app;
        await using var __ = provider;
        provider.RefuseWith = n => n <= 4 ? 503 : null;

        using (var scope = app.Services.CreateScope())
        {
            var refused = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(CampaignRunner.BatchMessage(campaign, 1), CancellationToken.None);
            Assert.Null(refused.Batch);
            Assert.Equal(WorkRunOutcome.RetryScheduled, refused.Work);
        }

        Assert.Equal(4, provider.RequestTimes.Count);
        Assert.Empty(provider.Mails);
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Sends), r => r.GetString("Status") == "Sent");
        Assert.Equal(0, (await app.ProgressAsync(campaign.Id)).Sent);

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(Members, provider.Mails.Select(m => m.To).Distinct().Count());
        Assert.Equal(Members, provider.Mails.Count);
        Assert.Equal(Members, (await app.ProgressAsync(campaign.Id)).Sent);
    }

    [Fact]
    public async Task BatchGivenBackAfterARefusal_CountsEachPersonOnce_SkippedPlusSentPlusFailedPlusPendingIsTheAudience()
    {
        await using var provider = await SendGridStandIn.StartAsync();
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString() });
        var members = await app.SeedMembersAsync(Members, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync("newsletter-given-back");
        // Contactable when planned, not when the batch goes: refused at send time, counted in the batch's skipped.
        foreach (var member in members.Take(5))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{member.Id.Value}/flags", """{"doNotContact":true}""")).StatusCode);
        }

        provider.RefuseWith = n => n <= 4 ? 401 : null;
        using (var scope = app.Services.CreateScope())
        {
            var refused = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(CampaignRunner.BatchMessage(campaign, 1), CancellationToken.None);
            Assert.Null(refused.Batch);
        }

        var givenBack = await app.ProgressAsync(campaign.Id);
        Assert.Equal(BatchStatus.Planned, (await app.Services.GetRequiredService<ICampaignStore>().GetBatchAsync(campaign.Id, 1, CancellationToken.None))!.Status);
        Assert.Equal((5, 0, 0, Members - 5), (givenBack.Skipped.Values.Sum(), givenBack.Sent, givenBack.Failed, givenBack.Pending));
        Assert.Equal(givenBack.AudienceSize, givenBack.Skipped.Values.Sum() + givenBack.Sent + givenBack.Failed + givenBack.Pending);

        provider.RefuseWith = _ => null;
        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        var sent = await app.ProgressAsync(campaign.Id);
        Assert.Equal((5, Members - 5, 0), (sent.Skipped.Values.Sum(), sent.Sent, sent.Pending));
        Assert.Equal(sent.AudienceSize, sent.Skipped.Values.Sum() + sent.Sent + sent.Failed + sent.Pending);
    }

    [Fact]
    public async Task BadRequestNamingEveryRecipient_DropsNobody_BatchGivenBackAndTheItemWaitsForAnOperator()
    {
        var (app, provider, campaign) = await StartAsync();
        await using var _ = app;
        await using var __ = provider;
        (provider.RefuseWith, provider.RefusalNamesEach) = (n => n == 1 ? 400 : null, true);

        using (var scope = app.Services.CreateScope())
        {
            var refused = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(CampaignRunner.BatchMessage(campaign, 1), CancellationToken.None);
            Assert.Null(refused.Batch);
            Assert.Equal(WorkRunOutcome.Failed, refused.Work);
        }

        Assert.Single(provider.RequestTimes);
        Assert.Empty(provider.Mails);
        Assert.Equal(BatchStatus.Planned, (await app.Services.GetRequiredService<ICampaignStore>().GetBatchAsync(campaign.Id, 1, CancellationToken.None))!.Status);
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Sends), r => r.GetString("Status") is "Dropped" or "Sent" or "Unknown");
        var givenBack = await app.ProgressAsync(campaign.Id);
        Assert.Equal((0, 0, Members), (givenBack.Sent, givenBack.Failed, givenBack.Pending));

        // An operator fixes what they shared and retries: everyone gets their mail once.
        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(Members, provider.Mails.Select(m => m.To).Distinct().Count());
        Assert.Equal(Members, provider.Mails.Count);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    public async Task GatewayGaveUp_IsNotRepeated_TheBatchWaitsForEvidence(int status)
    {
        var (app, provider, campaign) = await StartAsync();
        await using var _ = app;
        await using var __ = provider;
        provider.RefuseWith = n => n == 1 ? status : null;

        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));

        Assert.Single(provider.RequestTimes);
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        Assert.Single(provider.RequestTimes);
    }
}
