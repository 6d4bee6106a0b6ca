using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class EventRegistrationsTests
{
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly FakeTimeProvider time = new(EventBuilders.Now);
    private readonly List<WorkItem> scheduled = [];
    private readonly NetworkEvent e = EventBuilders.Event(capacity: 1);
    private readonly Rsvp erased;
    private readonly Rsvp waiting;

    public EventRegistrationsTests()
    {
        erased = e.Attend(null, AlumnusId.New(), EventBuilders.Now).Changed.Single();
        waiting = e.Attend(null, AlumnusId.New(), EventBuilders.Now).Changed.Single();
        events.Setup(s => s.RsvpsOfAsync(erased.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync([erased]);
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        events.Setup(s => s.GetRsvpAsync(e.Id, erased.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(erased);
        events.Setup(s => s.WaitlistAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync([waiting]);
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => scheduled.Add(i)).Returns(Task.CompletedTask);
    }

    private void SaveTakes(TimeSpan duration) =>
        events.Setup(s => s.TrySaveAsync(e, It.IsAny<IReadOnlyCollection<Rsvp>>(), It.IsAny<CancellationToken>(), erased))
            .Callback(() => time.Advance(duration)).ReturnsAsync(true);

    [Fact]
    public async Task Removal_PromotesTheFirstInLine_AndWritesTheirNoticeWorkBeforeTheSave()
    {
        SaveTakes(TimeSpan.FromSeconds(1));

        Assert.True(await new EventRegistrations(events.Object, work.Object, time).RemoveAsync(erased.AlumnusId, CancellationToken.None));

        Assert.Equal(RsvpStatus.Attending, waiting.Status);
        var item = Assert.Single(scheduled);
        Assert.Equal(($"{e.Id}-{waiting.AlumnusId}", EventBuilders.Now + EventWork.WriteGrace), (item.SubjectId, item.DueAt));
    }

    [Fact]
    public async Task RemovalSavedLate_WritesThePromotionNoticeWorkAgain_SoItDoesNotRunBeforeThePromotionAndFindNothing()
    {
        SaveTakes(TimeSpan.FromSeconds(4));

        Assert.True(await new EventRegistrations(events.Object, work.Object, time).RemoveAsync(erased.AlumnusId, CancellationToken.None));

        Assert.Equal([EventBuilders.Now + EventWork.WriteGrace, EventBuilders.Now.AddSeconds(4) + EventWork.WriteGrace], scheduled.Select(i => i.DueAt));
        Assert.All(scheduled, i => Assert.Equal($"{e.Id}-{waiting.AlumnusId}", i.SubjectId));
    }

    /// <summary>The export holds every field held about the answer (ADR 0014): place in line, promotion and calendar too.</summary>
    [Fact]
    public async Task Export_HoldsThePlaceInLine_ThePromotion_AndWhetherACalendarInviteWasSent()
    {
        var someone = AlumnusId.New();
        Rsvp[] held =
        [
            new() { EventId = e.Id, AlumnusId = someone, Status = RsvpStatus.Waitlisted, Position = 7, RespondedAt = EventBuilders.Now },
            new() { EventId = e.Id, AlumnusId = someone, Status = RsvpStatus.Attending, Position = 3, Promoted = true, CalendarSent = true, RespondedAt = EventBuilders.Now, Attended = true },
        ];
        events.Setup(s => s.RsvpsOfAsync(someone, It.IsAny<CancellationToken>())).ReturnsAsync(held);

        var exported = await new EventRegistrations(events.Object, work.Object, time).ExportAsync(someone, CancellationToken.None);

        Assert.Equal(
            [("Waitlisted", 7L, false, false, (bool?)null), ("Attending", 3L, true, true, true)],
            exported.Select(x => (x.Status, x.Position, x.Promoted, x.CalendarInviteSent, x.Attended)));
    }
}
