using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Core.Tests.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Privacy;

/// <summary>The work item that removes whatever a page wrote as its alumnus's erasure began and could not take back.</summary>
public sealed class TakeBackWritesTests
{
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<ICollaborationStore> cards = new();
    private readonly Mock<IApprovalStore> approvals = new();
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<IEngagementCounters> engagement = new();
    private readonly Mock<IOutreachLog> outreach = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly FakeTimeProvider time = new(EventBuilders.Now);

    public TakeBackWritesTests()
    {
        // Nothing left by default: each test puts in place the records it is about.
        events.Setup(s => s.RsvpsOfAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        openings.Setup(o => o.InterestsOfAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        outreach.Setup(o => o.SinceAsync(It.IsAny<AlumnusId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private TakeBackWrites Handler() => new(
        new EventRegistrations(events.Object, work.Object, time),
        new OpeningsPersonalData(openings.Object, Mock.Of<IRehireStore>(r => r.OfAlumnusAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()) == Task.FromResult<IReadOnlyList<Rehire>>(Array.Empty<Rehire>()))),
        new CollaborationData(cards.Object, Mock.Of<IConflictAssessments>(), approvals.Object),
        new SurveyRecords(surveys.Object, Mock.Of<ISurveyResponseStore>(), Mock.Of<ISendLedger>()),
        profiles.Object,
        engagement.Object,
        outreach.Object,
        sends.Object,
        new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance),
        time,
        NullLogger<TakeBackWrites>.Instance);

    private async Task<WorkRunOutcome> RunAsync(AlumnusId alumnusId) =>
        await Handler().HandleAsync(TakeBackWrites.WorkFor(alumnusId, time.GetUtcNow()).ToMessage(), CancellationToken.None);

    private void VerifyEveryRemovalRan(AlumnusId alumnusId, Times times)
    {
        events.Verify(s => s.RsvpsOfAsync(alumnusId, It.IsAny<CancellationToken>()), times);
        openings.Verify(o => o.InterestsOfAsync(alumnusId, It.IsAny<CancellationToken>()), times);
        // The card, and an admin's collaboration request with its compliance question (ADR 0031).
        cards.Verify(c => c.RemoveAllAsync(alumnusId, It.IsAny<CancellationToken>()), times);
        approvals.Verify(a => a.RemoveAllAsync(alumnusId, It.IsAny<CancellationToken>()), times);
        surveys.Verify(s => s.ListAsync(It.IsAny<CancellationToken>()), times);
        profiles.Verify(p => p.DeleteAsync(alumnusId, It.IsAny<CancellationToken>()), times);
        engagement.Verify(e => e.RemoveAsync(alumnusId, It.IsAny<CancellationToken>()), times);
    }

    [Fact]
    public void WorkItem_NamesThePersonOnly_NeverWhatWasWritten()
    {
        // ADR 0025: a takeback written a moment after an anonymous answer must not say that this person answered a survey.
        var alumnusId = AlumnusId.New();

        var item = TakeBackWrites.WorkFor(alumnusId, time.GetUtcNow());

        Assert.Equal((WorkKinds.TakeBack, alumnusId.Value, time.GetUtcNow() + TakeBackWrites.Delay), (item.Kind, item.SubjectId, item.DueAt));
    }

    [Theory]
    [InlineData("")]
    [InlineData("rsvp-")]
    [InlineData("interest-")]
    [InlineData("card-")]
    [InlineData("surveyanswer-")]
    [InlineData("profile-")]
    public async Task AnySubjectNamingThePerson_RunsEveryRemoval_AndCompletes(string formerRecordPrefix)
    {
        // Items queued before the subject named the person only ("surveyanswer-{id}") run the same removals.
        var alumnusId = AlumnusId.New();
        var item = new WorkItem { Kind = WorkKinds.TakeBack, SubjectId = formerRecordPrefix + alumnusId.Value, DueAt = time.GetUtcNow() };

        Assert.Equal(WorkRunOutcome.Completed, await Handler().HandleAsync(item.ToMessage(), CancellationToken.None));

        VerifyEveryRemovalRan(alumnusId, Times.Once());
        work.Verify(w => w.CompleteAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("register")]
    [InlineData("newsletter-0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    public async Task SubjectNamingNobody_RemovesNothing_AndCompletes(string subjectId)
    {
        var item = new WorkItem { Kind = WorkKinds.TakeBack, SubjectId = subjectId, DueAt = time.GetUtcNow() };

        Assert.Equal(WorkRunOutcome.Completed, await Handler().HandleAsync(item.ToMessage(), CancellationToken.None));

        events.VerifyNoOtherCalls();
        cards.VerifyNoOtherCalls();
        approvals.VerifyNoOtherCalls();
        profiles.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Rsvp_IsRemovedFreeingTheSeatOnce_AndASecondRunFindsNothing()
    {
        var e = EventBuilders.Event(capacity: 1);
        var rsvp = e.Attend(null, AlumnusId.New(), EventBuilders.Now).Changed.Single();
        var removed = false;
        events.Setup(s => s.RsvpsOfAsync(rsvp.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(() => removed ? [] : [rsvp]);
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        events.Setup(s => s.GetRsvpAsync(e.Id, rsvp.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(() => removed ? null : rsvp);
        events.Setup(s => s.TrySaveAsync(e, It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), rsvp))
            .Callback(() => removed = true).ReturnsAsync(true);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(rsvp.AlumnusId));
        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(rsvp.AlumnusId));

        events.Verify(s => s.TrySaveAsync(e, It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), rsvp), Times.Once);
        Assert.Equal(0, e.Attending);
    }

    [Fact]
    public async Task EventStaysBusy_WaitsAndRetriesLater_AfterRemovingEverythingElse()
    {
        var e = EventBuilders.Event(capacity: 1);
        var rsvp = e.Attend(null, AlumnusId.New(), EventBuilders.Now).Changed.Single();
        events.Setup(s => s.RsvpsOfAsync(rsvp.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync([rsvp]);
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        events.Setup(s => s.GetRsvpAsync(e.Id, rsvp.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(rsvp);
        events.Setup(s => s.TrySaveAsync(e, It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), rsvp)).ReturnsAsync(false);
        var item = TakeBackWrites.WorkFor(rsvp.AlumnusId, time.GetUtcNow());
        work.Setup(w => w.FindAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>())).ReturnsAsync(item);
        work.Setup(w => w.TryUpdateAsync(item, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var started = time.GetUtcNow();

        // The removal steps aside between its attempts on the fake clock: move it along until the run ends.
        var run = Handler().HandleAsync(item.ToMessage(), CancellationToken.None);
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        Assert.Equal(WorkRunOutcome.Deferred, await run);
        events.Verify(s => s.TrySaveAsync(e, It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), rsvp), Times.Exactly(RespondToEvent.MaxAttempts));
        Assert.InRange(item.LeasedUntil!.Value, started + TakeBackWrites.BusyRetry, time.GetUtcNow() + TakeBackWrites.BusyRetry);
        Assert.Equal(0, item.Attempts);
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        VerifyEveryRemovalRan(rsvp.AlumnusId, Times.Once());
    }

    [Fact]
    public async Task Interest_IsRemoved_AndASecondRunFindsNothing()
    {
        var alumnusId = AlumnusId.New();
        var interest = OpeningInterest.New("opening-1", alumnusId);
        var removed = false;
        openings.Setup(o => o.InterestsOfAsync(alumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(() => removed ? [] : [interest]);
        openings.Setup(o => o.DeleteInterestAsync(interest, It.IsAny<CancellationToken>())).Callback(() => removed = true).Returns(Task.CompletedTask);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(alumnusId));
        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(alumnusId));

        openings.Verify(o => o.DeleteInterestAsync(interest, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task MessageIds_AreBlanked_ForASendThatRecordedOneAsThePersonWasErasedOrPurged()
    {
        // A send that recorded its provider message id after the erasure's or purge's blanking, and whose own take-back
        // failed (ADR 0008): the item blanks the id, which would find the address in SendGrid's activity log.
        var alumnusId = AlumnusId.New();
        var messageId = "sg-in-flight";
        sends.Setup(s => s.ForgetMessageIdsAsync(alumnusId, It.IsAny<CancellationToken>())).Callback(() => messageId = "").Returns(Task.CompletedTask);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(alumnusId));

        Assert.Equal("", messageId);
    }

    [Fact]
    public async Task EngagementCounts_AreRemoved_EvenWhenTheCountsAreGoneAlready()
    {
        // A count made by a provider event as the erasure began (ADR 0008) whose own take-back failed: the item removes
        // it; removing counts already gone is harmless, so a second run completes too.
        var alumnusId = AlumnusId.New();

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(alumnusId));
        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(alumnusId));

        engagement.Verify(e => e.RemoveAsync(alumnusId, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task CampaignRefusals_AreRemoved_ButAllowedDecisionsTheErasureKeepsForTheConsentRetentionStay()
    {
        // A refusal a campaign batch logged as the erasure began (ADR 0024) whose own take-back failed: the item removes
        // it; the allowed decisions the erasure keeps to date its retained consent entries are not the batch's to remove.
        var alumnusId = AlumnusId.New();
        var refusal = new OutreachDecision(alumnusId, "newsletter-1", ConsentPurpose.Newsletter, true, false, "no-consent:Newsletter", time.GetUtcNow());
        var kept = new OutreachDecision(alumnusId, "newsletter-0", ConsentPurpose.Newsletter, true, true, EraseMyData.BatchSendReason, time.GetUtcNow());
        outreach.Setup(o => o.SinceAsync(alumnusId, DateTimeOffset.MinValue, It.IsAny<CancellationToken>())).ReturnsAsync([refusal, kept]);
        IEnumerable<OutreachDecision>? removed = null;
        outreach.Setup(o => o.RemoveAsync(It.IsAny<IEnumerable<OutreachDecision>>(), It.IsAny<CancellationToken>()))
            .Callback((IEnumerable<OutreachDecision> d, CancellationToken _) => removed = d.ToArray()).Returns(Task.CompletedTask);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(alumnusId));

        Assert.Equal([refusal], removed);
    }

    [Fact]
    public async Task EngagementRemovalFailing_IsRetriedLater_NotCompleted()
    {
        var alumnusId = AlumnusId.New();
        engagement.Setup(e => e.RemoveAsync(alumnusId, It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());
        var item = TakeBackWrites.WorkFor(alumnusId, time.GetUtcNow());
        work.Setup(w => w.FindAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>())).ReturnsAsync(item);
        work.Setup(w => w.TryUpdateAsync(item, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        Assert.Equal(WorkRunOutcome.RetryScheduled, await Handler().HandleAsync(item.ToMessage(), CancellationToken.None));

        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RemovalFailing_IsRetriedLater_NotCompleted()
    {
        var alumnusId = AlumnusId.New();
        cards.Setup(c => c.RemoveAllAsync(alumnusId, It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());
        var item = TakeBackWrites.WorkFor(alumnusId, time.GetUtcNow());
        work.Setup(w => w.FindAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>())).ReturnsAsync(item);
        work.Setup(w => w.TryUpdateAsync(item, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        Assert.Equal(WorkRunOutcome.RetryScheduled, await Handler().HandleAsync(item.ToMessage(), CancellationToken.None));

        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
