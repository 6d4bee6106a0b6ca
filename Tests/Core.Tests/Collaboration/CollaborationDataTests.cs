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
    [InlineData(RequestStatus.AwaitingApproval, null)]
    [InlineData(RequestStatus.NotDelivered, "conflict-of-interest")]
    [InlineData(RequestStatus.NotDelivered, "approval-rejected")]
    public async Task NeverSentBecauseOfTheRegister_LooksExactlyLikeOneOnItsWayOrStoppedForAnOrdinaryReason(RequestStatus status, string? conflictOutcome)
    {
        var held = Request(status, conflictOutcome) with { Confidentiality = Confidentiality.Sensitive };
        var ordinary = new[]
        {
            Request(RequestStatus.Pending, null),
            Request(RequestStatus.NotDelivered, "card-not-listed"),
            Request(RequestStatus.NotDelivered, "requests-paused"),
            Request(RequestStatus.NotDelivered, "quiet-period"),
        };

        var shown = await ExportAsync([held, .. ordinary]);

        // Apart from its id, the held-back request is shown exactly as every other request never sent.
        Assert.All(shown, r => Assert.Equal(new RequestExport(held.Id, "Employee", null, null, null, null, CollaborationData.NotSent, Now, null, null), r with { Id = held.Id }));
    }

    [Fact]
    public async Task SentRequest_ShowsWhoAskedAndWhy()
    {
        var sent = Request(RequestStatus.Declined, null) with { SentAt = Now.AddHours(1), AnsweredAt = Now.AddHours(2) };

        var shown = Assert.Single(await ExportAsync(sent));

        Assert.Equal(new RequestExport(sent.Id, "Employee", "佐藤 一郎", "法人営業部", "r", "Normal", "Declined", Now, Now.AddHours(1), Now.AddHours(2)), shown);
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
