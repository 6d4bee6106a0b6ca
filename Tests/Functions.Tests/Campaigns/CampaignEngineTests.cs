using System.Net.Http.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>The campaign engine on Azurite and the development sink, its handlers run directly (no timers).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignEngineTests(AzuriteFixture azurite)
{
    private static async Task<OutboxStats> StatsAsync(TestApp app) => (await app.Client.GetFromJsonAsync<OutboxStats>("dev/outbox/stats"))!;

    [Fact]
    public async Task Campaign_SendsEachConsentingMemberOneMailInOneRequestPerThousand()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var members = await app.SeedMembersAsync(1_500, [ConsentPurpose.Newsletter], i => i % 3 == 0 ? Locale.English : Locale.Japanese);
        await app.SeedMembersAsync(40, [ConsentPurpose.Events]);

        var campaign = await app.StartAndPlanAsync("newsletter-test-1");
        await app.SendAllBatchesAsync(campaign);

        Assert.Equal(2, campaign.Batches);
        var stats = await StatsAsync(app);
        Assert.Equal((2L, 1_500L, 1_500L, 0L), (stats.Requests, stats.Mails, stats.Recipients, stats.Duplicates));
        var mails = await app.OutboxAsync();
        Assert.Equal(members.Select(m => m.PersonalEmail.Value).Order(), mails.Select(m => Assert.Single(m.To)).Order());
        var english = members.First(m => m.Locale == Locale.English);
        var mail = mails.Single(m => m.To[0] == english.PersonalEmail.Value);
        Assert.Contains($"Dear Hanako {english.FamilyName},", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe (refuse further emails)", mail.Text, StringComparison.Ordinal);
        Assert.StartsWith($"<{app.BaseAddress}api/alumni/unsubscribe?token=", mail.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Equal(english.Id.Value, mail.CustomArgs["alumnusId"]);

        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Completed, 1_540, 1_500, 0, 0), (progress.Status, progress.AudienceSize, progress.Sent, progress.Failed, progress.Pending));
        Assert.Equal(40, progress.Skipped["no-consent:Newsletter"]);

        // Ledger rows go 100 to a transaction in the batch's partition; each accepted batch times its sent mark.
        var metrics = (await app.Client.GetFromJsonAsync<Dictionary<string, double>>("dev/metrics"))!;
        Assert.Equal(10 + 5, metrics["storage.transactions;table=Sends"]);
        Assert.Equal(2, metrics["campaign.batch.sent_mark_window;stat=count"]);
        Assert.InRange(metrics["campaign.batch.sent_mark_window;stat=max"], 0, metrics["campaign.batch.sent_mark_window;stat=sum"]);
    }

    [Fact]
    public async Task RecipientWhoseErasureBeganAfterPlanning_IsSentNothingAndNoDecisionIsWritten_AndTheFinishedErasureLeavesNoRowsOfTheirs()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var members = await app.SeedMembersAsync(5, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync("newsletter-erasing");
        var leaving = members[2];
        await app.StopErasureAfterItsFirstWriteAsync(leaving.Id);

        await app.SendBatchAsync(campaign, 1);

        var mails = await app.OutboxAsync();
        Assert.Equal(4, mails.Count);
        Assert.DoesNotContain(mails, m => m.To.Contains(leaving.PersonalEmail.Value));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.OutreachDecisions), r => r.PartitionKey == leaving.Id.Value);
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Sends), r => r.RowKey == leaving.Id.Value);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.PostFormAsync(Core.Links.LinkPurpose.Erase, leaving.Id)).StatusCode);

        foreach (var table in new[] { AlumniTables.Engagement, AlumniTables.OutreachDecisions, AlumniTables.Consents, AlumniTables.Sends })
        {
            Assert.DoesNotContain(await app.RowsAsync(table), r => r.PartitionKey.Contains(leaving.Id.Value, StringComparison.Ordinal) || r.RowKey.Contains(leaving.Id.Value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task BatchDeliveredFourTimesAtOnceAndAgainLater_SendsNothingTwice()
    {
        await using var app = await TestApp.StartAsync(azurite);
        await app.SeedMembersAsync(300, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync("newsletter-test-2");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => app.SendBatchAsync(campaign, 1))));
        await app.SendBatchAsync(campaign, 1);

        var mails = await app.OutboxAsync();
        Assert.Equal(300, mails.Count);
        Assert.Equal(300, mails.Select(m => m.To[0]).Distinct().Count());
        Assert.Equal(300, (await app.RowsAsync(AlumniTables.Sends)).Count);
    }

    [Fact]
    public async Task TwoCampaignsAtOnceOverOnePlaceUnderTheCap_EachPersonGetsOne()
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Outreach:MaxPromotionalEmails"] = "1" });
        await app.SeedMembersAsync(400, [ConsentPurpose.Newsletter]);
        var first = await app.StartAndPlanAsync("newsletter-cap-a");
        var second = await app.StartAndPlanAsync("newsletter-cap-b");

        await Task.WhenAll(Task.Run(() => app.SendBatchAsync(first, 1)), Task.Run(() => app.SendBatchAsync(second, 1)));

        var mails = await app.OutboxAsync();
        Assert.Equal(400, mails.Count);
        Assert.Equal(400, mails.Select(m => m.To[0]).Distinct().Count());
        var (a, b) = (await app.ProgressAsync(first.Id), await app.ProgressAsync(second.Id));
        Assert.Equal(400, a.Sent + b.Sent);
        Assert.Equal(400, a.Skipped.GetValueOrDefault("cap") + b.Skipped.GetValueOrDefault("cap"));
    }

    [Fact]
    public async Task RecipientTheProviderRefuses_IsMarkedFailedAndTheRestOfTheBatchGoes()
    {
        await using var app = await TestApp.StartAsync(azurite);
        // Two members share an address: SendGrid refuses a request that names an address twice, and names the second.
        var members = await app.SeedMembersAsync(10, [ConsentPurpose.Newsletter], email: i => i == 7 ? "member3@example.net" : $"member{i}@example.net");
        var campaign = await app.StartAndPlanAsync("newsletter-test-400");

        await app.SendBatchAsync(campaign, 1);

        var mails = await app.OutboxAsync();
        Assert.Equal(9, mails.Count);
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((9, 1), (progress.Sent, progress.Failed));
        var failed = Assert.Single(await app.RowsAsync(AlumniTables.Sends), r => r.GetString("Status") == "Dropped");
        Assert.Contains(failed.RowKey, members.Where(m => m.PersonalEmail.Value == "member3@example.net").Select(m => m.Id.Value));
    }

    [Fact]
    public async Task MessageTheProviderRefusesNamingNoRecipient_DropsNobody_LeavesTheBatchUnsentAndTheItemFailed()
    {
        // The sink refuses a from address whose domain has no dot, as SendGrid does, naming "from.email": the message
        // is at fault, not any recipient, so no split of it would go, and nobody may be marked dropped for it.
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:FromEmail"] = "alumni@localhost", ["Company:MailDomains:0"] = "example.com" });
        await app.SeedMembersAsync(10, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync("newsletter-test-refused-message");

        using (var scope = app.Services.CreateScope())
        {
            var (batch, work) = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(CampaignRunner.BatchMessage(campaign, 1), CancellationToken.None);
            Assert.Null(batch);
            Assert.Equal(Core.Scheduling.WorkRunOutcome.Failed, work);
        }

        Assert.Empty(await app.OutboxAsync());
        var rows = await app.RowsAsync(AlumniTables.Sends);
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal("Claimed", r.GetString("Status")));
        Assert.Equal(BatchStatus.Planned, (await app.Services.GetRequiredService<ICampaignStore>().GetBatchAsync(campaign.Id, 1, CancellationToken.None))!.Status);
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((0, 0, 10), (progress.Sent, progress.Failed, progress.Pending));
    }

    [Fact]
    public async Task ConsentWithdrawnAfterPlanning_IsHonouredWhenTheBatchSends()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var members = await app.SeedMembersAsync(5, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync("newsletter-test-withdraw");

        // The one-click unsubscribe a mail client posts from the List-Unsubscribe header.
        var oneClick = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        (await app.Client.PostAsync(app.UnsubscribePath(members[0].Id, Core.Consent.ConsentPurpose.Newsletter), oneClick)).EnsureSuccessStatusCode();
        await app.SendBatchAsync(campaign, 1);

        Assert.DoesNotContain(await app.OutboxAsync(), m => m.To[0] == members[0].PersonalEmail.Value);
        Assert.Equal(4, (await app.OutboxAsync()).Count);
        Assert.Equal(1, (await app.ProgressAsync(campaign.Id)).Skipped["no-consent:Newsletter"]);
    }

    [Fact]
    public async Task StoppedCampaign_SendsNoFurtherBatch()
    {
        await using var app = await TestApp.StartAsync(azurite);
        await app.SeedMembersAsync(20, [ConsentPurpose.Newsletter]);
        var campaign = await app.StartAndPlanAsync("newsletter-test-stop");

        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ICampaigns>().StopAsync(campaign.Id, CancellationToken.None);
        }

        Assert.Equal(BatchOutcome.Stopped, await app.SendBatchAsync(campaign, 1));
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(CampaignStatus.Stopped, (await app.ProgressAsync(campaign.Id)).Status);
    }
}
