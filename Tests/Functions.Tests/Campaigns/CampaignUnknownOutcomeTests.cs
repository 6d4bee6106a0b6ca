using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>
/// A batch whose request got no answer (SendGrid accepted it and answered after our timeout) is never sent again
/// blindly: one provider event for any of its recipients proves the request arrived; with none after the window, it
/// is sent once more only when the event webhook could have reported them and demonstrably accepted posts throughout.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignUnknownOutcomeTests(AzuriteFixture azurite)
{
    /// <summary>
    /// Long enough that a second delivery right after a timed-out request (one second) is still inside it on a loaded
    /// machine, short enough to wait out.
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>Shorter than <see cref="Window"/>, longer than the pauses between a test's steps.</summary>
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(4);

    private async Task<(TestApp App, SendGridStandIn Provider, Campaign Campaign)> SlowProviderAsync(bool reportEvents, bool webhookOn = true, TimeSpan? silenceLimit = null)
    {
        var provider = await SendGridStandIn.StartAsync();
        provider.AnswerDelay = TimeSpan.FromSeconds(3);
        var settings = new Dictionary<string, string?>
        {
            ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString(),
            ["SendGrid:RequestTimeout"] = "00:00:01",
            ["Sending:OutcomeWindow"] = Window.ToString(),
            ["Sending:WebhookGap"] = Gap.ToString(),
            ["Sending:SilenceLimit"] = (silenceLimit ?? TimeSpan.FromHours(25)).ToString(),
        };
        if (!webhookOn)
        {
            settings["SendGrid:EventWebhookPublicKey"] = "";
        }

        var app = await TestApp.StartAsync(azurite, settings);
        provider.EventWebhook = reportEvents ? app.BaseAddress : null;
        await app.SeedMembersAsync(40, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync("newsletter-slow");
        return (app, provider, campaign);
    }

    [Fact]
    public async Task ProcessedEventsArrive_BatchIsSettledSentAndNeverRequestedAgain()
    {
        var (app, provider, campaign) = await SlowProviderAsync(reportEvents: true);
        await using var _ = app;
        await using var __ = provider;

        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        await Eventually.TrueAsync(async () => (await app.RowsAsync(AlumniTables.Sends)).All(r => r.GetString("Status") == "Sent"), "the processed events settled every send");
        await Task.Delay(Window);

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(40, provider.Mails.Count);
        Assert.Equal((40, CampaignStatus.Completed), ((await app.ProgressAsync(campaign.Id)).Sent, (await app.ProgressAsync(campaign.Id)).Status));
    }

    /// <summary>
    /// SendGrid redelivers an event it has no 2xx for (ADR 0008). A blocked bounce writes no receipt: the second delivery
    /// is kept from changing anything by the send ledger, whose settled send stays as the first delivery left it.
    /// </summary>
    [Fact]
    public async Task BlockedBounceDeliveredTwice_SettlesItsSendOnce_SuppressesNothing_AndTheBatchCountsItOnce()
    {
        var (app, provider, campaign) = await SlowProviderAsync(reportEvents: false);
        await using var _ = app;
        await using var __ = provider;
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        var mail = provider.Mails[0];
        var blocked = SendGridEventPosts.Event("bounce", mail.CustomArgs["alumnusId"], mail.To, eventId: "sg-blocked-1", campaign: campaign.Id);
        (blocked["type"], blocked["reason"], blocked["sendId"]) = ("blocked", "550 5.7.1 sender IP listed by a block list", mail.CustomArgs["sendId"]);
        var body = new JsonArray(blocked).ToJsonString();

        var first = await ReportOf(await app.PostEventsAsync(body));
        await Task.Delay(Window);
        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        var (sends, progress) = (await SendRowsAsync(app), await app.ProgressAsync(campaign.Id));
        var second = await ReportOf(await app.PostEventsAsync(body));

        Assert.Equal((1, 0), (first.GetProperty("applied").GetInt32(), first.GetProperty("ignored").GetInt32()));
        Assert.Equal((0, 1), (second.GetProperty("applied").GetInt32(), second.GetProperty("ignored").GetInt32()));
        Assert.EndsWith("|Sent|event:blocked", sends.Single(r => r.Contains($"/{mail.CustomArgs["alumnusId"]}|", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(sends, await SendRowsAsync(app));
        Assert.Equal((40, 0, CampaignStatus.Completed), (progress.Sent, progress.Failed, progress.Status));
        var after = await app.ProgressAsync(campaign.Id);
        Assert.Equal((progress.Sent, progress.Failed, progress.Status), (after.Sent, after.Failed, after.Status));
        Assert.Equal(40, provider.Mails.Count);
        Assert.Empty(await app.RowsAsync(AlumniTables.Suppressions));
        Assert.Null((await app.Services.GetRequiredService<IAlumniStore>().GetAsync(AlumnusId.Parse(mail.CustomArgs["alumnusId"]), CancellationToken.None))!.Suppressed);
    }

    /// <summary>Each send row as written (key, state, evidence, version): a second write of the same values changes its version.</summary>
    private static async Task<string[]> SendRowsAsync(TestApp app) =>
        [.. (await app.RowsAsync(AlumniTables.Sends)).Select(r => $"{r.PartitionKey}/{r.RowKey}|{r.ETag}|{r.GetString("Status")}|{r.GetString("Evidence")}").Order(StringComparer.Ordinal)];

    private static async Task<JsonElement> ReportOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task NoEventWithinTheWindowWhileTheWebhookAcceptedPostsThroughout_BatchIsRequestedOnceMoreWithNewSendIds()
    {
        var (app, provider, campaign) = await SlowProviderAsync(reportEvents: false);
        await using var _ = app;
        await using var __ = provider;

        await app.WebhookAcceptsPostsForAsync(TimeSpan.Zero);
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        await app.WebhookAcceptsPostsForAsync(Window + TimeSpan.FromSeconds(2));
        provider.AnswerDelay = TimeSpan.Zero;

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(80, provider.Mails.Count);
        Assert.All(provider.Mails.Skip(40), m => Assert.EndsWith("/2", m.CustomArgs["sendId"], StringComparison.Ordinal));
        Assert.Equal(BatchOutcome.NothingToDo, await app.SendBatchAsync(campaign, 1));
    }

    [Fact]
    public async Task RefusedInTheSecondAttempt_IsCountedSkippedOnceAndNotSentInProgressOrExport()
    {
        var (app, provider, campaign) = await SlowProviderAsync(reportEvents: false);
        await using var _ = app;
        await using var __ = provider;
        var person = (await app.Services.GetRequiredService<ICampaignStore>().GetBatchAsync(campaign.Id, 1, CancellationToken.None))!.Recipients[0];

        await app.WebhookAcceptsPostsForAsync(TimeSpan.Zero);
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        var oneClick = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        (await app.Client.PostAsync(app.UnsubscribePath(person, Core.Consent.ConsentPurpose.Newsletter), oneClick)).EnsureSuccessStatusCode();
        await app.WebhookAcceptsPostsForAsync(Window + TimeSpan.FromSeconds(2));

        // The second attempt is answered late too, and this time SendGrid's events come.
        provider.EventWebhook = app.BaseAddress;
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        await Eventually.TrueAsync(async () => (await app.RowsAsync(AlumniTables.Sends)).Count(r => r.GetString("Status") == "Sent") == 39, "the processed events settled the second attempt");
        await Task.Delay(Window);

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((39, 1), (progress.Sent, progress.Skipped["no-consent:Newsletter"]));
        Assert.DoesNotContain(await app.Services.GetRequiredService<ISendLedger>().ForAlumnusAsync(person, CancellationToken.None), s => s.CampaignId == campaign.Id);
    }

    [Fact]
    public async Task WebhookAcceptedNoPostSinceTheRequest_BatchWaitsOutSendGridsRetries_ThenIsTreatedAsSentNotRepeated()
    {
        // A quiet webhook cannot be told from one that refused the request's events (a deploy, an outage), which
        // SendGrid would retry for a day: the batch waits for them, and is never requested twice.
        var limit = Window + TimeSpan.FromSeconds(4);
        var (app, provider, campaign) = await SlowProviderAsync(reportEvents: false, silenceLimit: limit);
        await using var _ = app;
        await using var __ = provider;

        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        await Task.Delay(Window);
        provider.AnswerDelay = TimeSpan.Zero;
        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        await Task.Delay(limit - Window);

        Assert.Equal(BatchOutcome.Unconfirmed, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(40, provider.Mails.Count);
        Assert.All(await app.RowsAsync(AlumniTables.Sends), r => Assert.Equal(("Unconfirmed", "rule:webhook-silent"), (r.GetString("Status"), r.GetString("Evidence"))));
    }

    [Fact]
    public async Task NoWebhookToReportEvents_UnknownBatchIsTreatedAsSentNotRepeated()
    {
        var (app, provider, campaign) = await SlowProviderAsync(reportEvents: false, webhookOn: false);
        await using var _ = app;
        await using var __ = provider;

        Assert.Equal(BatchOutcome.OutcomeUnknown, await app.SendBatchAsync(campaign, 1));
        await Task.Delay(Window);

        Assert.Equal(BatchOutcome.Unconfirmed, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(40, provider.Mails.Count);
        Assert.Equal(CampaignStatus.Completed, (await app.ProgressAsync(campaign.Id)).Status);
    }
}
