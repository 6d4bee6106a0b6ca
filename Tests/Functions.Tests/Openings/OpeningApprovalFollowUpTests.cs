using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Console;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Openings;

/// <summary>
/// A flagged match held back when an opening went out, and compliance decides afterwards, on Azurite through the real
/// functions: an approval in the console sends that one person the opening once, through the openings' queue; a
/// rejection sends nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpeningApprovalFollowUpTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite, AdminRoles.Compliance)
{
    private const string Approvals = "/api/console/conflicts/approvals";

    /// <summary>Sends the opening to a plain match and a flagged one, and runs its campaign to the end.</summary>
    private async Task<(string OpeningId, AlumnusId Flagged)> SentWithAFlaggedMatchAsync()
    {
        await App.CandidateAsync("python");
        var flagged = await App.CandidateAsync("flagged");
        await App.FlagAsync(flagged);
        var id = await App.CreateOpeningAsync();
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send")).StatusCode);
        var campaign = await App.StartAndPlanAsync($"opening-{id}", CampaignKind.Opening, id);
        await App.SendAllBatchesAsync(campaign);
        return (id, flagged);
    }

    private Task<HttpResponseMessage> DecideAsync(AlumnusId alumnus, string openingId, string decision, string reason = "取引関係なし: 個別に確認済み") =>
        Admin.PostFormFromAsync(Approvals, Approvals, ("alumnusId", alumnus.Value), ("subject", $"opening:{openingId}"), ("decision", decision), ("reason", reason));

    private async Task<int> DeliverAsync()
    {
        await App.WaitForDueWorkAsync(WorkKinds.OpeningApproved);
        return await App.DeliverAsync("openingInterests", "SendInterestNotice");
    }

    private async Task<Functions.DevSendGrid.OutboxMail[]> MailToAsync(string address) =>
        (await App.OutboxAsync()).Where(m => m.To[0] == address).ToArray();

    [Fact]
    public async Task ApprovedAfterSending_DeliversTheOpeningOnce_AndThePersonSeesItOnTheirPage()
    {
        var (id, flagged) = await SentWithAFlaggedMatchAsync();
        var atSend = await MailToAsync("flagged@example.net");

        var decided = await DecideAsync(flagged, id, "approve");
        var delivered = await DeliverAsync();
        await DecideAsync(flagged, id, "approve");
        var redelivered = await DeliverAsync();

        Assert.Empty(atSend);
        Assert.Single(await MailToAsync("python@example.net"));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        Assert.Equal((1, 1), (delivered, redelivered));
        var mail = Assert.Single(await MailToAsync("flagged@example.net"));
        Assert.Contains("リスク管理プロジェクト &lt;b&gt;", mail.Html!, StringComparison.Ordinal);
        Assert.Contains("List-Unsubscribe", mail.Headers.Keys);
        var opening = await App.Services.GetRequiredService<IOpeningStore>().GetAsync(id, CancellationToken.None);
        Assert.Equal([flagged], opening!.ApprovedFlagged);

        var token = OpeningSeeds.TokenIn(mail, "api/alumni/openings");
        var bound = await App.Client.GetStringAsync($"api/alumni/openings?token={Uri.EscapeDataString(token)}");
        var all = await App.Client.GetStringAsync(App.OpeningsPath(flagged));
        Assert.Contains("リスク管理プロジェクト &lt;b&gt;", bound, StringComparison.Ordinal);
        Assert.Contains("リスク管理プロジェクト &lt;b&gt;", all, StringComparison.Ordinal);
    }

    /// <summary>
    /// Intent first: the follow-up is in the table before the decision is (a crash between them must not lose the send),
    /// due a moment after the decision, so it does not run before the decision lands and find it pending.
    /// </summary>
    [Fact]
    public async Task Approval_IsSavedAfterItsFollowUpWasWritten_WhichFallsDueAfterTheDecision()
    {
        var (id, flagged) = await SentWithAFlaggedMatchAsync();

        var decided = await DecideAsync(flagged, id, "approve");

        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var approval = Assert.Single(await App.RowsAsync(AlumniTables.ComplianceApprovals), r => r.RowKey == $"opening:{id}");
        var followUp = Assert.Single(await App.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") == WorkKinds.OpeningApproved);
        Assert.Equal(("Approved", OpeningWork.PersonSubject(id, flagged)), (approval.GetString("Status"), followUp.GetString("SubjectId")));
        Assert.True(followUp.Timestamp <= approval.Timestamp, $"follow-up written at {followUp.Timestamp:O}, decision at {approval.Timestamp:O}");
        Assert.True(followUp.GetDateTimeOffset("DueAt") > approval.GetDateTimeOffset("DecidedAt"));
    }

    [Fact]
    public async Task FlagLiftedBeforeTheBatch_ThenApproved_MailsTheOpeningOnce()
    {
        // Flagged when the opening is sent (so an approval is asked and the person held back), the flag lifted before
        // the batches run (so the batch mails them), approved afterwards: the follow-up must not mail them again.
        await App.CandidateAsync("python");
        var flagged = await App.CandidateAsync("flagged");
        await App.FlagAsync(flagged);
        var id = await App.CreateOpeningAsync();
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send")).StatusCode);
        var store = App.Services.GetRequiredService<IAlumniStore>();
        var person = (await store.GetAsync(flagged, CancellationToken.None))!;
        person.ConflictOfInterest = null;
        Assert.True(await store.TryUpdateAsync(person, CancellationToken.None));
        var campaign = await App.StartAndPlanAsync($"opening-{id}", CampaignKind.Opening, id);
        await App.SendAllBatchesAsync(campaign);
        var byTheBatch = await MailToAsync("flagged@example.net");

        await DecideAsync(flagged, id, "approve");
        var delivered = await DeliverAsync();

        Assert.Single(byTheBatch);
        Assert.Equal(1, delivered);
        Assert.Single(await MailToAsync("flagged@example.net"));
    }

    /// <summary>
    /// Marked sent, but the campaign's start failed; the approval comes meanwhile. The follow-up puts the person on the
    /// opening and ends (nothing waits on a campaign that does not exist); the repeated send starts the campaign, whose
    /// batch mails them, once.
    /// </summary>
    [Fact]
    public async Task ApprovedWhileTheCampaignHadNotStarted_JoinsIt_AndTheRepeatedSendMailsThemOnce()
    {
        await App.CandidateAsync("python");
        var flagged = await App.CandidateAsync("flagged");
        await App.FlagAsync(flagged);
        var id = await App.CreateOpeningAsync();
        var opening = await App.MarkSentWithoutItsCampaignAsync(id);
        await App.Services.GetRequiredService<Core.Conflicts.IComplianceApprovals>().RequestAsync(
            OpeningWork.ApprovalOf(opening, flagged, "recruiter", opening.SentAt!.Value), CancellationToken.None);

        await DecideAsync(flagged, id, "approve");
        var delivered = await DeliverAsync();
        var followUps = (await App.RowsAsync(AlumniTables.WorkItems)).Count(r => r.GetString("Kind") == WorkKinds.OpeningApproved);
        var beforeTheRepeat = await MailToAsync("flagged@example.net");
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Post, $"api/manage/openings/{id}/send")).StatusCode);
        var campaign = await App.StartAndPlanAsync($"opening-{id}", CampaignKind.Opening, id);
        await App.SendAllBatchesAsync(campaign);
        await DecideAsync(flagged, id, "approve");
        await DeliverAsync();

        Assert.Equal((1, 0), (delivered, followUps));
        Assert.Empty(beforeTheRepeat);
        Assert.Equal([flagged], (await App.Services.GetRequiredService<IOpeningStore>().GetAsync(id, CancellationToken.None))!.ApprovedFlagged);
        Assert.Single(await MailToAsync("flagged@example.net"));
        Assert.Single(await MailToAsync("python@example.net"));
    }

    [Fact]
    public async Task RejectedAfterSending_SendsNothing_AndRecordsNobody()
    {
        var (id, flagged) = await SentWithAFlaggedMatchAsync();

        await DecideAsync(flagged, id, "reject", "Competitor's sales team");
        var delivered = await DeliverAsync();

        Assert.Equal(1, delivered);
        Assert.Empty(await MailToAsync("flagged@example.net"));
        Assert.Empty((await App.Services.GetRequiredService<IOpeningStore>().GetAsync(id, CancellationToken.None))!.ApprovedFlagged);
    }

    [Fact]
    public async Task ApprovedAfterTheOpeningClosed_SendsNothing()
    {
        var (id, flagged) = await SentWithAFlaggedMatchAsync();
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body(status: "Closed"))).StatusCode);

        await DecideAsync(flagged, id, "approve");
        await DeliverAsync();

        Assert.Empty(await MailToAsync("flagged@example.net"));
    }
}
