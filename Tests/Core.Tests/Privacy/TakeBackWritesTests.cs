using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Openings;
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

/// <summary>The work item that removes a record a page wrote as its alumnus's erasure began and could not take back.</summary>
public sealed class TakeBackWritesTests
{
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<ICollaborationStore> cards = new();
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly FakeTimeProvider time = new(EventBuilders.Now);

    private TakeBackWrites Handler() => new(
        new EventRegistrations(events.Object, work.Object, time),
        new OpeningsPersonalData(openings.Object, Mock.Of<IRehireStore>(r => r.OfAlumnusAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()) == Task.FromResult<IReadOnlyList<Rehire>>(Array.Empty<Rehire>()))),
        cards.Object,
        new SurveyRecords(surveys.Object, Mock.Of<ISurveyResponseStore>(), Mock.Of<ISendLedger>()),
        profiles.Object,
        new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance),
        time,
        NullLogger<TakeBackWrites>.Instance);

    private async Task<WorkRunOutcome> RunAsync(TakenBack record, AlumnusId alumnusId) =>
        await Handler().HandleAsync(TakeBackWrites.WorkFor(record, alumnusId, time.GetUtcNow()).ToMessage(), CancellationToken.None);

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

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(TakenBack.Rsvp, rsvp.AlumnusId));
        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(TakenBack.Rsvp, rsvp.AlumnusId));

        events.Verify(s => s.TrySaveAsync(e, It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), rsvp), Times.Once);
        Assert.Equal(0, e.Attending);
    }

    [Fact]
    public async Task Interest_IsRemoved_AndASecondRunFindsNothing()
    {
        var alumnusId = AlumnusId.New();
        var interest = OpeningInterest.New("opening-1", alumnusId);
        var removed = false;
        openings.Setup(o => o.InterestsOfAsync(alumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(() => removed ? [] : [interest]);
        openings.Setup(o => o.DeleteInterestAsync(interest, It.IsAny<CancellationToken>())).Callback(() => removed = true).Returns(Task.CompletedTask);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(TakenBack.Interest, alumnusId));
        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(TakenBack.Interest, alumnusId));

        openings.Verify(o => o.DeleteInterestAsync(interest, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Card_IsDeleted_AndDeletingItTwiceCompletesBoth()
    {
        var alumnusId = AlumnusId.New();

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(TakenBack.Card, alumnusId));
        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(TakenBack.Card, alumnusId));

        cards.Verify(c => c.DeleteCardAsync(alumnusId, It.IsAny<CancellationToken>()), Times.Exactly(2));
        profiles.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task SurveyAnswer_RunsTheErasuresSurveyRemoval_AndCompletes()
    {
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(TakenBack.SurveyAnswer, AlumnusId.New()));

        surveys.Verify(s => s.ListAsync(It.IsAny<CancellationToken>()), Times.Once);
        cards.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RemovalFailing_IsRetriedLater_NotCompleted()
    {
        var alumnusId = AlumnusId.New();
        cards.Setup(c => c.DeleteCardAsync(alumnusId, It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());
        var item = TakeBackWrites.WorkFor(TakenBack.Card, alumnusId, time.GetUtcNow());
        work.Setup(w => w.FindAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>())).ReturnsAsync(item);
        work.Setup(w => w.TryUpdateAsync(item, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        Assert.Equal(WorkRunOutcome.RetryScheduled, await Handler().HandleAsync(item.ToMessage(), CancellationToken.None));

        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
