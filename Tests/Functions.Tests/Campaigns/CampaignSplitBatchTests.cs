using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>
/// A batch whose attempt takes several requests (here a 400 naming the personalizations but none of them, which halves it): each request
/// is settled by what is known about it alone, and recipients of a request never made are sent by the next attempt.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignSplitBatchTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>Shorter than <see cref="Window"/>: the webhook's heartbeat is noted often enough to cover it.</summary>
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(4);

    /// <summary>40 members, one batch; the stand-in refuses the whole first request for its personalizations, naming none.</summary>
    private async Task<(TestApp App, SendGridStandIn Provider, Campaign Campaign)> HalvedBatchAsync(string campaignId)
    {
        var provider = await SendGridStandIn.StartAsync();
        provider.AnswerDelay = TimeSpan.FromSeconds(3);
        provider.IsSlow = _ => false;
        var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString(),
            ["SendGrid:RequestTimeout"] = "00:00:01",
            ["Sending:OutcomeWindow"] = Window.ToString(),
            ["Sending:WebhookGap"] = Gap.ToString(),
        });
        await app.SeedMembersAsync(40, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync(campaignId);
        return (app, provider, campaign);
    }

    [Fact]
    public async Task FirstHalfUnknownThenProvenByEvents_SecondHalfNeverRequestedIsSentNextAndNobodyTwice()
    {
        var (app, provider, campaign) = await HalvedBatchAsync("newsletter-split-a");
        await using var _ = app;
        await using var __ = provider;
        provider.RefuseWith = n => n == 1 ? 400 : null;
        provider.IsSlow = n => n == 2;
        provider.EventWebhook = app.BaseAddress;

        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(20, provider.Mails.Count);
        await Eventually.TrueAsync(async () => (await app.RowsAsync(AlumniTables.Sends)).Count(r => r.GetString("Status") == "Sent") == 20, "the processed events settled the first half");
        await Task.Delay(Window);

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(40, provider.Mails.Count);
        Assert.Equal(40, provider.Mails.Select(m => m.To).Distinct().Count());
        Assert.All(provider.Mails.Skip(20), m => Assert.EndsWith("/2", m.CustomArgs["sendId"], StringComparison.Ordinal));
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((40, 0, CampaignStatus.Completed), (progress.Sent, progress.Failed, progress.Status));
    }

    [Fact]
    public async Task PartAcceptedThenLaterPartUnknown_AnEventAboutTheAcceptedPartDoesNotProveTheOther()
    {
        var (app, provider, campaign) = await HalvedBatchAsync("newsletter-split-b");
        await using var _ = app;
        await using var __ = provider;

        // The second half never reaches SendGrid: a gateway answers 504, which says nothing about what lay behind it.
        // The webhook accepts posts throughout, so the silence about that half proves it never arrived (ADR 0024).
        provider.RefuseWith = n => n == 1 ? 400 : n >= 3 ? 504 : null;
        using var stop = new CancellationTokenSource();
        await app.WebhookAcceptsPostsForAsync(TimeSpan.Zero);
        var accepting = app.WebhookAcceptsPostsForAsync(TimeSpan.FromMinutes(2), stop.Token);
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        var firstHalf = provider.Mails.ToArray();
        Assert.Equal(20, firstHalf.Length);

        var dropped = SendGridEventPosts.Event("dropped", firstHalf[0].CustomArgs["alumnusId"], firstHalf[0].To, campaign: campaign.Id);
        dropped["sendId"] = firstHalf[0].CustomArgs["sendId"];
        (await app.PostEventsAsync(dropped)).EnsureSuccessStatusCode();
        await Task.Delay(Window + TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await accepting;
        provider.RefuseWith = _ => null;

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(40, provider.Mails.Count);
        Assert.Equal(40, provider.Mails.Select(m => m.To).Distinct().Count());
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((39, 1, CampaignStatus.Completed), (progress.Sent, progress.Failed, progress.Status));
    }

    [Fact]
    public async Task PartAcceptedThenLaterPartThrottledAndCampaignStopped_StoppedBatchKeepsWhatWasSent()
    {
        var (app, provider, campaign) = await HalvedBatchAsync("newsletter-split-stop");
        await using var _ = app;
        await using var __ = provider;
        provider.RefuseWith = n => n == 1 ? 400 : n >= 3 ? 429 : null;

        using (var scope = app.Services.CreateScope())
        {
            var (batch, work) = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(CampaignRunner.BatchMessage(campaign, 1), CancellationToken.None);
            Assert.Null(batch);
            Assert.Equal(WorkRunOutcome.RetryScheduled, work);
        }

        Assert.Equal(20, provider.Mails.Count);
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ICampaigns>().StopAsync(campaign.Id, CancellationToken.None);
        }

        Assert.Equal(BatchOutcome.Stopped, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(20, provider.Mails.Count);
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Stopped, 20, 0), (progress.Status, progress.Sent, progress.Failed));
        Assert.Equal(20, (await app.RowsAsync(AlumniTables.Sends)).Count(r => r.GetString("Status") == "Sent"));
    }

    [Fact]
    public async Task PartAcceptedThenLaterPartThrottled_NextRunNumbersItsRequestsAfterTheAcceptedOne_SoThatOneProvesNothingAboutThem()
    {
        var (app, provider, campaign) = await HalvedBatchAsync("newsletter-split-renumber");
        await using var _ = app;
        await using var __ = provider;

        // First run: halved, the first half accepted (request 2), the second throttled on every try, so the batch is
        // given back with the same attempt. Second run: the second half is halved again and a gateway answers 504 for
        // its first quarter, which never reaches SendGrid. Numbered from 1 again, that quarter would share request 2
        // with the accepted half, whose 202 would settle it as sent (ADR 0024: evidence settles its own request only).
        provider.RefuseWith = n => n is 1 or 7 ? 400 : n is >= 3 and <= 6 ? 429 : n == 8 ? 504 : null;
        using (var scope = app.Services.CreateScope())
        {
            var (batch, work) = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(CampaignRunner.BatchMessage(campaign, 1), CancellationToken.None);
            Assert.Null(batch);
            Assert.Equal(WorkRunOutcome.RetryScheduled, work);
        }

        Assert.Equal(20, provider.Mails.Count);
        using var stop = new CancellationTokenSource();
        await app.WebhookAcceptsPostsForAsync(TimeSpan.Zero);
        var accepting = app.WebhookAcceptsPostsForAsync(TimeSpan.FromMinutes(2), stop.Token);
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(20, provider.Mails.Count);
        var unknown = (await app.RowsAsync(AlumniTables.Sends)).Where(r => r.GetString("Status") == "Unknown").ToArray();
        Assert.Equal(10, unknown.Length);
        Assert.All(unknown, r => Assert.True(r.GetInt32("Request") > 2, $"request {r.GetInt32("Request")} reused a number of the accepted half"));

        await Task.Delay(Window + TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await accepting;

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(40, provider.Mails.Count);
        Assert.Equal(40, provider.Mails.Select(m => m.To).Distinct().Count());
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Sends), r => r.GetString("Evidence") == "request-accepted");
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((40, 0, CampaignStatus.Completed), (progress.Sent, progress.Failed, progress.Status));
    }
}
