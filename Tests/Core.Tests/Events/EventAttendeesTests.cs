using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Events;

/// <summary>Refused attendance marks carry a code the console and the API answer by, and write nothing.</summary>
public sealed class EventAttendeesTests
{
    private static readonly ReadOnlyMemory<byte> Came = Encoding.UTF8.GetBytes("""{"attended":true}""");
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly FakeTimeProvider time = new(EventBuilders.Now);
    private readonly Alumnus person = Builders.Alumnus(EventBuilders.Now.AddDays(-30), AlumnusStatus.Joined);

    private EventAttendees Handler() => new(events.Object, alumni.Object, audit.Object, time, NullLogger<EventAttendees>.Instance);

    private NetworkEvent Stored(EventStatus status, RsvpStatus rsvp)
    {
        var e = EventBuilders.Event(status: status);
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        events.Setup(s => s.GetRsvpAsync(e.Id, person.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Rsvp { EventId = e.Id, AlumnusId = person.Id, Status = rsvp, RespondedAt = EventBuilders.Now, Version = 1 });
        alumni.Setup(a => a.GetAsync(person.Id, It.IsAny<CancellationToken>())).ReturnsAsync(person);
        return e;
    }

    private void NothingWritten()
    {
        events.Verify(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()), Times.Never);
        audit.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(RsvpStatus.Waitlisted)]
    [InlineData(RsvpStatus.Declined)]
    public async Task Mark_SomeoneNotRegisteredToAttend_IsANotAttendingConflict_AndWritesNothing(RsvpStatus status)
    {
        var e = Stored(EventStatus.Published, status);
        time.SetUtcNow(e.Details.StartsAt.AddHours(3));

        var outcome = await Handler().MarkAsync(e.Id, person.Id.Value, Came, "admin-1", CancellationToken.None);

        var conflict = Assert.IsType<AdminOutcome<AttendeeView>.Conflict>(outcome);
        Assert.Equal((ConflictCode.NotAttending, EventAttendees.NotAttendingReason), (conflict.Code, conflict.Reason));
        NothingWritten();
    }

    [Theory]
    [InlineData(EventStatus.Published, -2)]
    [InlineData(EventStatus.Draft, 3)]
    [InlineData(EventStatus.Cancelled, 3)]
    public async Task Mark_AnEventNotHeld_IsAnEventNotHeldConflict_AndWritesNothing(EventStatus status, int hoursAfterStart)
    {
        var e = Stored(status, RsvpStatus.Attending);
        time.SetUtcNow(e.Details.StartsAt.AddHours(hoursAfterStart));

        var outcome = await Handler().MarkAsync(e.Id, person.Id.Value, Came, "admin-1", CancellationToken.None);

        var conflict = Assert.IsType<AdminOutcome<AttendeeView>.Conflict>(outcome);
        Assert.Equal((ConflictCode.EventNotHeld, EventAttendees.NotHeldReason), (conflict.Code, conflict.Reason));
        NothingWritten();
    }

    [Fact]
    public async Task ListAndCheckInCsv_RecordEveryAttendeeAndWaitlistedPerson_AsSubjects_ButNotWhoDeclined()
    {
        var e = Stored(EventStatus.Published, RsvpStatus.Attending);
        var waiting = Builders.Alumnus(EventBuilders.Now.AddDays(-30), AlumnusStatus.Joined);
        var declined = Builders.Alumnus(EventBuilders.Now.AddDays(-30), AlumnusStatus.Joined);
        alumni.Setup(a => a.GetAsync(waiting.Id, It.IsAny<CancellationToken>())).ReturnsAsync(waiting);
        alumni.Setup(a => a.GetAsync(declined.Id, It.IsAny<CancellationToken>())).ReturnsAsync(declined);
        events.Setup(s => s.RsvpsAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync([
            new Rsvp { EventId = e.Id, AlumnusId = person.Id, Status = RsvpStatus.Attending, Position = 1, RespondedAt = EventBuilders.Now },
            new Rsvp { EventId = e.Id, AlumnusId = waiting.Id, Status = RsvpStatus.Waitlisted, Position = 2, RespondedAt = EventBuilders.Now },
            new Rsvp { EventId = e.Id, AlumnusId = declined.Id, Status = RsvpStatus.Declined, Position = 3, RespondedAt = EventBuilders.Now },
        ]);
        var recorded = new List<(string Action, AlumnusId[] Subjects)>();
        audit.Setup(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.IsAny<IReadOnlyCollection<AlumnusId>>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry entry, IReadOnlyCollection<AlumnusId> subjects, CancellationToken _) => recorded.Add((entry.Action, [.. subjects])));

        Assert.IsType<AdminOutcome<AttendeeList>.Done>(await Handler().ListAsync(e.Id, "admin-1", CancellationToken.None));
        Assert.NotNull(await Handler().CheckInCsvAsync(e.Id, "admin-1", CancellationToken.None));

        Assert.Equal([EventAuditActions.AttendeesRead, EventAuditActions.AttendeesExported], recorded.Select(r => r.Action));
        Assert.All(recorded, r => Assert.Equal(new HashSet<AlumnusId> { person.Id, waiting.Id }, r.Subjects.ToHashSet()));
    }

    [Fact]
    public async Task Mark_RecordsTheMarkedPersonAsItsSubject()
    {
        var e = Stored(EventStatus.Published, RsvpStatus.Attending);
        time.SetUtcNow(e.Details.StartsAt.AddHours(3));
        events.Setup(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        Assert.IsType<AdminOutcome<AttendeeView>.Done>(await Handler().MarkAsync(e.Id, person.Id.Value, Came, "admin-1", CancellationToken.None));

        audit.Verify(a => a.RecordSubjectsAsync(It.Is<AuditEntry>(x => x.Action == EventAuditActions.AttendanceMarked && x.Subject == e.Id),
            It.Is<IReadOnlyCollection<AlumnusId>>(s => s.SequenceEqual(new[] { person.Id })), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>Each audit write and subject record, and each RSVP write, in the order they happened.</summary>
    private List<string> RecordOrder(params bool[] saves)
    {
        var order = new List<string>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry x, CancellationToken _) => order.Add(x.Action)).Returns(Task.CompletedTask);
        audit.Setup(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.IsAny<IReadOnlyCollection<AlumnusId>>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry x, IReadOnlyCollection<AlumnusId> subjects, CancellationToken _) => order.Add($"subjects {x.Action} {string.Join(",", subjects.Select(s => s.Value))}"))
            .Returns(Task.CompletedTask);
        var writes = new Queue<bool>(saves);
        events.Setup(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()))
            .Callback(() => order.Add("save")).ReturnsAsync(() => writes.Dequeue());
        return order;
    }

    private NetworkEvent StoredFreshOnEachRead()
    {
        var e = Stored(EventStatus.Published, RsvpStatus.Attending);
        events.Setup(s => s.GetRsvpAsync(e.Id, person.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new Rsvp { EventId = e.Id, AlumnusId = person.Id, Status = RsvpStatus.Attending, RespondedAt = EventBuilders.Now, Version = 1 });
        time.SetUtcNow(e.Details.StartsAt.AddHours(3));
        return e;
    }

    [Fact]
    public async Task Mark_RetriedAfterAConflict_IsAuditedBeforeEachWrite_AndTheLostAttemptIsAuditedAsNotSaved()
    {
        var e = StoredFreshOnEachRead();
        var order = RecordOrder(false, true);

        Assert.IsType<AdminOutcome<AttendeeView>.Done>(await Handler().MarkAsync(e.Id, person.Id.Value, Came, "admin-1", CancellationToken.None));

        const string Marked = EventAuditActions.AttendanceMarked;
        var notSaved = UnsavedChange.NotSavedAction(Marked);
        var who = person.Id.Value;
        Assert.Equal([Marked, $"subjects {Marked} {who}", "save", notSaved, $"subjects {notSaved} {who}", Marked, $"subjects {Marked} {who}", "save"], order);
        audit.Verify(a => a.WriteAsync(It.Is<AuditEntry>(x => x.Action == notSaved && x.Subject == e.Id && x.Actor == "admin-1" && x.Detail.StartsWith($"alumnus={who}; attended=True", StringComparison.Ordinal)),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Mark_ThatLosesEveryAttempt_IsAConflict_AndEveryEntryIsFollowedByItsNotSavedEntry()
    {
        var e = StoredFreshOnEachRead();
        var order = RecordOrder([.. Enumerable.Repeat(false, ManageEvents.MaxAttempts)]);

        Assert.IsType<AdminOutcome<AttendeeView>.Conflict>(await Handler().MarkAsync(e.Id, person.Id.Value, Came, "admin-1", CancellationToken.None));

        var writes = order.Where(o => !o.StartsWith("subjects", StringComparison.Ordinal) && o != "save").ToArray();
        Assert.Equal(Enumerable.Repeat(new[] { EventAuditActions.AttendanceMarked, UnsavedChange.NotSavedAction(EventAuditActions.AttendanceMarked) }, ManageEvents.MaxAttempts).SelectMany(x => x), writes);
    }

    [Fact]
    public async Task Mark_WhoseAuditWriteFails_SavesNothing_AndDisclosesNobody()
    {
        var e = StoredFreshOnEachRead();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new Azure.RequestFailedException(503, "throttled"));

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Handler().MarkAsync(e.Id, person.Id.Value, Came, "admin-1", CancellationToken.None));

        events.Verify(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
