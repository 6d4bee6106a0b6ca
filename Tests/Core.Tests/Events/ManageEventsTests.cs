using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class ManageEventsTests
{
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<ICampaigns> campaigns = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly FakeTimeProvider time = new(EventBuilders.Now);
    private NetworkEvent stored = EventBuilders.Event(status: EventStatus.Draft);

    public ManageEventsTests()
    {
        events.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => stored);
        events.Setup(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null)).ReturnsAsync(true);
        campaigns.Setup(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CampaignRequest r, CancellationToken _) => new CampaignStart.Started(r.CampaignId, true));
    }

    private ManageEvents Handler() => new(events.Object, work.Object, campaigns.Object, audit.Object, Builders.Creates(),
        Options.Create(new EventOptions()), time, NullLogger<ManageEvents>.Instance);

    private static ReadOnlyMemory<byte> Body(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>The valid body for everyone (the audience of the built events) with another capacity.</summary>
    private static ReadOnlyMemory<byte> WithCapacity(int capacity)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(EventDraftTests.Valid)!.AsObject();
        body.Remove("audience");
        body["capacity"] = capacity;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    [Fact]
    public async Task Create_StoresADraftAndAuditsFirst_StartingNothing()
    {
        var order = new List<string>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("audit")).Returns(Task.CompletedTask);
        events.Setup(s => s.TryAddAsync(It.IsAny<NetworkEvent>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("add")).ReturnsAsync(true);

        var outcome = await Handler().CreateAsync(Body(EventDraftTests.Valid), "admin-1", null, CancellationToken.None);

        var view = Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value;
        Assert.Equal(("Draft", 80), (view.Status, view.Capacity));
        Assert.Equal(["audit", "add"], order);
        campaigns.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task InvalidCreate_WritesNothing()
    {
        var outcome = await Handler().CreateAsync(Body("""{"capacity":0}"""), "admin-1", null, CancellationToken.None);

        Assert.IsType<AdminOutcome<EventView>.Invalid>(outcome);
        events.Verify(s => s.TryAddAsync(It.IsAny<NetworkEvent>(), It.IsAny<CancellationToken>()), Times.Never);
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Publish_StartsTheInvitationCampaignForTheAudience_AndSchedulesTheReminder()
    {
        var outcome = await Handler().PublishAsync(stored.Id, seen: null, "admin-1", CancellationToken.None);

        Assert.Equal("Published", Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Status);
        campaigns.Verify(c => c.StartAsync(It.Is<CampaignRequest>(r => r.CampaignId == $"event-{stored.Id}-invitation" &&
            r.Kind == CampaignKind.EventInvitation && r.SourceId == stored.Id && r.Audience == stored.Details.Audience && r.RequestedBy == "admin-1"), It.IsAny<CancellationToken>()));
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventReminder && i.DueAt == stored.Details.StartsAt.AddHours(-24)), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Publish_WritesTheReminderAndTheInvitationsStartBeforeSaving()
    {
        var order = new List<string>();
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => order.Add(i.Kind)).Returns(Task.CompletedTask);
        events.Setup(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null))
            .Callback(() => order.Add("save")).ReturnsAsync(true);
        campaigns.Setup(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()))
            .Callback(() => order.Add("start")).ReturnsAsync((CampaignRequest r, CancellationToken _) => new CampaignStart.Started(r.CampaignId, true));

        await Handler().PublishAsync(stored.Id, seen: null, "admin-1", CancellationToken.None);

        Assert.Equal([WorkKinds.EventReminder, WorkKinds.EventPublished, "save", "start"], order);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventPublished && i.SubjectId == stored.Id && i.DueAt == EventBuilders.Now + EventWork.WriteGrace), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task CampaignStartFailingAfterTheSave_IsStartedLaterByTheWorkWrittenBeforeIt()
    {
        var scheduled = new List<WorkItem>();
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => scheduled.Add(i)).Returns(Task.CompletedTask);
        campaigns.SetupSequence(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "storage unavailable"))
            .ReturnsAsync(new CampaignStart.Started($"event-{stored.Id}-invitation", true));

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Handler().PublishAsync(stored.Id, seen: null, "admin-1", CancellationToken.None));
        Assert.Equal(EventStatus.Published, stored.Status);

        var item = Assert.Single(scheduled, i => i.Kind == WorkKinds.EventPublished);
        var (start, run) = await Starter().HandleAsync(item.ToMessage(), CancellationToken.None);

        Assert.Equal(WorkRunOutcome.Completed, run);
        Assert.IsType<CampaignStart.Started>(start);
        campaigns.Verify(c => c.StartAsync(It.Is<CampaignRequest>(r => r.CampaignId == $"event-{stored.Id}-invitation" && r.Kind == CampaignKind.EventInvitation &&
            r.SourceId == stored.Id && r.Audience == stored.Details.Audience && r.RequestedBy == "admin-1"), It.IsAny<CancellationToken>()), Times.Exactly(2));
        work.Verify(w => w.CompleteAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task InvitationsWorkForACancelledEvent_StartsNothing()
    {
        stored = EventBuilders.Event(status: EventStatus.Cancelled);

        var (start, run) = await Starter().HandleAsync(EventWork.Published(stored.Id, EventBuilders.Now).ToMessage(), CancellationToken.None);

        Assert.Null(start);
        Assert.Equal(WorkRunOutcome.Completed, run);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task InvitationsWorkMeetingADraft_WaitsForASlowSave_ThenStartsThePublishedEvent()
    {
        stored = EventBuilders.Event(status: EventStatus.Draft);
        var message = EventWork.Published(stored.Id, EventBuilders.Now).ToMessage();
        time.Advance(EventWork.WriteGrace);

        var (early, waiting) = await Starter().HandleAsync(message, CancellationToken.None);
        stored.Publish(time.GetUtcNow());
        var (start, run) = await Starter().HandleAsync(message, CancellationToken.None);

        Assert.Equal((null, WorkRunOutcome.Deferred), (early, waiting));
        Assert.Equal(WorkRunOutcome.Completed, run);
        Assert.IsType<CampaignStart.Started>(start);
    }

    [Fact]
    public async Task InvitationsWorkForADraftPastAnySave_EndsWithoutStarting()
    {
        stored = EventBuilders.Event(status: EventStatus.Draft);
        var message = EventWork.Published(stored.Id, EventBuilders.Now).ToMessage();
        time.Advance(EventWork.WriteGrace + StartEventInvitations.SaveBound);

        var (start, run) = await Starter().HandleAsync(message, CancellationToken.None);

        Assert.Null(start);
        Assert.Equal(WorkRunOutcome.Completed, run);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private StartEventInvitations Starter(ICampaigns? engine = null) => new(events.Object, engine ?? campaigns.Object,
        new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance), time, NullLogger<StartEventInvitations>.Instance);

    [Theory]
    [InlineData(CampaignStatus.Planning)]
    [InlineData(CampaignStatus.Sending)]
    [InlineData(CampaignStatus.Completed)]
    public async Task InvitationsWorkRunTwiceForACampaignStartedAtPublish_ChangesNoCampaign_AndCompletes(CampaignStatus status)
    {
        stored = EventBuilders.Event();
        var request = ManageEvents.InvitationRequest(stored, "admin-1");
        var existing = Campaign.Restore(request.CampaignId, request.Kind, request.SourceId, request.Audience, request.RequestedBy, EventBuilders.Now, status,
            continuation: null, batches: status == CampaignStatus.Planning ? 0 : 1, audienceSize: 3, new Dictionary<string, int>(), new Dictionary<Locale, IReadOnlyList<AlumnusId>>(), "etag-1");
        var store = new Mock<ICampaignStore>();
        store.Setup(s => s.TryAddAsync(It.IsAny<Campaign>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        store.Setup(s => s.GetAsync(request.CampaignId, It.IsAny<CancellationToken>())).ReturnsAsync(existing);
        var composer = new Mock<ICampaignComposer>();
        composer.Setup(c => c.Kind).Returns(CampaignKind.EventInvitation);
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var engine = new CampaignEngine(store.Object, [composer.Object], work.Object,
            new CampaignMailBuilder(new PromotionalFooter(links, Builders.Company(), Builders.Outreach())), time, NullLogger<CampaignEngine>.Instance);
        var message = EventWork.Published(stored.Id, EventBuilders.Now).ToMessage();
        time.Advance(EventWork.WriteGrace);

        var first = await Starter(engine).HandleAsync(message, CancellationToken.None);
        var second = await Starter(engine).HandleAsync(message, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal((new CampaignStart.Started(request.CampaignId, IsNew: false), WorkRunOutcome.Completed), first);
        store.Verify(s => s.TryUpdateAsync(It.IsAny<Campaign>(), It.IsAny<CancellationToken>()), Times.Never);
        // Only a campaign still planning asks for its planning again, under the row it has had since its start (an insert-if-absent).
        work.Verify(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()), Times.Exactly(status == CampaignStatus.Planning ? 2 : 0));
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind != WorkKinds.CampaignPlan || i.SubjectId != request.CampaignId || i.DueAt != existing.StartedAt), It.IsAny<CancellationToken>()), Times.Never);
        work.Verify(w => w.CompleteAsync(message.PartitionKey, message.RowKey, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task PublishAgain_WritesNothingButAsksTheEngineAgain()
    {
        stored = EventBuilders.Event();

        await Handler().PublishAsync(stored.Id, seen: null, "admin-1", CancellationToken.None);

        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PublishOfACancelledEvent_IsAConflict()
    {
        stored = EventBuilders.Event(status: EventStatus.Cancelled);

        Assert.IsType<AdminOutcome<EventView>.Conflict>(await Handler().PublishAsync(stored.Id, seen: null, "admin-1", CancellationToken.None));
        campaigns.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Cancel_SchedulesNoticesBeforeSaving_AndStopsTheCampaign()
    {
        stored = EventBuilders.Event();
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);
        var order = new List<string>();
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("notices")).Returns(Task.CompletedTask);
        events.Setup(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null))
            .Callback(() => order.Add("save")).ReturnsAsync(true);

        var outcome = await Handler().CancelAsync(stored.Id, null, "admin-1", CancellationToken.None);

        Assert.Equal("Cancelled", Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Status);
        Assert.Equal(["notices", "save"], order);
        campaigns.Verify(c => c.StopAsync($"event-{stored.Id}-invitation", It.IsAny<CancellationToken>()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    [InlineData(24 * 60)]
    public async Task CancelOnceTheEventHasStarted_IsAConflictNamingTheRule_AndNothingIsAuditedScheduledSavedOrStopped(int minutesAfterStart)
    {
        stored = EventBuilders.Event();
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);
        time.SetUtcNow(stored.Details.StartsAt.AddMinutes(minutesAfterStart));

        var outcome = await Handler().CancelAsync(stored.Id, null, "admin-1", CancellationToken.None);

        Assert.Contains("has started", Assert.IsType<AdminOutcome<EventView>.Conflict>(outcome).Reason, StringComparison.Ordinal);
        Assert.Equal(EventStatus.Published, stored.Status);
        NothingAuditedScheduledSavedOrStarted();
    }

    [Fact]
    public async Task CancelAMinuteBeforeTheStart_IsDone()
    {
        stored = EventBuilders.Event();
        time.SetUtcNow(stored.Details.StartsAt.AddMinutes(-1));

        var outcome = await Handler().CancelAsync(stored.Id, null, "admin-1", CancellationToken.None);

        Assert.Equal("Cancelled", Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Status);
    }

    [Fact]
    public async Task CancelAgainAfterTheStart_OfAnEventCancelledBefore_IsDoneWithoutWriting()
    {
        stored = EventBuilders.Event(status: EventStatus.Cancelled);
        time.SetUtcNow(stored.Details.EndsAt.AddDays(1));

        Assert.IsType<AdminOutcome<EventView>.Done>(await Handler().CancelAsync(stored.Id, null, "admin-1", CancellationToken.None));
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task UpdateDuringTheEvent_KeepingItsPastStart_IsSaved()
    {
        stored = EventBuilders.Event();
        time.SetUtcNow(stored.Details.StartsAt.AddHours(1));

        var outcome = await Handler().UpdateAsync(stored.Id, WithCapacity(90), seen: null, "a", CancellationToken.None);

        Assert.Equal(90, Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Capacity);
        Assert.Equal(EventBuilders.Details().StartsAt, stored.Details.StartsAt);
    }

    [Fact]
    public async Task UpdateDuringTheEvent_MovingTheStartToAnotherPastTime_IsRefusedNamingStart_AndNothingIsWritten()
    {
        stored = EventBuilders.Event();
        time.SetUtcNow(stored.Details.StartsAt.AddHours(1));
        var body = System.Text.Json.Nodes.JsonNode.Parse(WithCapacity(90).Span)!.AsObject();
        body["start"] = "2027-02-10T19:30";

        var outcome = await Handler().UpdateAsync(stored.Id, Encoding.UTF8.GetBytes(body.ToJsonString()), seen: null, "a", CancellationToken.None);

        Assert.Equal("start", Assert.Single(Assert.IsType<AdminOutcome<EventView>.Invalid>(outcome).Errors).Field);
        Assert.Equal((2, EventBuilders.Details().StartsAt), (stored.Details.Capacity, stored.Details.StartsAt));
        audit.VerifyNoOtherCalls();
        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
    }

    [Fact]
    public async Task UpdateDuringTheEvent_MovingTheEndIntoThePast_IsRefusedNamingEnd_AndNothingIsWritten()
    {
        stored = EventBuilders.Event();
        time.SetUtcNow(stored.Details.StartsAt.AddHours(1));
        var body = System.Text.Json.Nodes.JsonNode.Parse(WithCapacity(90).Span)!.AsObject();
        body["end"] = "2027-02-10T19:45";

        var outcome = await Handler().UpdateAsync(stored.Id, Encoding.UTF8.GetBytes(body.ToJsonString()), seen: null, "a", CancellationToken.None);

        Assert.Equal("end", Assert.Single(Assert.IsType<AdminOutcome<EventView>.Invalid>(outcome).Errors).Field);
        Assert.Equal((2, EventBuilders.Details().EndsAt), (stored.Details.Capacity, stored.Details.EndsAt));
        audit.VerifyNoOtherCalls();
        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
    }

    [Fact]
    public async Task UpdateWhoseEndIsInThePastOnceAConcurrentEditMovedIt_IsRefusedNamingEnd()
    {
        // The first read finds the end the body gives (19:45, passed); the write's read finds it moved to 21:00 meanwhile.
        var first = EventBuilders.Event();
        first.Update(first.Details with { EndsAt = first.Details.StartsAt.AddMinutes(45) }, EventBuilders.Now);
        var moved = EventBuilders.Event();
        events.SetupSequence(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(first).ReturnsAsync(moved);
        time.SetUtcNow(EventBuilders.Details().StartsAt.AddHours(1));
        var body = System.Text.Json.Nodes.JsonNode.Parse(WithCapacity(90).Span)!.AsObject();
        body["end"] = "2027-02-10T19:45";

        var outcome = await Handler().UpdateAsync(moved.Id, Encoding.UTF8.GetBytes(body.ToJsonString()), seen: null, "a", CancellationToken.None);

        Assert.Equal("end", Assert.Single(Assert.IsType<AdminOutcome<EventView>.Invalid>(outcome).Errors).Field);
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task UpdateWhoseStartPassedBetweenTheReadAndTheWrite_IsRefusedNamingStart()
    {
        // The first read finds the start the body gives; the write's read finds another (a concurrent edit moved it).
        var moved = EventBuilders.Event();
        moved.Update(moved.Details with { StartsAt = moved.Details.StartsAt.AddMinutes(-30) }, EventBuilders.Now);
        events.SetupSequence(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(EventBuilders.Event()).ReturnsAsync(moved);
        time.SetUtcNow(EventBuilders.Details().StartsAt.AddHours(1));

        var outcome = await Handler().UpdateAsync(moved.Id, WithCapacity(90), seen: null, "a", CancellationToken.None);

        Assert.Equal("start", Assert.Single(Assert.IsType<AdminOutcome<EventView>.Invalid>(outcome).Errors).Field);
        audit.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60 * 24)]
    public async Task UpdateOnceTheEventHasEnded_IsAConflictNamingTheRule_AndNothingIsWritten(int minutesAfterEnd)
    {
        stored = EventBuilders.Event();
        time.SetUtcNow(stored.Details.EndsAt.AddMinutes(minutesAfterEnd));

        var outcome = await Handler().UpdateAsync(stored.Id, WithCapacity(90), seen: null, "a", CancellationToken.None);

        Assert.Contains("has ended", Assert.IsType<AdminOutcome<EventView>.Conflict>(outcome).Reason, StringComparison.Ordinal);
        Assert.Equal(2, stored.Details.Capacity);
        audit.VerifyNoOtherCalls();
        work.VerifyNoOtherCalls();
        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
    }

    /// <summary>Notice work is due <see cref="EventWork.WriteGrace"/> (5 s) after it is written, before the audit and the save.</summary>
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(0, 3, 2)]
    [InlineData(3, 0, 2)]
    [InlineData(20, 40, 2)]
    public async Task CancelAuditedAndSavedLate_SchedulesTheNoticesAgain_SoTheyDoNotRunBeforeTheChangeAndFindNothing(int auditSeconds, int saveSeconds, int items)
    {
        stored = EventBuilders.Event();
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);
        var scheduled = new List<WorkItem>();
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => scheduled.Add(i)).Returns(Task.CompletedTask);
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback(() => time.Advance(TimeSpan.FromSeconds(auditSeconds))).Returns(Task.CompletedTask);
        var savedAt = DateTimeOffset.MinValue;
        events.Setup(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null))
            .Callback(() => { time.Advance(TimeSpan.FromSeconds(saveSeconds)); savedAt = time.GetUtcNow(); }).ReturnsAsync(true);

        await Handler().CancelAsync(stored.Id, null, "admin-1", CancellationToken.None);

        Assert.Equal(items, scheduled.Count);
        Assert.All(scheduled, i => Assert.Equal((WorkKinds.EventNotices, stored.Id), (i.Kind, i.SubjectId)));
        Assert.True(scheduled[^1].DueAt > savedAt + EventWork.WriteGrace / 2);
    }

    [Fact]
    public async Task UpdateAfterAConflict_WritesTheNoticeWorkOnce_WhileItIsNotAboutToFallDue()
    {
        stored = EventBuilders.Event(capacity: 1);
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);
        var waiting = stored.Attend(null, AlumnusId.New(), EventBuilders.Now).Changed.Single();
        events.Setup(s => s.WaitlistAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => [.. new[] { waiting }.Where(r => r.Status == RsvpStatus.Waitlisted)]);
        events.SetupSequence(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null))
            .ReturnsAsync(false).ReturnsAsync(true);

        await Handler().UpdateAsync(stored.Id, WithCapacity(2), seen: null, "admin-1", CancellationToken.None);

        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventNotices), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>The built event's body (everyone invited) starting 18 hours from now, within the 24-hour reminder lead.</summary>
    private static ReadOnlyMemory<byte> StartingIn18Hours()
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(EventDraftTests.Valid)!.AsObject();
        body.Remove("audience");
        // EventBuilders.Now is 2027-01-10 09:00 in Tokyo.
        (body["start"], body["end"], body["registrationDeadline"]) = ("2027-01-11T03:00", "2027-01-11T05:00", "2027-01-11T02:00");
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    [Fact]
    public async Task EventMovedToWithinTheReminderLead_SchedulesOneReminderDueAtOnce()
    {
        stored = EventBuilders.Event();

        var outcome = await Handler().UpdateAsync(stored.Id, StartingIn18Hours(), seen: null, "admin-1", CancellationToken.None);

        Assert.Equal(EventBuilders.Now.AddHours(18), Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.StartsAt);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventReminder), It.IsAny<CancellationToken>()), Times.Once);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventReminder && i.SubjectId == stored.Id && i.DueAt == EventBuilders.Now + EventWork.WriteGrace),
            It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task EventMovedToWithinTheLeadAndSavedLate_WritesTheReminderAgainAfterTheSave()
    {
        stored = EventBuilders.Event();
        var scheduled = new List<WorkItem>();
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => scheduled.Add(i)).Returns(Task.CompletedTask);
        var savedAt = DateTimeOffset.MinValue;
        events.Setup(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null))
            .Callback(() => { time.Advance(TimeSpan.FromSeconds(20)); savedAt = time.GetUtcNow(); }).ReturnsAsync(true);

        await Handler().UpdateAsync(stored.Id, StartingIn18Hours(), seen: null, "admin-1", CancellationToken.None);

        var reminders = scheduled.Where(i => i.Kind == WorkKinds.EventReminder).ToArray();
        Assert.Equal(2, reminders.Length);
        Assert.Equal(savedAt + EventWork.WriteGrace, reminders[^1].DueAt);
    }

    /// <summary>The valid body for everyone with a two-line description and venue, its line breaks as given.</summary>
    private static ReadOnlyMemory<byte> MultiLine(string lineBreak, int capacity)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(EventDraftTests.Valid)!.AsObject();
        body.Remove("audience");
        body["description"] = new System.Text.Json.Nodes.JsonObject { ["ja"] = $"第一部{lineBreak}第二部", ["en"] = $"Part one{lineBreak}Part two" };
        body["venue"] = $"本社{lineBreak}20階ホール";
        body["capacity"] = capacity;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private async Task<NetworkEvent> PublishedFrom(ReadOnlyMemory<byte> body)
    {
        stored = EventBuilders.Event(status: EventStatus.Draft);
        Assert.IsType<AdminOutcome<EventView>.Done>(await Handler().UpdateAsync(stored.Id, body, seen: null, "admin-1", CancellationToken.None));
        stored.Publish(EventBuilders.Now);
        work.Invocations.Clear();
        return stored;
    }

    [Fact]
    public async Task ConsoleEditOfCapacityOnly_OfAMultiLineApiEvent_TellsNobody()
    {
        var e = await PublishedFrom(MultiLine("\n", capacity: 80));
        var sequence = e.Sequence;

        // The console's textareas post their line breaks as CRLF.
        var outcome = await Handler().UpdateAsync(e.Id, MultiLine("\r\n", capacity: 90), seen: null, "admin-1", CancellationToken.None);

        Assert.Equal(90, Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Capacity);
        Assert.Equal(sequence, e.Sequence);
        Assert.Equal(("第一部\n第二部", "本社\n20階ホール"), (e.Details.Description.Japanese, e.Details.Venue));
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventNotices), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EditOfCapacityOnly_OfAnEventStoredWithCrlf_TellsNobody()
    {
        var e = await PublishedFrom(MultiLine("\n", capacity: 80));
        e.Update(e.Details with { Description = new LocalizedText("第一部\r\n第二部", "Part one\r\nPart two"), Venue = "本社\r\n20階ホール" }, EventBuilders.Now);
        var sequence = e.Sequence;

        await Handler().UpdateAsync(e.Id, MultiLine("\n", capacity: 90), seen: null, "admin-1", CancellationToken.None);

        Assert.Equal((90, sequence), (e.Details.Capacity, e.Sequence));
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventNotices), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CapacityIncrease_PromotesTheWaitlistInTheSameWrite()
    {
        stored = EventBuilders.Event(capacity: 1);
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);
        var waiting = stored.Attend(null, AlumnusId.New(), EventBuilders.Now).Changed.Single();
        events.Setup(s => s.WaitlistAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync([waiting]);

        await Handler().UpdateAsync(stored.Id, WithCapacity(2), seen: null, "admin-1", CancellationToken.None);

        events.Verify(s => s.TrySaveAsync(stored, It.Is<IReadOnlyCollection<Rsvp>>(r => r.Single() == waiting), It.IsAny<CancellationToken>(), null));
        Assert.Equal(RsvpStatus.Attending, waiting.Status);
    }

    [Fact]
    public async Task CapacityIncreaseBeyondOneWrite_PromotesTheWholeWaitlistInOrderOverFurtherWrites()
    {
        stored = EventBuilders.Event(capacity: 1);
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);
        var waiting = Enumerable.Range(0, 200).Select(_ => stored.Attend(null, AlumnusId.New(), EventBuilders.Now).Changed.Single()).ToArray();
        events.Setup(s => s.WaitlistAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => [.. waiting.Where(r => r.Status == RsvpStatus.Waitlisted).Reverse()]);
        var writes = new List<Rsvp[]>();
        events.Setup(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null))
            .Callback((NetworkEvent _, IReadOnlyCollection<Rsvp> rsvps, CancellationToken _, Rsvp? _) => writes.Add([.. rsvps])).ReturnsAsync(true);

        var outcome = await Handler().UpdateAsync(stored.Id, WithCapacity(301), seen: null, "admin-1", CancellationToken.None);

        Assert.Equal([90, 90, 20], writes.Select(w => w.Length));
        Assert.Equal(waiting, writes.SelectMany(w => w));
        Assert.All(waiting, r => Assert.Equal((RsvpStatus.Attending, true), (r.Status, r.Promoted)));
        Assert.Equal((201, 0), (stored.Attending, stored.Waitlisted));
        Assert.Equal(201, Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Attending);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventNotices && i.SubjectId == stored.Id), It.IsAny<CancellationToken>()), Times.AtLeast(3));
    }

    [Fact]
    public async Task CapacityBelowTheAttendees_IsRefusedNamingCapacity()
    {
        stored = EventBuilders.Event(capacity: 3);
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);

        var outcome = await Handler().UpdateAsync(stored.Id, WithCapacity(1), seen: null, "a", CancellationToken.None);

        Assert.Equal("capacity", Assert.Single(Assert.IsType<AdminOutcome<EventView>.Invalid>(outcome).Errors).Field);
    }

    [Fact]
    public async Task AudienceChangeAfterPublishing_IsRefused()
    {
        stored = EventBuilders.Event();

        var outcome = await Handler().UpdateAsync(stored.Id, Body(EventDraftTests.Valid), seen: null, "a", CancellationToken.None);

        Assert.Equal("audience", Assert.Single(Assert.IsType<AdminOutcome<EventView>.Invalid>(outcome).Errors).Field);
        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
    }

    [Fact]
    public async Task AudienceRetypedInAnotherCaseOrWidthAfterPublishing_IsTheSameAudience_AndTheEditIsSaved()
    {
        // The same people match "Retail Banking" and "ｒｅｔａｉｌ banking": refusing would block a capacity edit for nothing.
        var e = await PublishedFrom(Body(EventDraftTests.Valid));
        var body = System.Text.Json.Nodes.JsonNode.Parse(EventDraftTests.Valid)!.AsObject();
        body["audience"]!["departments"] = new System.Text.Json.Nodes.JsonArray("ｒｅｔａｉｌ banking");
        body["audience"]!["keywords"] = new System.Text.Json.Nodes.JsonArray("sql");
        body["capacity"] = 90;

        var outcome = await Handler().UpdateAsync(e.Id, Encoding.UTF8.GetBytes(body.ToJsonString()), seen: null, "a", CancellationToken.None);

        Assert.Equal(90, Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Capacity);
    }

    [Fact]
    public async Task ConflictingWrite_IsRetriedFromAFreshRead()
    {
        events.SetupSequence(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null))
            .ReturnsAsync(false).ReturnsAsync(true);

        Assert.IsType<AdminOutcome<EventView>.Done>(await Handler().PublishAsync(stored.Id, seen: null, "a", CancellationToken.None));
        events.Verify(s => s.GetAsync(stored.Id, It.IsAny<CancellationToken>()), Times.AtLeast(2));
    }

    [Fact]
    public async Task UpdateBuiltOnAnOlderVersion_IsStale_AndNothingIsAuditedScheduledOrSaved()
    {
        stored = EventBuilders.Event();
        var seen = RecordVersion.Of(stored.UpdatedAt.AddMinutes(-1));

        var outcome = await Handler().UpdateAsync(stored.Id, WithCapacity(90), seen, "a", CancellationToken.None);

        Assert.IsType<AdminOutcome<EventView>.Stale>(outcome);
        audit.VerifyNoOtherCalls();
        work.VerifyNoOtherCalls();
        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
    }

    [Fact]
    public async Task PublishOfADraftEditedSinceThePageLoaded_IsStale_AndNothingIsAuditedSavedOrStarted()
    {
        var seen = RecordVersion.Of(stored.UpdatedAt.AddMinutes(-1));

        var outcome = await Handler().PublishAsync(stored.Id, seen, "a", CancellationToken.None);

        Assert.IsType<AdminOutcome<EventView>.Stale>(outcome);
        NothingAuditedScheduledSavedOrStarted();
    }

    [Fact]
    public async Task CancelOfAnEventEditedSinceTheConfirmationLoaded_IsStale_AndNothingIsAuditedScheduledSavedOrStopped()
    {
        stored = EventBuilders.Event();
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);
        var seen = RecordVersion.Of(stored.UpdatedAt.AddMinutes(-1));

        var outcome = await Handler().CancelAsync(stored.Id, seen, "a", CancellationToken.None);

        Assert.IsType<AdminOutcome<EventView>.Stale>(outcome);
        Assert.Equal(EventStatus.Published, stored.Status);
        NothingAuditedScheduledSavedOrStarted();
    }

    [Fact]
    public async Task CancelOfTheEventAsSeen_IsCancelled_AndACancelledOneAgainWhateverTheVersion()
    {
        stored = EventBuilders.Event();

        var outcome = await Handler().CancelAsync(stored.Id, RecordVersion.Of(stored.UpdatedAt), "a", CancellationToken.None);
        var again = await Handler().CancelAsync(stored.Id, RecordVersion.Of(stored.UpdatedAt.AddMinutes(-1)), "a", CancellationToken.None);

        Assert.Equal("Cancelled", Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Status);
        Assert.Equal("Cancelled", Assert.IsType<AdminOutcome<EventView>.Done>(again).Value.Status);
    }

    [Fact]
    public async Task PublishOfTheDraftAsSeen_IsPublished()
    {
        var outcome = await Handler().PublishAsync(stored.Id, RecordVersion.Of(stored.UpdatedAt), "a", CancellationToken.None);

        Assert.Equal("Published", Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Status);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PublishSubmittedTwice_TheSecondWithTheDraftsVersion_IsDoneWithoutWriting()
    {
        var seen = RecordVersion.Of(stored.UpdatedAt);
        stored = EventBuilders.Event(status: EventStatus.Published);

        var outcome = await Handler().PublishAsync(stored.Id, seen, "a", CancellationToken.None);

        Assert.IsType<AdminOutcome<EventView>.Done>(outcome);
        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
    }

    [Fact]
    public async Task UpdateBuiltOnTheStoredVersion_IsSaved_EvenAfterAnRsvpRewroteTheRow()
    {
        stored = EventBuilders.Event(capacity: 80);
        var seen = RecordVersion.Of(stored.UpdatedAt);
        stored.Attend(null, AlumnusId.New(), EventBuilders.Now);

        var outcome = await Handler().UpdateAsync(stored.Id, WithCapacity(90), seen, "a", CancellationToken.None);

        Assert.Equal(90, Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Capacity);
    }

    /// <summary>The stored event read afresh on each attempt, as storage answers after a lost ETag race.</summary>
    private string PublishedFreshOnEachRead()
    {
        var id = EventBuilders.Event().Id;
        events.Setup(s => s.GetAsync(id, It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var e = new NetworkEvent { Id = id, Details = EventBuilders.Details(), CreatedAt = EventBuilders.Now.AddDays(-1), CreatedBy = "admin-1", UpdatedAt = EventBuilders.Now.AddDays(-1) };
            e.Publish(EventBuilders.Now.AddHours(-1));
            return e;
        });
        return id;
    }

    /// <summary>Each audit write and each save of the event, in the order they happened.</summary>
    private List<string> RecordOrder(params bool[] saves)
    {
        var order = new List<string>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry x, CancellationToken _) => order.Add(x.Action)).Returns(Task.CompletedTask);
        var writes = new Queue<bool>(saves);
        events.Setup(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null))
            .Callback(() => order.Add("save")).ReturnsAsync(() => writes.Dequeue());
        return order;
    }

    [Fact]
    public async Task CancelRetriedAfterAConflict_IsAuditedBeforeEachSave_AndTheLostAttemptIsAuditedAsNotSaved()
    {
        var id = PublishedFreshOnEachRead();
        var order = RecordOrder(false, true);

        var outcome = await Handler().CancelAsync(id, null, "admin-1", CancellationToken.None);

        Assert.Equal("Cancelled", Assert.IsType<AdminOutcome<EventView>.Done>(outcome).Value.Status);
        const string Cancelled = EventAuditActions.Cancelled;
        Assert.Equal([Cancelled, "save", UnsavedChange.NotSavedAction(Cancelled), Cancelled, "save"], order);
        audit.Verify(a => a.WriteAsync(It.Is<AuditEntry>(x => x.Action == UnsavedChange.NotSavedAction(Cancelled) && x.Subject == id && x.Actor == "admin-1"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task UpdateThatLosesEveryAttempt_IsAConflict_AndEveryEntryIsFollowedByItsNotSavedEntry()
    {
        var id = PublishedFreshOnEachRead();
        var order = RecordOrder(Enumerable.Repeat(false, ManageEvents.MaxAttempts).ToArray());

        var outcome = await Handler().UpdateAsync(id, WithCapacity(5), seen: null, "admin-1", CancellationToken.None);

        Assert.IsType<AdminOutcome<EventView>.Conflict>(outcome);
        Assert.Equal(Enumerable.Repeat(new[] { EventAuditActions.Updated, "save", UnsavedChange.NotSavedAction(EventAuditActions.Updated) }, ManageEvents.MaxAttempts).SelectMany(x => x), order);
    }

    [Fact]
    public async Task CancelWhoseAuditWriteFails_SavesNothing_AndStopsNoCampaign()
    {
        var id = PublishedFreshOnEachRead();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new Azure.RequestFailedException(503, "throttled"));

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Handler().CancelAsync(id, null, "admin-1", CancellationToken.None));

        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
        campaigns.Verify(c => c.StopAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>A refused publish or cancel: no audit entry, no work item, no campaign started or stopped, nothing saved.</summary>
    private void NothingAuditedScheduledSavedOrStarted()
    {
        audit.VerifyNoOtherCalls();
        work.VerifyNoOtherCalls();
        campaigns.VerifyNoOtherCalls();
        events.Verify(s => s.TrySaveAsync(It.IsAny<NetworkEvent>(), It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), null), Times.Never);
    }
}
