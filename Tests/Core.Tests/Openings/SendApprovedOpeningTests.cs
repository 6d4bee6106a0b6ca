using System.Collections.Concurrent;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Openings;

/// <summary>The follow-up of a compliance approval granted after an opening went out: one mail to that person, or nothing.</summary>
public sealed class SendApprovedOpeningTests
{
    // After the quiet period of a member who left on 30 November 2026.
    private static readonly DateTimeOffset Now = new(2027, 1, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<IComplianceApprovals> approvals = new();
    private readonly Mock<ICampaigns> campaigns = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IEmailSender> email = new();
    private readonly Mock<IOutreachLog> log = new();
    private readonly Mock<IWorkItemStore> takeBacks = new();
    private readonly ConcurrentBag<EmailMessage> sent = [];
    private readonly HashSet<(string, string)> ledger = [];
    private readonly List<Opening> saved = [];
    private readonly Opening opening = OpeningBuilders.Opening(department: "Retail Banking");
    private readonly Alumnus alumnus = OpeningBuilders.Member();

    public SendApprovedOpeningTests()
    {
        opening.SentAt = Now.AddDays(-2);
        alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.JobOffers };
        alumnus.ConflictOfInterest = new ConflictFlag("entry-1", "Competitor", Now.AddDays(-30));
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => opening);
        openings.Setup(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>()))
            .Callback((Opening o, CancellationToken _) => saved.Add(o)).ReturnsAsync(true);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        alumnus.ETag = "row-1";
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        profiles.Setup(p => p.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => OpeningBuilders.Profile(alumnus, ReturnInterest.ProjectWork));
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => alumnus.Consented!
            .Select((p, i) => new ConsentRecord(alumnus.Id, p, true, Now.AddDays(-40).AddMinutes(i), ConsentMethod.Link, "v1")).ToArray());
        approvals.Setup(a => a.IsApprovedAsync(alumnus.Id, opening.Scope, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        Campaign(CampaignStatus.Completed);
        log.Setup(l => l.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);

        // A ledger that remembers what was sent: a second claim of the same campaign and recipient is final.
        sends.Setup(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string campaign, string recipient, DateTimeOffset _, SendPolicy _, CancellationToken _) => ledger.Contains((campaign, recipient))
                ? new SendClaimResult(ClaimStatus.Final, State: SendState.Sent)
                : new SendClaimResult(ClaimStatus.Claimed, new SendClaim(campaign, recipient, "claim", 0, null, "v1")));
        sends.Setup(s => s.BeginAttemptAsync(It.IsAny<SendClaim>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SendClaim claim, DateTimeOffset _, CancellationToken _) => claim with { Version = "v2" });
        sends.Setup(s => s.RecordSentAsync(It.IsAny<SendRecord>(), It.IsAny<CancellationToken>()))
            .Callback((SendRecord r, CancellationToken _) => ledger.Add((r.CampaignId, r.RecipientKey))).Returns(Task.CompletedTask);
        sends.Setup(s => s.ListBatchAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent.Add(m)).ReturnsAsync("provider-1");
    }

    private void Campaign(CampaignStatus status) =>
        campaigns.Setup(c => c.GetProgressAsync(opening.CampaignId, It.IsAny<CancellationToken>())).ReturnsAsync(
            new CampaignProgress(opening.CampaignId, CampaignKind.Opening, opening.Id, status, Now.AddDays(-2), 3, new Dictionary<string, int>(), 2, 0, 0, 0, 0, 0, 1,
                status == CampaignStatus.Sending ? 0 : 1));

    private Task<(ApprovedOpeningOutcome? Outcome, WorkRunOutcome Work)> RunAsync(IComplianceApprovals? compliance = null)
    {
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var gate = new OutreachGate(consents.Object, Mock.Of<ISuppressionList>(), log.Object, alumni.Object,
            new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach()), Builders.Outreach(), time);
        var sender = new OutreachSender(gate, sends.Object, new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            email.Object, new PromotionalFooter(links, Builders.Company(), Builders.Outreach()),
            Options.Create(new SendingOptions()), Options.Create(new SendGridEventWebhookOptions()), time, NullLogger<OutreachSender>.Instance);
        var runner = new WorkItemRunner(Mock.Of<IWorkItemStore>(), Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance);
        var handler = new SendApprovedOpening(openings.Object, alumni.Object, profiles.Object, consents.Object, compliance ?? approvals.Object, campaigns.Object, sends.Object,
            [new OpeningComposer(openings.Object, links, Builders.Company())], sender, new OpeningsPersonalData(openings.Object, Mock.Of<Core.Rehires.IRehireStore>()),
            new ErasureRecheck(alumni.Object, takeBacks.Object, time, NullLogger<ErasureRecheck>.Instance), runner, time, NullLogger<SendApprovedOpening>.Instance);
        var subject = OpeningWork.PersonSubject(opening.Id, alumnus.Id);
        return handler.HandleAsync(new WorkMessage(WorkKinds.OpeningApproved, subject, "p", "r", Now), CancellationToken.None);
    }

    private void AssertNothingSentOrWritten()
    {
        Assert.Empty(sent);
        Assert.Empty(saved);
        Assert.Empty(opening.ApprovedFlagged);
    }

    [Fact]
    public async Task Approved_SendsTheOpeningsMailOnce_KeyedByItsCampaign_AsAJobOffer_AndRecordsThePerson()
    {
        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.Sent, WorkRunOutcome.Completed), (outcome, work));
        var mail = Assert.Single(sent);
        Assert.Equal(alumnus.PersonalEmail, mail.To);
        Assert.Contains("リスク管理プロジェクト", mail.Subject, StringComparison.Ordinal);
        Assert.Equal([nameof(ConsentPurpose.JobOffers), nameof(CampaignKind.Opening)], mail.Categories);
        Assert.Equal(opening.CampaignId, mail.CustomArgs["campaign"]);
        Assert.Contains("/api/alumni/openings?token=", mail.Text, StringComparison.Ordinal);
        Assert.Contains("List-Unsubscribe", mail.Headers.Keys);
        Assert.Contains((opening.CampaignId, alumnus.Id.Value), ledger);
        Assert.Equal([alumnus.Id], Assert.Single(saved).ApprovedFlagged);
    }

    [Fact]
    public async Task RunTwice_SendsOneMail_AndWritesTheOpeningOnce()
    {
        await RunAsync();
        var (again, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.AlreadySent, WorkRunOutcome.Completed), (again, work));
        Assert.Single(sent);
        Assert.Single(saved);
    }

    /// <summary>The person's row in batch <paramref name="number"/> of the opening's campaign, with that batch's contact on their row.</summary>
    private void InBatch(int number, SendState state, int attempt = 1)
    {
        alumnus.Contacts = [new OutreachContact(opening.CampaignId, number, Now.AddDays(-1))];
        var others = new BatchSend(AlumnusId.New(), SendState.Sent, Now.AddDays(-1), attempt, Request: 1);
        sends.Setup(s => s.ListBatchAsync(CampaignBatch.KeyOf(opening.CampaignId, number), It.IsAny<CancellationToken>()))
            .ReturnsAsync([others, new BatchSend(alumnus.Id, state, Now.AddDays(-1), attempt, Request: state == SendState.Claimed ? 0 : 1)]);
    }

    [Theory]
    [InlineData(SendState.Sent)]
    [InlineData(SendState.Unknown)]
    [InlineData(SendState.Unconfirmed)]
    public async Task FlagLiftedBeforeTheBatch_WhichSentTheOpening_IsAlreadySent_AndNothingGoesAgain(SendState state)
    {
        // The batch mailed the person once the flag was gone (or may have: handed to the provider, or taken as sent by
        // rule); the approval asked at send time was decided afterwards.
        alumnus.ConflictOfInterest = null;
        InBatch(1, state);

        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.AlreadySent, WorkRunOutcome.Completed), (outcome, work));
        AssertNothingSentOrWritten();
        sends.Verify(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(SendState.Claimed, 1)]
    [InlineData(SendState.Claimed, 2)]
    [InlineData(SendState.Dropped, 1)]
    public async Task ClaimedByABatchThatSentThemNothing_ThenStopped_SendsTheOpeningOnce(SendState state, int attempt)
    {
        // Claimed in a batch (its contact stays on the row), the provider refused the batch, the opening was closed (which
        // stopped the campaign) and re-opened, then approved: the batch never mailed them, so the approval does.
        InBatch(2, state, attempt);
        Campaign(CampaignStatus.Stopped);

        var (outcome, work) = await RunAsync();
        var (again, _) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.Sent, WorkRunOutcome.Completed), (outcome, work));
        Assert.Equal(ApprovedOpeningOutcome.AlreadySent, again);
        Assert.Equal(alumnus.PersonalEmail, Assert.Single(sent).To);
        Assert.Equal([alumnus.Id], opening.ApprovedFlagged);
    }

    [Fact]
    public async Task BatchContactWithoutALedgerRow_SentNothing_SendsTheOpening()
    {
        // A claim whose batch died before its ledger rows were written: no request carried the person.
        alumnus.Contacts = [new OutreachContact(opening.CampaignId, 1, Now.AddDays(-1))];

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.Sent, outcome);
        Assert.Single(sent);
    }

    [Fact]
    public async Task OwnContact_OfAOneToOneSendWhoseOutcomeIsAwaited_IsAskedOfTheLedger_NotTakenAsSent()
    {
        // A first run claimed the row and crashed before the ledger knew: the redelivery goes through the send path.
        alumnus.Contacts = [new OutreachContact(opening.CampaignId, OutreachContact.OneToOne, Now.AddMinutes(-5))];

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.Sent, outcome);
        Assert.Single(sent);
    }

    [Fact]
    public async Task NotApproved_Rejected_SendsNothing()
    {
        approvals.Setup(a => a.IsApprovedAsync(alumnus.Id, opening.Scope, It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.NotApproved, WorkRunOutcome.Completed), (outcome, work));
        AssertNothingSentOrWritten();
    }

    /// <summary>The erasure sets do-not-contact and its start in one write: the person is not approved for anything any more.</summary>
    [Fact]
    public async Task ErasureBegun_RecordsNobody_AndSendsNothing()
    {
        (alumnus.DoNotContact, alumnus.ErasureStartedAt) = (true, Now.AddMinutes(-1));

        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.NotApproved, WorkRunOutcome.Completed), (outcome, work));
        AssertNothingSentOrWritten();
    }

    /// <summary>
    /// The follow-up read the row before the erasure began; the erasure then ran to its end, its last unlink finding the
    /// person on no opening yet, before the follow-up recorded them: the row, read again, is gone, so the id comes off again.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ErasureFinishedBetweenTheReadAndTheRecord_TakesTheIdBackOff_AndSendsNothing(bool campaignStarted)
    {
        if (!campaignStarted)
        {
            campaigns.Setup(c => c.GetProgressAsync(opening.CampaignId, It.IsAny<CancellationToken>())).ReturnsAsync((CampaignProgress?)null);
        }

        alumni.SetupSequence(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus).ReturnsAsync((Alumnus?)null);
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => [opening]);

        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.NotApproved, WorkRunOutcome.Completed), (outcome, work));
        Assert.Empty(sent);
        Assert.Equal(2, saved.Count);
        Assert.Empty(opening.ApprovedFlagged);
        takeBacks.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.TakeBack && i.SubjectId == alumnus.Id.Value), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>
    /// The decision writes this follow-up before itself (intent first): run before the decision lands, or after it lost
    /// to another write, the follow-up reads the approval still pending and does no harm.
    /// </summary>
    [Fact]
    public async Task RunBeforeTheDecisionWasSaved_FindsItPending_SendsNothing_AndRecordsNobody()
    {
        var store = new Mock<IApprovalStore>();
        store.Setup(s => s.GetAsync(alumnus.Id, opening.Scope, It.IsAny<CancellationToken>())).ReturnsAsync(
            new Approval(OpeningWork.ApprovalOf(opening, alumnus.Id, "admin-1", Now.AddDays(-2)), ApprovalStatus.Pending));

        var (outcome, work) = await RunAsync(new ComplianceApprovals(store.Object));

        Assert.Equal((ApprovedOpeningOutcome.NotApproved, WorkRunOutcome.Completed), (outcome, work));
        AssertNothingSentOrWritten();
    }

    [Fact]
    public async Task ClosedOpening_SendsNothing()
    {
        opening.Details = opening.Details with { Status = OpeningStatus.Closed };

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.NotSendable, outcome);
        AssertNothingSentOrWritten();
    }

    [Fact]
    public async Task SensitiveOpening_SendsNothing_EvenWithAnApproval()
    {
        opening.Details = opening.Details with { Confidentiality = Confidentiality.Sensitive };

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.NotSendable, outcome);
        AssertNothingSentOrWritten();
    }

    [Fact]
    public async Task ConsentToJobOffersWithdrawn_SendsNothing()
    {
        alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter };

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.NoLongerForThem, outcome);
        AssertNothingSentOrWritten();
    }

    [Fact]
    public async Task NoLongerMatching_SendsNothing()
    {
        profiles.Setup(p => p.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(OpeningBuilders.Profile(alumnus, ReturnInterest.No));

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.NoLongerForThem, outcome);
        AssertNothingSentOrWritten();
    }

    [Fact]
    public async Task RehireIneligible_SendsNothing()
    {
        alumnus.RehireEligible = false;

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.NoLongerForThem, outcome);
        AssertNothingSentOrWritten();
    }

    [Fact]
    public async Task OpeningNotSentYet_SendsNothing_ItsSendAsksTheApprovalItself()
    {
        opening.SentAt = null;

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.NotSendable, outcome);
        AssertNothingSentOrWritten();
    }

    [Fact]
    public async Task CampaignStillSending_WaitsAndSendsNothing_SoNoBatchCanSendItToo()
    {
        Campaign(CampaignStatus.Sending);

        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.WaitingForCampaign, WorkRunOutcome.Deferred), (outcome, work));
        AssertNothingSentOrWritten();
    }

    /// <summary>
    /// SentAt saved, then the campaign's start failed: no progress will come until the send is repeated. The person joins
    /// the campaign (its planner includes ApprovedFlagged when it starts) and the follow-up ends instead of waiting forever.
    /// </summary>
    [Fact]
    public async Task CampaignNeverStarted_RecordsThePersonForIt_SendsNothing_AndEnds()
    {
        campaigns.Setup(c => c.GetProgressAsync(opening.CampaignId, It.IsAny<CancellationToken>())).ReturnsAsync((CampaignProgress?)null);

        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.JoinsCampaign, WorkRunOutcome.Completed), (outcome, work));
        Assert.Empty(sent);
        Assert.Equal([alumnus.Id], Assert.Single(saved).ApprovedFlagged);
        Assert.True(OpeningMatcher.Reaches(opening, alumnus, OpeningBuilders.Profile(alumnus, ReturnInterest.ProjectWork)));
    }

    /// <summary>Started between the first read and the record: its planner may have read the opening before the person was on it, so the follow-up waits, as for any running campaign.</summary>
    [Fact]
    public async Task CampaignStartedWhileThePersonWasRecorded_WaitsForIt_AndSendsNothingYet()
    {
        campaigns.SetupSequence(c => c.GetProgressAsync(opening.CampaignId, It.IsAny<CancellationToken>()))
            .ReturnsAsync((CampaignProgress?)null)
            .ReturnsAsync(new CampaignProgress(opening.CampaignId, CampaignKind.Opening, opening.Id, CampaignStatus.Planning, Now, 0, new Dictionary<string, int>(), 0, 0, 0, 0, 0, 0, 0, 0));

        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.WaitingForCampaign, WorkRunOutcome.Deferred), (outcome, work));
        Assert.Empty(sent);
        Assert.Equal([alumnus.Id], opening.ApprovedFlagged);
    }

    [Fact]
    public async Task StoppedCampaign_OfAnOpeningOpenAgain_SendsTheMail()
    {
        Campaign(CampaignStatus.Stopped);

        var (outcome, _) = await RunAsync();

        Assert.Equal(ApprovedOpeningOutcome.Sent, outcome);
        Assert.Single(sent);
    }

    [Fact]
    public async Task OutreachCapReached_IsRefusedByTheGate_ButThePersonIsRecorded()
    {
        log.Setup(l => l.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(Enumerable.Range(0, 10)
            .Select(i => new OutreachDecision(alumnus.Id, $"c{i}", ConsentPurpose.Newsletter, true, true, "consented", Now.AddDays(-1))).ToArray());

        var (outcome, work) = await RunAsync();

        Assert.Equal((ApprovedOpeningOutcome.Refused, WorkRunOutcome.Completed), (outcome, work));
        Assert.Empty(sent);
        Assert.Equal([alumnus.Id], opening.ApprovedFlagged);
    }
}
