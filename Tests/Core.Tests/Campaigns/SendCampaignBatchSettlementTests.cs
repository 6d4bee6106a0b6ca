using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Campaigns;

/// <summary>
/// How an unknown batch is settled from its ledger rows, and what a stopped batch counts: each request of an attempt
/// on its own evidence, recipients of a request never made left to send (ADR 0024). With the webhook off a request
/// without evidence is treated as sent; with it on, it is asked again only when the webhook accepted posts throughout.
/// And how a run that runs out of its send time gives the rest of its batch back, unsent and never unknown, and how a wait
/// the provider asked for holds the batch against any delivery of its message. And how those the composer leaves out
/// at send time are counted, and recorded per person only when its exclusions are not private (survey mail, ADR 0025).
/// </summary>
public sealed class SendCampaignBatchSettlementTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<ICampaignStore> campaigns = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IEventWebhookHeartbeat> heartbeat = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IBulkEmailSender> email = new();
    private readonly Mock<ICampaignComposer> newsletters = new();
    private readonly SendGridEventWebhookOptions webhook = new();
    private readonly SendingOptions sending = new();
    private readonly List<BatchSend> recorded = [];
    private readonly List<AlumnusId> removed = [];
    private Alumnus[] members = [];
    private readonly BatchStorageBudget budget = new();
    private readonly TestMeters meters = new();
    private readonly Campaign campaign = Campaign.Start(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, "2027-01", AudienceSegment.Everyone, "timer"), Now.AddHours(-2));

    public SendCampaignBatchSettlementTests()
    {
        campaigns.Setup(c => c.GetAsync(campaign.Id, It.IsAny<CancellationToken>())).ReturnsAsync(campaign);
        campaigns.Setup(c => c.TryUpdateBatchAsync(It.IsAny<CampaignBatch>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        alumni.Setup(a => a.ListRecipientsAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).Returns(() => Array.Empty<CampaignRecipient>().ToAsyncEnumerable());
        sends.Setup(s => s.SettleBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<BatchSend>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<BatchSend> rows, CancellationToken _) => recorded.AddRange(rows))
            .ReturnsAsync((string _, IReadOnlyList<BatchSend> rows, CancellationToken _) => rows);
    }

    public void Dispose()
    {
        budget.Dispose();
        meters.Dispose();
    }

    private CampaignBatch Batch(BatchStatus status, int attempts, params BatchSend[] rows) => Batch(status, attempts, rows.Select(r => r.AlumnusId).ToArray(), rows);

    private CampaignBatch Batch(BatchStatus status, int attempts, AlumnusId[] recipients, BatchSend[] rows)
    {
        var batch = new CampaignBatch { CampaignId = campaign.Id, Number = 1, Recipients = recipients, Status = status, Attempts = attempts, RequestedAt = Now.AddHours(-1.5) };
        campaigns.Setup(c => c.GetBatchAsync(campaign.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(batch);
        sends.Setup(s => s.ListBatchAsync(batch.Key, It.IsAny<CancellationToken>())).ReturnsAsync(rows);
        return batch;
    }

    private static BatchSend[] Rows(int count, SendState state, int request, string? evidence = null) =>
        Enumerable.Range(0, count).Select(_ => new BatchSend(AlumnusId.New(), state, Now.AddHours(-1.5), 1, evidence, request)).ToArray();

    private async Task<BatchOutcome?> SendAsync(CampaignBatch batch) => (await RunAsync(batch)).Batch;

    /// <summary>An outreach log that holds no decision about anyone.</summary>
    private static IOutreachLog NoDecisions()
    {
        var outreach = new Mock<IOutreachLog>();
        outreach.Setup(o => o.SinceAsync(It.IsAny<AlumnusId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        return outreach.Object;
    }

    private async Task<(BatchOutcome? Batch, WorkRunOutcome Work)> RunAsync(CampaignBatch batch, IWorkItemStore? workItems = null, IOutreachLog? outreach = null)
    {
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var handler = new SendCampaignBatch(
            campaigns.Object, [newsletters.Object], alumni.Object, Mock.Of<IProfileStore>(), Mock.Of<IConsentLedger>(), sends.Object, outreach ?? NoDecisions(),
            new ErasureRecheck(alumni.Object, workItems ?? Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance), email.Object, new WorkItemRunner(workItems ?? Mock.Of<IWorkItemStore>(), Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance),
            new CampaignMailBuilder(new PromotionalFooter(links, Builders.Company(), Builders.Outreach())), new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach()),
            Options.Create(sending), Options.Create(webhook), heartbeat.Object, budget, meters, time, NullLogger<SendCampaignBatch>.Instance);
        var message = new WorkItem { Kind = WorkKinds.CampaignBatch, SubjectId = batch.Key, DueAt = Now }.ToMessage();
        return await handler.HandleAsync(message, CancellationToken.None);
    }

    /// <summary>A planned batch of members who may all get the newsletter, its ledger rows as written kept in order.</summary>
    private CampaignBatch PlannedBatchOfMembers(int count)
    {
        members = Enumerable.Range(0, count).Select(_ =>
        {
            var alumnus = Builders.Alumnus(Now.AddDays(-60), AlumnusStatus.Joined);
            alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter };
            return alumnus;
        }).ToArray();
        alumni.Setup(a => a.ListRecipientsAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).Returns(() => members.Select(Builders.Recipient).ToAsyncEnumerable());
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        newsletters.Setup(c => c.Kind).Returns(CampaignKind.Newsletter);
        newsletters.Setup(c => c.LoadAsync(campaign.SourceId, It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterMail());
        sends.Setup(s => s.RecordBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<BatchSend>>(), It.IsAny<IReadOnlyList<AlumnusId>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<BatchSend> rows, IReadOnlyList<AlumnusId> gone, CancellationToken _) =>
            {
                recorded.AddRange(rows);
                removed.AddRange(gone);
            })
            .ReturnsAsync((string _, IReadOnlyList<BatchSend> rows, IReadOnlyList<AlumnusId> _, CancellationToken _) => rows);
        return Batch(BatchStatus.Planned, 0, members.Select(m => m.Id).ToArray(), []);
    }

    /// <summary>Each recipient's row as last written.</summary>
    private Dictionary<AlumnusId, BatchSend> LastRows() => recorded.GroupBy(r => r.AlumnusId).ToDictionary(g => g.Key, g => g.Last());

    [Fact]
    public async Task SendTimeRunsOutWhileARequestIsRefusedForOneRecipient_NoFurtherRequest_RestLeftUnsentAndTheItemWaits()
    {
        var batch = PlannedBatchOfMembers(3);
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), Now + new SendingOptions().BatchSendTime, It.IsAny<CancellationToken>()))
            .Callback(() => time.Advance(TimeSpan.FromMinutes(4)))
            .ThrowsAsync(new BulkEmailRejectedException([0], "personalizations.0.to"));

        var (outcome, work) = await RunAsync(batch);

        // The refused recipient is dropped; the other two are not requested again in this run, and stay sendable.
        email.Verify(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal((BatchOutcome.OutOfTime, WorkRunOutcome.Deferred), (outcome, work));
        Assert.Equal(new[] { SendState.Claimed, SendState.Claimed, SendState.Dropped }, LastRows().Values.Select(r => r.State).Order());
        Assert.Equal((BatchStatus.Planned, 0), (batch.Status, batch.Attempts));
    }

    [Fact]
    public async Task SendTimeRunsOutWhileRecipientsAreClaimed_NoRequestIsMade_AndNoneIsLeftUnknown()
    {
        var batch = PlannedBatchOfMembers(2);
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Callback(() => time.Advance(TimeSpan.FromMinutes(5)))
            .ReturnsAsync(true);

        var (outcome, work) = await RunAsync(batch);

        email.VerifyNoOtherCalls();
        Assert.Equal((BatchOutcome.OutOfTime, WorkRunOutcome.Deferred), (outcome, work));
        Assert.All(LastRows().Values, r => Assert.Equal((SendState.Claimed, 0), (r.State, r.Request)));
        Assert.Equal(BatchStatus.Planned, batch.Status);
    }

    [Fact]
    public async Task RequestRefusedWhenTheRetriesStopAtTheDeadline_RecipientsLeftUnsentNotUnknown_AndTheItemRetries()
    {
        var batch = PlannedBatchOfMembers(2);
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new EmailNotAcceptedException(System.Net.HttpStatusCode.TooManyRequests));

        var (outcome, work) = await RunAsync(batch);

        Assert.Equal((null, WorkRunOutcome.RetryScheduled), (outcome, work));
        Assert.All(LastRows().Values, r => Assert.Equal(SendState.Claimed, r.State));
        Assert.Equal((BatchStatus.Planned, 0), (batch.Status, batch.Attempts));
    }

    [Theory]
    [InlineData(120, 120)]
    [InlineData(86_400, 1_800)] // a day asked: no longer than the item's longest backoff (Dispatch:RetryMaxDelay, 30 min)
    public async Task ThrottledWithAnAskedWait_AnotherDeliveryBeforeItEnds_SendsNothingAndWaitsUntilThen(int askedSeconds, int waitedSeconds)
    {
        var batch = PlannedBatchOfMembers(2);
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new EmailNotAcceptedException(System.Net.HttpStatusCode.TooManyRequests, retryAfter: new(TimeSpan.FromSeconds(askedSeconds))));
        var waitEnds = Now + TimeSpan.FromSeconds(waitedSeconds);
        Assert.Equal((null, WorkRunOutcome.RetryScheduled), await RunAsync(batch));
        Assert.Equal((BatchStatus.Planned, waitEnds), (batch.Status, batch.NotBefore));

        // The same message delivered again (or re-driven) a second before the wait ends.
        time.Advance(TimeSpan.FromSeconds(waitedSeconds - 1));
        var store = new Mock<IWorkItemStore>();
        var item = new WorkItem { Kind = WorkKinds.CampaignBatch, SubjectId = batch.Key, DueAt = Now };
        store.Setup(s => s.FindAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>())).ReturnsAsync(item);
        store.Setup(s => s.TryUpdateAsync(item, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        Assert.Equal((BatchOutcome.Throttled, WorkRunOutcome.Deferred), await RunAsync(batch, store.Object));

        email.Verify(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(waitEnds, item.LeasedUntil);
        Assert.Equal(BatchStatus.Planned, batch.Status);
    }

    [Fact]
    public async Task ThrottledWithAnAskedWait_RunAfterItEnds_SendsTheBatchOnce()
    {
        var batch = PlannedBatchOfMembers(2);
        email.SetupSequence(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new EmailNotAcceptedException(System.Net.HttpStatusCode.TooManyRequests, retryAfter: new(Now.AddMinutes(2))))
            .ReturnsAsync("accepted-1");
        await RunAsync(batch);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch));

        email.Verify(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Equal((BatchStatus.Sent, 2), (batch.Status, batch.Sent));
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task SomeoneTheComposerLeavesOutAtSendTime_IsCountedOnTheBatch_AndGetsADecisionOnlyWhenExclusionsAreNotPrivate(bool exclusionsArePrivate, int decisions)
    {
        var batch = PlannedBatchOfMembers(3);
        var left = batch.Recipients[0];
        newsletters.Setup(c => c.LoadAsync(campaign.SourceId, It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterMail(left, exclusionsArePrivate));
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync("accepted-1");
        var log = new Mock<IOutreachLog>();

        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch, outreach: log.Object));

        Assert.Equal((2, 1), (batch.Sent, batch.Skipped.GetValueOrDefault("left-the-audience")));
        Assert.DoesNotContain(left, LastRows().Keys);
        log.Verify(l => l.RecordAsync(It.Is<OutreachDecision>(d => d.AlumnusId == left), It.IsAny<CancellationToken>()), Times.Exactly(decisions));
    }

    [Fact]
    public async Task EventAboutAnAcceptedPartOnly_DoesNotProveTheLaterUnknownRequest()
    {
        var firstPart = Rows(3, SendState.Sent, 1, "accepted");
        var dropped = Rows(1, SendState.Dropped, 1, "event:dropped");
        var secondPart = Rows(4, SendState.Unknown, 2);
        var batch = Batch(BatchStatus.Unknown, 1, [.. firstPart, .. dropped, .. secondPart]);

        Assert.Equal(BatchOutcome.Unconfirmed, await SendAsync(batch));

        Assert.Equal(secondPart.Select(r => r.AlumnusId.Value).Order(), recorded.Where(r => r.State == SendState.Unconfirmed).Select(r => r.AlumnusId.Value).Order());
        Assert.DoesNotContain(recorded, r => r.State == SendState.Sent);
        Assert.Equal((BatchStatus.Unconfirmed, 7, 1), (batch.Status, batch.Sent, batch.Failed));
    }

    [Fact]
    public async Task FirstRequestProvenAndSecondNeverMade_OnlyTheFirstIsSettledAndTheBatchIsNotDone()
    {
        var firstRequest = Rows(3, SendState.Unknown, 1);
        var evidenced = Rows(1, SendState.Sent, 1, "event:processed");
        var neverRequested = Rows(5, SendState.Claimed, 0);
        var batch = Batch(BatchStatus.Unknown, 1, [.. firstRequest, .. evidenced, .. neverRequested]);
        campaign.Stop();

        // Freed for another attempt, which finds the campaign stopped: the batch keeps what its first request sent.
        Assert.Equal(BatchOutcome.Stopped, await SendAsync(batch));

        Assert.Equal(firstRequest.Select(r => r.AlumnusId.Value).Order(), recorded.Where(r => r.State == SendState.Sent).Select(r => r.AlumnusId.Value).Order());
        Assert.DoesNotContain(recorded, r => neverRequested.Any(n => n.AlumnusId == r.AlumnusId));
    }

    [Fact]
    public async Task WindowPassedWhileAnAttemptStillHoldsItsLease_BatchIsNotFreed_UntilTheLeaseLapses()
    {
        // A live attempt renewed its lease before its second request, whose recipients are still claimed: freeing the
        // batch now would let this delivery take it and send that request too.
        var firstRequest = Rows(3, SendState.Sent, 1, "accepted");
        var nextRequest = Rows(4, SendState.Claimed, 0);
        var batch = Batch(BatchStatus.Unknown, 1, [.. firstRequest, .. nextRequest]);
        batch.LeaseUntil = Now + CampaignBatch.Lease;
        campaign.Stop();

        Assert.Equal(BatchOutcome.Busy, await SendAsync(batch));
        Assert.Equal((BatchStatus.Unknown, 1), (batch.Status, batch.Attempts));
        Assert.Empty(recorded);

        time.Advance(CampaignBatch.Lease);

        // The attempt died or ended: the batch is freed, and taken by this delivery (which finds the campaign stopped).
        Assert.Equal(BatchOutcome.Stopped, await SendAsync(batch));
        Assert.Equal(BatchStatus.Stopped, batch.Status);
    }

    [Fact]
    public async Task AttemptEndingWithAnUnknownOutcome_ReleasesItsLease_SoSettlementWaitsOnlyForTheWindow()
    {
        var batch = PlannedBatchOfMembers(2);
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new EmailOutcomeUnknownException(new TimeoutException()));

        Assert.Equal(BatchOutcome.OutcomeUnknown, (await RunAsync(batch)).Batch);

        Assert.Equal((BatchStatus.Unknown, null), (batch.Status, batch.LeaseUntil));
    }

    [Fact]
    public async Task ProviderCallOutlastsTheLease_SettlementDuringItIsBusy_AndTheRequestIsMadeOnce()
    {
        // The bulk pipeline's retries can keep one call going for about three and a half minutes, past the two-minute
        // lease; with a one-minute window another delivery comes to settle the batch while the call goes on.
        sending.OutcomeWindow = TimeSpan.FromMinutes(1);
        var batch = PlannedBatchOfMembers(2);
        sends.Setup(s => s.ListBatchAsync(batch.Key, It.IsAny<CancellationToken>())).ReturnsAsync(() => LastRows().Values.ToArray());
        BatchOutcome? second = null;
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Returns(async (BulkMessage _, DateTimeOffset _, CancellationToken _) =>
            {
                time.Advance(TimeSpan.FromSeconds(210));
                second = await SendAsync(batch);
                return "accepted-1";
            });

        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch));

        Assert.Equal(BatchOutcome.Busy, second);
        email.Verify(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal((BatchStatus.Sent, 2), (batch.Status, batch.Sent));
    }

    [Fact]
    public async Task StoppedWithPartsSentAndDropped_BatchKeepsTheLedgersCounts()
    {
        var batch = Batch(BatchStatus.Planned, 0, [.. Rows(2, SendState.Sent, 1, "accepted"), .. Rows(1, SendState.Dropped, 1, "provider-rejected"), .. Rows(3, SendState.Claimed, 0)]);
        campaign.Stop();

        Assert.Equal(BatchOutcome.Stopped, await SendAsync(batch));

        Assert.Equal((BatchStatus.Stopped, 2, 1), (batch.Status, batch.Sent, batch.Failed));
    }

    [Fact]
    public async Task Stopped_TakesBackTheClaimsOfOnlyThoseNoRequestCarried_KeepingTheirOtherContacts()
    {
        var members = Enumerable.Range(0, 7).Select(_ =>
        {
            var alumnus = Builders.Alumnus(Now.AddDays(-60), AlumnusStatus.Joined);
            alumnus.Contacts = [new OutreachContact(campaign.Id, 1, Now.AddHours(-2)), new OutreachContact("survey-2026-12", 3, Now.AddDays(-5))];
            return alumnus;
        }).ToArray();
        BatchSend Row(int i, SendState state, int request, string? evidence = null) => new(members[i].Id, state, Now.AddHours(-1.5), 1, evidence, request);
        var batch = Batch(BatchStatus.Planned, 1, [.. members.Select(m => m.Id)], [
            Row(0, SendState.Sent, 1, "accepted"), Row(1, SendState.Unknown, 1), Row(2, SendState.Unconfirmed, 1, "rule:no-evidence"),
            Row(3, SendState.Dropped, 1, "provider-rejected"), Row(4, SendState.Claimed, 0), Row(5, SendState.Claimed, 0)]);
        var stored = members.Select(Builders.Recipient).ToArray();
        alumni.Setup(a => a.ListRecipientsAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).Returns(() => stored.ToAsyncEnumerable());
        var written = new ConcurrentBag<IRecipient>();
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Callback((IReadOnlyList<IRecipient> rows, CancellationToken _) => Array.ForEach([.. rows], written.Add))
            .ReturnsAsync(true);
        campaign.Stop();

        Assert.Equal(BatchOutcome.Stopped, await SendAsync(batch));

        // Two never requested, one whose claim an attempt made but whose ledger row it never wrote (it died before).
        Assert.Equal(members[4..].Select(m => m.Id.Value).Order(), written.Select(a => a.Id.Value).Order());
        Assert.All(written, a => Assert.Equal(new[] { "survey-2026-12" }, a.Contacts.Select(c => c.CampaignId)));
        Assert.All(stored[..4], m => Assert.Contains(m.Contacts, c => c.CampaignId == campaign.Id));
        Assert.Equal(BatchStatus.Stopped, batch.Status);
    }

    [Fact]
    public async Task StoppedButTheBatchTakenOverWhileClaimsAreTakenBack_TakesBackNothing_AndLeavesTheBatchToTheOtherAttempt()
    {
        var member = Builders.Alumnus(Now.AddDays(-60), AlumnusStatus.Joined);
        member.Contacts = [new OutreachContact(campaign.Id, 1, Now.AddHours(-2))];
        var batch = Batch(BatchStatus.Planned, 1, [member.Id], [new BatchSend(member.Id, SendState.Claimed, Now.AddHours(-1.5), 1)]);
        alumni.Setup(a => a.ListRecipientsAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).Returns(() => new[] { Builders.Recipient(member) }.ToAsyncEnumerable());
        campaigns.Setup(c => c.TryUpdateBatchAsync(It.IsAny<CampaignBatch>(), It.IsAny<CancellationToken>()))
            .Callback(() => time.Advance(CampaignBatch.Lease))
            .ReturnsAsync((CampaignBatch b, CancellationToken _) => b.Status == BatchStatus.Claiming && b.LeaseUntil == Now + CampaignBatch.Lease);
        campaign.Stop();

        Assert.Equal(BatchOutcome.Busy, await SendAsync(batch));

        alumni.Verify(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.NotEqual(BatchStatus.Stopped, batch.Status);
    }

    [Fact]
    public async Task EngagementCountedOnTheBatchRowBetweenReadAndClaim_DoesNotMakeTheAttemptBusy_AndTheCountsAreKept()
    {
        var batch = Batch(BatchStatus.Planned, 1, [.. Rows(2, SendState.Sent, 1, "accepted"), .. Rows(3, SendState.Claimed, 0)]);
        var counted = new CampaignBatch { CampaignId = batch.CampaignId, Number = 1, Recipients = batch.Recipients, Status = BatchStatus.Planned, Attempts = 1, RequestedAt = batch.RequestedAt, Opened = 2, ETag = "counted" };
        campaigns.SetupSequence(c => c.GetBatchAsync(campaign.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(batch).ReturnsAsync(counted);
        campaigns.SetupSequence(c => c.TryUpdateBatchAsync(It.IsAny<CampaignBatch>(), It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true).ReturnsAsync(true);
        campaign.Stop();

        Assert.Equal(BatchOutcome.Stopped, await SendAsync(batch));

        Assert.Equal((BatchStatus.Stopped, 2, 2), (batch.Status, batch.Sent, batch.Opened));
    }

    [Fact]
    public async Task AnotherAttemptTookTheBatchBetweenReadAndClaim_IsBusy()
    {
        var batch = Batch(BatchStatus.Planned, 1, Rows(3, SendState.Claimed, 0));
        var taken = new CampaignBatch { CampaignId = batch.CampaignId, Number = 1, Recipients = batch.Recipients, Status = BatchStatus.Claiming, LeaseUntil = Now.AddMinutes(2), Attempts = 1, ETag = "taken" };
        campaigns.SetupSequence(c => c.GetBatchAsync(campaign.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(batch).ReturnsAsync(taken);
        campaigns.SetupSequence(c => c.TryUpdateBatchAsync(It.IsAny<CampaignBatch>(), It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);
        campaign.Stop();

        Assert.Equal(BatchOutcome.Busy, await SendAsync(batch));
    }

    /// <summary>
    /// Two recipients whose first request is refused as a whole (a 400 naming nobody): each half then goes as a request of
    /// its own, so the attempt makes three requests; <paramref name="onSecond"/> runs while the second is answered 202.
    /// </summary>
    private CampaignBatch BatchSentInThreeRequests(Action onSecond)
    {
        var batch = PlannedBatchOfMembers(2);
        sends.Setup(s => s.ListBatchAsync(batch.Key, It.IsAny<CancellationToken>())).ReturnsAsync(() => LastRows().Values.ToArray());
        email.SetupSequence(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new BulkEmailRejectedException([], "personalizations"))
            .Returns(() =>
            {
                onSecond();
                return Task.FromResult("accepted-2");
            })
            .ReturnsAsync("accepted-3");
        return batch;
    }

    /// <summary>The row as another attempt left it after taking the batch over.</summary>
    private CampaignBatch TakenOver(CampaignBatch batch) =>
        new() { CampaignId = batch.CampaignId, Number = 1, Recipients = batch.Recipients, Status = BatchStatus.Claiming, LeaseUntil = time.GetUtcNow().AddMinutes(2), Attempts = 0, ETag = "taken" };

    [Fact]
    public async Task ClaimingOutlastsTheLease_LeaseIsRenewed_AndASecondAttemptMeanwhileIsBusy()
    {
        var batch = PlannedBatchOfMembers(2);
        newsletters.Setup(c => c.LoadAsync(campaign.SourceId, It.IsAny<CancellationToken>()))
            .Callback(() => time.Advance(TimeSpan.FromSeconds(100)))
            .ReturnsAsync(new NewsletterMail());
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync("accepted-1");

        // Past the first lease (100 s + 100 s > 2 min) another delivery of the message runs while the claims are written.
        BatchOutcome? second = null;
        var ran = 0;
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Returns(async (IReadOnlyList<IRecipient> _, CancellationToken _) =>
            {
                if (Interlocked.Exchange(ref ran, 1) == 0)
                {
                    time.Advance(TimeSpan.FromSeconds(100));
                    second = await SendAsync(batch);
                }

                return true;
            });

        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch));

        Assert.Equal(BatchOutcome.Busy, second);
        email.Verify(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal((BatchStatus.Sent, 2), (batch.Status, batch.Sent));
    }

    [Fact]
    public async Task AttemptFindsTheBatchTakenWhenItRenewsTheLease_ClaimsWritesAndSendsNothing()
    {
        var batch = PlannedBatchOfMembers(2);
        newsletters.Setup(c => c.LoadAsync(campaign.SourceId, It.IsAny<CancellationToken>()))
            .Callback(() => time.Advance(TimeSpan.FromMinutes(3)))
            .ReturnsAsync(new NewsletterMail());
        campaigns.SetupSequence(c => c.GetBatchAsync(campaign.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(batch).ReturnsAsync(() => TakenOver(batch));
        campaigns.SetupSequence(c => c.TryUpdateBatchAsync(It.IsAny<CampaignBatch>(), It.IsAny<CancellationToken>())).ReturnsAsync(true).ReturnsAsync(false);

        Assert.Equal(BatchOutcome.Busy, await SendAsync(batch));

        alumni.Verify(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(recorded);
        email.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task BatchTakenOverBetweenTwoRequests_AttemptStopsBeforeTheNextRequest()
    {
        // Another attempt takes the batch over while the second request is answered (a settlement once a short window passed).
        var held = true;
        var batch = BatchSentInThreeRequests(() => held = false);
        campaigns.Setup(c => c.TryUpdateBatchAsync(It.IsAny<CampaignBatch>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => held);
        campaigns.SetupSequence(c => c.GetBatchAsync(campaign.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(batch).ReturnsAsync(() => TakenOver(batch));

        Assert.Equal(BatchOutcome.Busy, await SendAsync(batch));

        // The second request went; the third, to the other half, is left to the attempt that holds the batch now.
        email.Verify(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        var rows = LastRows().Values.Select(r => (r.State, r.Request)).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains((SendState.Sent, 2), rows);
        Assert.Contains((SendState.Claimed, 0), rows);
    }

    [Fact]
    public async Task CampaignStoppedBetweenTwoRequests_LaterRequestIsNotMade_AndTheBatchStopsWithWhatWent()
    {
        var batch = BatchSentInThreeRequests(campaign.Stop);

        Assert.Equal((BatchOutcome.Stopped, WorkRunOutcome.Completed), await RunAsync(batch));

        email.Verify(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        var rows = LastRows().Values.Select(r => (r.State, r.Request)).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains((SendState.Sent, 2), rows);
        Assert.Contains((SendState.Claimed, 0), rows);
        Assert.Equal((BatchStatus.Stopped, 1, 0), (batch.Status, batch.Sent, batch.Failed));
    }

    [Fact]
    public async Task CampaignStoppedWhileRecipientsWereClaimed_NoRequestIsMade_AndNoneIsLeftUnknown()
    {
        var batch = PlannedBatchOfMembers(2);
        sends.Setup(s => s.ListBatchAsync(batch.Key, It.IsAny<CancellationToken>())).ReturnsAsync(() => LastRows().Values.ToArray());
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Callback(campaign.Stop)
            .ReturnsAsync(true);

        Assert.Equal((BatchOutcome.Stopped, WorkRunOutcome.Completed), await RunAsync(batch));

        email.VerifyNoOtherCalls();
        Assert.All(LastRows().Values, r => Assert.Equal((SendState.Claimed, 0), (r.State, r.Request)));
        Assert.Equal((BatchStatus.Stopped, 0), (batch.Status, batch.Sent));
    }

    /// <summary>The event webhook on, its latest stretch of accepted posts as given (hours from now).</summary>
    private void WebhookOn(double? sinceHours, double throughHours = 0)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        webhook.EventWebhookPublicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        heartbeat.Setup(h => h.CurrentRunAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(sinceHours is { } since ? new WebhookRun(Now.AddHours(since), Now.AddHours(throughHours)) : null);
    }

    [Fact]
    public async Task WebhookOnButNoPostAcceptedSinceTheRequest_BatchWaitsAndNothingIsSettledOrSent()
    {
        WebhookOn(sinceHours: null);
        var batch = Batch(BatchStatus.Unknown, 1, Rows(5, SendState.Unknown, 1));

        Assert.Equal(BatchOutcome.OutcomeUnknown, await SendAsync(batch));

        Assert.Empty(recorded);
        Assert.Equal((BatchStatus.Unknown, 1), (batch.Status, batch.Attempts));
    }

    [Fact]
    public async Task PostsAcceptedOnlyFromAfterTheRequest_BatchWaits()
    {
        // The webhook refused posts (a deploy, a storage outage) when the request's events would have come.
        WebhookOn(sinceHours: -1.4);
        var batch = Batch(BatchStatus.Unknown, 1, Rows(5, SendState.Unknown, 1));

        Assert.Equal(BatchOutcome.OutcomeUnknown, await SendAsync(batch));

        Assert.Empty(recorded);
        Assert.Equal(BatchStatus.Unknown, batch.Status);
    }

    [Fact]
    public async Task PostsAcceptedFromBeforeTheRequestToPastTheWindow_BatchIsFreedForASecondAttempt()
    {
        WebhookOn(sinceHours: -3, throughHours: -0.1);
        var batch = Batch(BatchStatus.Unknown, 1, Rows(5, SendState.Unknown, 1));
        campaign.Stop();

        // Freed for another attempt (which finds the campaign stopped): nothing was treated as sent.
        Assert.Equal(BatchOutcome.Stopped, await SendAsync(batch));

        Assert.Empty(recorded);
        Assert.Equal((BatchStatus.Stopped, 0), (batch.Status, batch.Sent));
    }

    [Fact]
    public async Task BatchFreedBySettling_WhoseRowTheWebhookCountedMeanwhile_IsClaimedNotBusy()
    {
        // Part 1 accepted and still reporting opens; part 2 never arrived: the batch is freed, and its stored row is
        // still Unknown while an open moves its ETag under the claim.
        WebhookOn(sinceHours: -3, throughHours: -0.1);
        var batch = Batch(BatchStatus.Unknown, 1, [.. Rows(2, SendState.Sent, 1, "accepted"), .. Rows(3, SendState.Unknown, 2)]);
        var counted = new CampaignBatch { CampaignId = batch.CampaignId, Number = 1, Recipients = batch.Recipients, Status = BatchStatus.Unknown, Attempts = 1, RequestedAt = batch.RequestedAt, Opened = 1, ETag = "counted" };
        campaigns.SetupSequence(c => c.GetBatchAsync(campaign.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(batch).ReturnsAsync(counted);
        campaigns.SetupSequence(c => c.TryUpdateBatchAsync(It.IsAny<CampaignBatch>(), It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true).ReturnsAsync(true);
        campaign.Stop();

        Assert.Equal(BatchOutcome.Stopped, await SendAsync(batch));

        Assert.Equal((BatchStatus.Stopped, 1), (batch.Status, batch.Opened));
    }

    [Fact]
    public async Task NoStretchCoveredTheRequestWhenSendGridsRetriesEnd_TreatedAsSentNeverRequestedAgain()
    {
        time.Advance(TimeSpan.FromHours(24));
        WebhookOn(sinceHours: -1);
        var unknown = Rows(5, SendState.Unknown, 1);
        var batch = Batch(BatchStatus.Unknown, 1, unknown);

        Assert.Equal(BatchOutcome.Unconfirmed, await SendAsync(batch));

        Assert.Equal(5, recorded.Count(r => r is { State: SendState.Unconfirmed, Evidence: "rule:webhook-silent" }));
        Assert.Equal((BatchStatus.Unconfirmed, 5), (batch.Status, batch.Sent));
    }

    [Fact]
    public async Task RowDroppedByAnEventWhileTheBatchWasSettled_CountsAsFailedNotSent()
    {
        var unknown = Rows(3, SendState.Unknown, 1);
        var batch = Batch(BatchStatus.Unknown, 1, [.. unknown, .. Rows(1, SendState.Sent, 1, "event:processed")]);
        sends.Setup(s => s.SettleBatchAsync(batch.Key, It.IsAny<IReadOnlyList<BatchSend>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<BatchSend> rows, CancellationToken _) => [.. rows.Skip(1), rows[0] with { State = SendState.Dropped, Evidence = "event:dropped" }]);

        Assert.Equal(BatchOutcome.Sent, await SendAsync(batch));

        Assert.Equal((BatchStatus.Sent, 3, 1), (batch.Status, batch.Sent, batch.Failed));
    }

    /// <summary>
    /// A batch of three whose first request is refused for its first recipient after <paramref name="took"/>, during
    /// which <paramref name="meanwhile"/> happens (given the first request's addresses); the rest go in a second request.
    /// The requests' addresses are kept.
    /// </summary>
    private (CampaignBatch Batch, List<string[]> Requests) BatchSplitAfter(TimeSpan took, Action<string[]> meanwhile)
    {
        var batch = PlannedBatchOfMembers(3);
        Array.ForEach(members, m => m.PersonalEmail = EmailAddress.Parse($"member-{m.Id.Value}@example.net"));
        var requests = new List<string[]>();
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Returns((BulkMessage message, DateTimeOffset _, CancellationToken _) =>
            {
                requests.Add([.. message.Recipients.Select(r => r.To.Value)]);
                if (requests.Count > 1)
                {
                    return Task.FromResult("accepted");
                }

                time.Advance(took);
                meanwhile(requests[0]);
                throw new BulkEmailRejectedException([0], "personalizations.0.to");
            });
        return (batch, requests);
    }

    [Fact]
    public async Task LaterRequestPastTheRecheckTime_SomeoneWhoWithdrewMeanwhile_IsNotMailedButSkippedWithTheReasonAndTheirClaimGivenBack()
    {
        var outreach = new Mock<IOutreachLog>();
        outreach.Setup(o => o.SinceAsync(It.IsAny<AlumnusId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        Alumnus withdrawn = null!;
        var (batch, requests) = BatchSplitAfter(SendCampaignBatch.RecheckAfter, first =>
        {
            withdrawn = members.Single(m => m.PersonalEmail.Value == first[1]);
            withdrawn.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership };
        });

        // The claims land on the rows, as the store's would.
        var written = new List<IRecipient>();
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Callback((IReadOnlyList<IRecipient> rows, CancellationToken _) =>
            {
                written.AddRange(rows);
                Array.ForEach([.. rows], r => members.Single(m => m.Id == r.Id).Contacts = r.Contacts);
            })
            .ReturnsAsync(true);

        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch, outreach: outreach.Object));

        Assert.Equal(2, requests.Count);
        Assert.DoesNotContain(withdrawn.PersonalEmail.Value, requests[1]);
        Assert.Single(requests[1]);
        Assert.Equal((1, 1, 1), (batch.Sent, batch.Failed, batch.Skipped["no-consent:Newsletter"]));
        outreach.Verify(o => o.RecordAsync(It.Is<OutreachDecision>(d => d.AlumnusId == withdrawn.Id && !d.Allowed && d.Reason == "no-consent:Newsletter"), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(2, written.Count(r => r.Id == withdrawn.Id));
        Assert.DoesNotContain(withdrawn.Contacts, c => c.CampaignId == campaign.Id);
        Assert.Equal(new[] { withdrawn.Id }, removed);
    }

    [Fact]
    public async Task LaterRequestPastTheRecheckTime_SomeoneWhoseErasureBeganMeanwhile_IsNotMailed_NothingLoggedAboutThem_TheirUnsentRowRemoved()
    {
        var outreach = new Mock<IOutreachLog>();
        Alumnus erasing = null!;
        var (batch, requests) = BatchSplitAfter(SendCampaignBatch.RecheckAfter, first =>
        {
            erasing = members.Single(m => m.PersonalEmail.Value == first[1]);
            erasing.ErasureStartedAt = time.GetUtcNow();
        });

        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch, outreach: outreach.Object));

        Assert.Equal(2, requests.Count);
        Assert.Equal(new[] { requests[0][2] }, requests[1]);
        Assert.Equal((1, 1, 0), (batch.Sent, batch.Failed, batch.Skipped.Count));
        outreach.Verify(o => o.RecordAsync(It.IsAny<OutreachDecision>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(new[] { erasing.Id }, removed);
        Assert.DoesNotContain(recorded, r => r.AlumnusId == erasing.Id && r.State is SendState.Sent);
    }

    [Fact]
    public async Task OneRequestAfterASlowClaim_WhoseRecheckRunsPastTheSendTime_IsNotMade_AndItsRecipientsAreLeftClaimed()
    {
        var batch = PlannedBatchOfMembers(2);
        var claimed = false;
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Callback(() =>
            {
                claimed = true;
                time.Advance(SendCampaignBatch.RecheckAfter);
            })
            .ReturnsAsync(true);
        alumni.Setup(a => a.ListRecipientsAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).Returns(() =>
        {
            // The recheck's own reads take the rest of the send time.
            if (claimed)
            {
                time.Advance(sending.BatchSendTime);
            }

            return members.Select(Builders.Recipient).ToAsyncEnumerable();
        });

        var (outcome, work) = await RunAsync(batch);

        email.Verify(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal((BatchOutcome.OutOfTime, WorkRunOutcome.Deferred), (outcome, work));
        Assert.All(LastRows().Values, r => Assert.Equal((SendState.Claimed, 0), (r.State, r.Request)));
    }

    [Fact]
    public async Task FirstRequestRebuiltByItsRecheckIntoTwo_WhoeverItNoLongerCarries_IsClaimedAgainBeforeItGoes()
    {
        // One member's row grows, during a slow claim, past what one shared request of both languages can carry.
        var batch = PlannedBatchOfMembers(2);
        newsletters.Setup(c => c.LoadAsync(campaign.SourceId, It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterMail(greets: true));
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Callback(() =>
            {
                time.Advance(SendCampaignBatch.RecheckAfter);
                (members[1].Locale, members[1].GivenName) = (members[0].Locale == Locale.Japanese ? Locale.English : Locale.Japanese, new string('名', BulkMessage.MaxSubstitutionBytes));
            })
            .ReturnsAsync(true);
        var atFirstRequest = new List<Dictionary<AlumnusId, BatchSend>>();
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback(() => atFirstRequest.Add(LastRows()))
            .ReturnsAsync("accepted");

        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch));

        Assert.Equal(2, atFirstRequest.Count);
        Assert.Equal((SendState.Unknown, 1), (atFirstRequest[0][members[0].Id].State, atFirstRequest[0][members[0].Id].Request));
        Assert.Equal((SendState.Claimed, 0), (atFirstRequest[0][members[1].Id].State, atFirstRequest[0][members[1].Id].Request));
        Assert.Equal((SendState.Unknown, 2), (atFirstRequest[1][members[1].Id].State, atFirstRequest[1][members[1].Id].Request));
    }

    [Fact]
    public async Task SettlingAnUnknownBatchWhoseAttemptDied_TakesBackItsRefusalsOfSomeoneWhoseErasureBegan()
    {
        // A recheck logged a refusal after the unknown mark, the person's erasure began, and the attempt died.
        var erased = Builders.Alumnus(Now.AddDays(-60), AlumnusStatus.Joined);
        erased.ErasureStartedAt = Now.AddMinutes(-30);
        alumni.Setup(a => a.ListRecipientsAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).Returns(() => new[] { Builders.Recipient(erased) }.ToAsyncEnumerable());
        var refusal = new OutreachDecision(erased.Id, campaign.Id, ConsentPurpose.Newsletter, true, false, "no-consent:Newsletter", Now.AddHours(-1));
        var outreach = new Mock<IOutreachLog>();
        outreach.Setup(o => o.SinceAsync(erased.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([refusal]);
        var batch = Batch(BatchStatus.Unknown, 1, [erased.Id], [new BatchSend(erased.Id, SendState.Claimed, Now.AddHours(-1.5), 1)]);

        await RunAsync(batch, outreach: outreach.Object);

        outreach.Verify(o => o.RemoveAsync(It.Is<IEnumerable<OutreachDecision>>(d => d.Single() == refusal), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task LaterRequestSoonerThanTheRecheckTime_RowsAreNotReadAgain_AndItsRecipientsGoAsDecided()
    {
        var (batch, requests) = BatchSplitAfter(SendCampaignBatch.RecheckAfter - TimeSpan.FromSeconds(1), _ => members[1].Consented = new HashSet<ConsentPurpose>());
        var reads = members.Select(m => m.Id.Bucket).Distinct().Count();

        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch));

        Assert.Equal(requests[0][1..], requests[1]);
        alumni.Verify(a => a.ListRecipientsAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Exactly(reads));
        Assert.Empty(removed);
    }

    [Fact]
    public async Task OneRequestAfterASlowClaim_PastTheRecheckTime_LeavesOutWhoeverWasSuppressedMeanwhile()
    {
        var batch = PlannedBatchOfMembers(2);
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Callback(() =>
            {
                time.Advance(SendCampaignBatch.RecheckAfter);
                members[0].Suppressed = SuppressionReason.Bounce;
            })
            .ReturnsAsync(true);
        var requests = new List<string[]>();
        email.Setup(e => e.SendAsync(It.IsAny<BulkMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((BulkMessage message, DateTimeOffset _, CancellationToken _) => requests.Add([.. message.Recipients.Select(r => r.To.Value)]))
            .ReturnsAsync("accepted");

        Assert.Equal((BatchOutcome.Sent, WorkRunOutcome.Completed), await RunAsync(batch));

        Assert.Equal(new[] { members[1].PersonalEmail.Value }, Assert.Single(requests));
        Assert.Equal((1, 1), (batch.Sent, batch.Skipped.Values.Sum()));
        Assert.Equal(new[] { members[0].Id }, removed);
    }

    /// <param name="leftOut">Someone the composer's own rule leaves out.</param>
    /// <param name="greets">The body greets each recipient by their given name.</param>
    private sealed class NewsletterMail(AlumnusId? leftOut = null, bool exclusionsArePrivate = false, bool greets = false) : ICampaignMail
    {
        public MailTemplate Template(Locale locale) => greets ? new("Newsletter", "<p>{{name|h}}: News</p>", "{{name}}: News") : new("Newsletter", "<p>News</p>", "News");

        public bool Includes(IRecipient alumnus, Profile? profile) => alumnus.Id != leftOut;

        public bool ExclusionsArePrivate => exclusionsArePrivate;

        public IReadOnlyDictionary<string, string> Values(IRecipient recipient) => greets ? new Dictionary<string, string> { ["name"] = recipient.GivenName } : new Dictionary<string, string>();
    }

    private sealed class TestMeters : IMeterFactory
    {
        private readonly List<Meter> created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            created.Add(meter);
            return meter;
        }

        public void Dispose() => created.ForEach(m => m.Dispose());
    }
}
