using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>
/// A stopped campaign gives back the promotional-cap claims of the recipients no request of it carried (ADR 0023), so
/// the corrected campaign an admin sends next is not refused for the cap by mail that never went; anyone a request may
/// have reached keeps their claim. The cap is one mail here, so a claim left behind shows as a `cap` refusal.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignStopClaimsTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>40 members, one batch; the stand-in refuses the first request for its personalizations, naming none, so it is halved.</summary>
    private async Task<(TestApp App, SendGridStandIn Provider, Campaign Campaign)> HalvedBatchAsync(string campaignId, bool webhookOn = true)
    {
        var provider = await SendGridStandIn.StartAsync();
        provider.AnswerDelay = TimeSpan.FromSeconds(3);
        provider.IsSlow = _ => false;
        var settings = new Dictionary<string, string?>
        {
            ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString(),
            ["SendGrid:RequestTimeout"] = "00:00:01",
            ["Sending:OutcomeWindow"] = Window.ToString(),
            ["Outreach:MaxPromotionalEmails"] = "1",
        };
        if (!webhookOn)
        {
            settings["SendGrid:EventWebhookPublicKey"] = "";
        }

        var app = await TestApp.StartAsync(azurite, settings);
        await app.SeedMembersAsync(40, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync(campaignId);
        return (app, provider, campaign);
    }

    /// <summary>The first half is accepted, and the admin stops the campaign while that request is made: the second half is never requested.</summary>
    private static async Task<IReadOnlySet<string>> StopWhileTheFirstHalfGoesAsync(TestApp app, SendGridStandIn provider, Campaign campaign)
    {
        provider.RefuseWith = n =>
        {
            if (n == 2)
            {
                Task.Run(() => StopAsync(app, campaign)).GetAwaiter().GetResult();
            }

            return n == 1 ? 400 : null;
        };

        Assert.Equal(BatchOutcome.Stopped, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(20, provider.Mails.Count);
        return provider.Mails.Select(m => m.CustomArgs["alumnusId"]).ToHashSet();
    }

    private static async Task StopAsync(TestApp app, Campaign campaign)
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ICampaigns>().StopAsync(campaign.Id, CancellationToken.None);
    }

    /// <summary>The members whose rows carry a claim of the campaign.</summary>
    private static async Task<string[]> ClaimedByAsync(TestApp app, string campaignId) =>
        [.. (await app.RowsAsync(AlumniTables.Alumni))
            .Where(r => OutreachContact.Parse(r.GetString("Contacts")).Any(c => c.CampaignId == campaignId))
            .Select(r => r.RowKey)
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task StoppedBetweenTwoRequests_ClaimsOfTheUnsentGoBack_AndTheCorrectedCampaignReachesThem()
    {
        var (app, provider, campaign) = await HalvedBatchAsync("newsletter-wrong");
        await using var _ = app;
        await using var __ = provider;
        var mailed = await StopWhileTheFirstHalfGoesAsync(app, provider, campaign);

        Assert.Equal(mailed.Order(StringComparer.Ordinal), await ClaimedByAsync(app, campaign.Id));
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Stopped, 20, 20), (progress.Status, progress.Sent, progress.Skipped[CampaignProgress.StoppedReason]));

        var corrected = await app.StartAndPlanAsync("newsletter-corrected");
        await app.SendAllBatchesAsync(corrected);

        var reached = provider.Mails.Skip(20).Select(m => m.CustomArgs["alumnusId"]).ToArray();
        Assert.Equal(20, reached.Length);
        Assert.DoesNotContain(reached, mailed.Contains);
        var correctedProgress = await app.ProgressAsync(corrected.Id);
        Assert.Equal((CampaignStatus.Completed, 20, 20), (correctedProgress.Status, correctedProgress.Sent, correctedProgress.Skipped["cap"]));
    }

    [Fact]
    public async Task StoppedWhileARequestsOutcomeIsUnknown_ItsRecipientsKeepTheirClaims_OnlyTheNeverRequestedGoBack()
    {
        // The webhook is off: once the window passes, the unanswered request is treated as sent (ADR 0024).
        var (app, provider, campaign) = await HalvedBatchAsync("newsletter-wrong-unknown", webhookOn: false);
        await using var _ = app;
        await using var __ = provider;
        provider.RefuseWith = n => n == 1 ? 400 : null;
        provider.IsSlow = n => n == 2;

        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        var inFlight = provider.Mails.Select(m => m.CustomArgs["alumnusId"]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(20, inFlight.Length);
        await StopAsync(app, campaign);

        // Within the window the request may still be going: the batch is not touched, and every claim stays.
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(40, (await ClaimedByAsync(app, campaign.Id)).Length);

        await Task.Delay(Window);
        Assert.Equal(BatchOutcome.Stopped, await app.SendBatchAsync(campaign, 1));

        Assert.Equal(20, provider.Mails.Count);
        Assert.Equal(inFlight, await ClaimedByAsync(app, campaign.Id));
    }

    [Fact]
    public async Task StoppedBatchDeliveredAgainAfterItsClaimsWentBack_ChangesNothing_AndSendsNothing()
    {
        var (app, provider, campaign) = await HalvedBatchAsync("newsletter-wrong-again");
        await using var _ = app;
        await using var __ = provider;
        await StopWhileTheFirstHalfGoesAsync(app, provider, campaign);
        var alumni = await app.RowsAsync(AlumniTables.Alumni);
        var ledger = await app.RowsAsync(AlumniTables.Sends);

        Assert.Equal(BatchOutcome.NothingToDo, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(BatchOutcome.NothingToDo, await app.SendBatchAsync(campaign, 1));

        Assert.Equal(20, provider.Mails.Count);
        Assert.Equal(alumni.Select(r => (r.RowKey, r.ETag)), (await app.RowsAsync(AlumniTables.Alumni)).Select(r => (r.RowKey, r.ETag)));
        Assert.Equal(ledger.Select(r => (r.RowKey, r.ETag)), (await app.RowsAsync(AlumniTables.Sends)).Select(r => (r.RowKey, r.ETag)));
    }
}
