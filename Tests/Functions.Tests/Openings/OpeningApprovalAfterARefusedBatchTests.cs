using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Openings;

/// <summary>
/// A match whose flag was lifted is claimed by a batch of the opening's campaign, SendGrid refuses the batch, the
/// opening is closed (which stops the campaign) and re-opened, and compliance approves the person afterwards: the stopped
/// batch gives its claim back, as nothing went to them (ADR 0023), and the approval mails them once.
/// On Azurite through the real functions, with a SendGrid stand-in that refuses.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpeningApprovalAfterARefusedBatchTests(AzuriteFixture azurite)
{
    private const string Approvals = "/api/console/conflicts/approvals";

    [Fact]
    public async Task ClaimedByARefusedBatch_ThenStopped_ReopenedAndApproved_MailsTheOpeningOnce()
    {
        await using var provider = await SendGridStandIn.StartAsync();
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString() });
        using var compliance = await ConsoleClient.SignedInAsync(app, AdminRoles.Compliance);
        await app.CandidateAsync("python");
        var flagged = await app.CandidateAsync("flagged");
        await app.FlagAsync(flagged);
        var id = await app.CreateOpeningAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send")).StatusCode);
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var person = (await store.GetAsync(flagged, CancellationToken.None))!;
        person.ConflictOfInterest = null;
        Assert.True(await store.TryUpdateAsync(person, CancellationToken.None));
        var campaign = await app.StartAndPlanAsync($"opening-{id}", CampaignKind.Opening, id);

        provider.RefuseWith = _ => 503;
        using (var scope = app.Services.CreateScope())
        {
            var refused = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(CampaignRunner.BatchMessage(campaign, 1), CancellationToken.None);
            Assert.Equal(WorkRunOutcome.RetryScheduled, refused.Work);
        }

        provider.RefuseWith = _ => null;
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Closed"))).StatusCode);
        Assert.Equal(BatchOutcome.Stopped, await app.SendBatchAsync(campaign, 1));
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Open"))).StatusCode);
        var contactsAfterTheStop = (await store.GetAsync(flagged, CancellationToken.None))!.Contacts;
        var beforeTheApproval = provider.Mails.Count;

        await compliance.PostFormFromAsync(Approvals, Approvals, ("alumnusId", flagged.Value), ("subject", $"opening:{id}"), ("decision", "approve"), ("reason", "取引関係なし: 個別に確認済み"));
        await app.WaitForDueWorkAsync(Core.Scheduling.WorkKinds.OpeningApproved);
        var delivered = await app.DeliverAsync("openingInterests", "SendInterestNotice");

        Assert.DoesNotContain(contactsAfterTheStop, c => c.CampaignId == campaign.Id);
        Assert.Equal(0, beforeTheApproval);
        Assert.Equal(1, delivered);
        var mail = Assert.Single(provider.Mails);
        Assert.Equal("flagged@example.net", mail.To);
        Assert.Equal(campaign.Id, mail.CustomArgs["campaign"]);
        Assert.Equal([flagged], (await app.Services.GetRequiredService<Core.Openings.IOpeningStore>().GetAsync(id, CancellationToken.None))!.ApprovedFlagged);
    }
}
