using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Conflicts;
using Moq;

namespace AlumniNetwork.Core.Tests.Collaboration;

/// <summary>What the alumnus's export shows of requests: never anything that tells the register's checks apart.</summary>
public sealed class CollaborationDataTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-200), AlumnusStatus.Joined);

    private CollaborationRequest Request(RequestStatus status, string? outcome) =>
        new(CollaborationRequest.NewId(), alumnus.Id, RequesterKind.Employee, "佐藤 一郎", "法人営業部", EmailAddress.Parse("sato@corp.example.com"), "r",
            Confidentiality.Normal, status, Now, "admin-1") { Outcome = outcome };

    private async Task<IReadOnlyList<RequestExport>> ExportAsync(params CollaborationRequest[] requests)
    {
        var store = new Mock<ICollaborationStore>();
        store.Setup(s => s.RequestsToAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(requests);
        var data = new CollaborationData(store.Object, Mock.Of<IConflictAssessments>(), Mock.Of<IApprovalStore>());
        return (await data.ExportAsync(alumnus.Id, CancellationToken.None)).Requests;
    }

    [Theory]
    [InlineData("conflict-of-interest")]
    [InlineData("approval-rejected")]
    public async Task NotDeliveredByTheRegister_LooksLikeNotDeliveredForAnOrdinaryReason(string conflictOutcome)
    {
        var shown = await ExportAsync(
            Request(RequestStatus.NotDelivered, conflictOutcome),
            Request(RequestStatus.NotDelivered, "card-not-listed"),
            Request(RequestStatus.NotDelivered, "requests-paused"),
            Request(RequestStatus.NotDelivered, "quiet-period"));

        Assert.All(shown, r => Assert.Equal(nameof(RequestStatus.NotDelivered), r.Status));
    }

    [Fact]
    public async Task AwaitingApproval_ShowsAsPending()
    {
        var shown = await ExportAsync(Request(RequestStatus.AwaitingApproval, null), Request(RequestStatus.Pending, null));

        Assert.All(shown, r => Assert.Equal(nameof(RequestStatus.Pending), r.Status));
    }

    [Fact]
    public void OneToOneSendOfAnApprovedOpening_IsExportedAsABatchRecipientsIs()
    {
        // Batches log only refusals and their Sends rows carry no provider message id; the one-to-one send has both.
        var opening = Core.Openings.Opening.CampaignIdOf(Core.Openings.Opening.NewId());
        Assert.True(CollaborationData.IsWithheld(Decision(opening, allowed: true)));
        Assert.False(CollaborationData.IsWithheld(Decision(opening, allowed: false)));
        Assert.False(CollaborationData.IsWithheld(Decision("newsletter-2027-01", allowed: true)));

        Assert.Equal("", CollaborationData.ExportedMessageId(new Core.Sends.SendRecord(opening, alumnus.Id.Value, "sg-msg-1", Now)));
        Assert.Equal("sg-msg-2", CollaborationData.ExportedMessageId(new Core.Sends.SendRecord("newsletter-2027-01", alumnus.Id.Value, "sg-msg-2", Now)));
    }

    private Core.Outreach.OutreachDecision Decision(string campaign, bool allowed) =>
        new(alumnus.Id, campaign, Core.Consent.ConsentPurpose.JobOffers, true, allowed, allowed ? "consented" : "no-consent", Now);
}
