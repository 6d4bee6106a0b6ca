using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Insights;
using Moq;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class EventAttendanceInsightsTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 15, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IEventStore> store = new();
    private readonly List<NetworkEvent> events = [];

    public EventAttendanceInsightsTests() => store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => events);

    /// <summary>An event on <paramref name="day"/> with these RSVPs, A's first: <c>A</c> attending, <c>W</c> waitlisted, <c>D</c> declined; marks per person (null: not marked).</summary>
    private NetworkEvent Held(DateTimeOffset day, EventStatus status, string rsvps, params bool?[] marks)
    {
        var e = new NetworkEvent
        {
            Id = NetworkEvent.NewId(),
            Details = EventBuilders.Details(capacity: rsvps.Count(c => c == 'A')) with { StartsAt = day, EndsAt = day.AddHours(2), RegistrationDeadline = day },
            CreatedAt = day.AddDays(-30),
            CreatedBy = "admin-1",
            UpdatedAt = day.AddDays(-30),
        };
        if (status != EventStatus.Draft)
        {
            e.Publish(day.AddDays(-20));
        }

        var list = new List<Rsvp>();
        foreach (var (kind, i) in rsvps.Select((c, i) => (c, i)))
        {
            // Capacity is the number of A's, so W and D (after the A's) land on the waitlist; D then declines.
            var rsvp = e.Attend(null, AlumnusId.New(), day.AddDays(-10)).Changed.Single();
            if (kind == 'D')
            {
                e.Decline(rsvp, rsvp.AlumnusId, null, day.AddDays(-5));
            }

            if (i < marks.Length && marks[i] is { } came)
            {
                rsvp.MarkAttendance(came);
            }

            list.Add(rsvp);
        }

        if (status == EventStatus.Cancelled)
        {
            e.Cancel(day.AddDays(-1));
        }

        store.Setup(s => s.RsvpsAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(list);
        events.Add(e);
        return e;
    }

    private async Task<InsightSnapshot> CollectAsync()
    {
        var collector = new InsightCollector(Now, new Core.Company.CompanyCalendar(Builders.Company()));
        await new EventAttendanceInsights(store.Object).CollectAsync(collector, CancellationToken.None);
        return collector.MergeInto(InsightSnapshot.Empty);
    }

    private static (long Held, long Unrecorded, long Registered, long Attended) Month(InsightSnapshot s, string month) =>
        (s.Value(EventAttendanceInsights.Held(month)), s.Value(EventAttendanceInsights.Unrecorded(month)),
         s.Value(EventAttendanceInsights.Registered(month)), s.Value(EventAttendanceInsights.Attended(month)));

    [Fact]
    public async Task AnEventStartingAt2330UtcOnTheLastDay_CountsInTheNextMonth_AsTokyoHeldIt()
    {
        Held(new DateTimeOffset(2027, 2, 28, 23, 30, 0, TimeSpan.Zero), EventStatus.Published, "AAAAA", true, true, true, true, true);

        var snapshot = await CollectAsync();

        Assert.Equal(((0L, 0L, 0L, 0L), (1L, 0L, 5L, 5L)), (Month(snapshot, "2027-02"), Month(snapshot, "2027-03")));
    }

    [Fact]
    public async Task EndedEventsWithAttendanceMarked_CountTheirRegisteredAndThoseWhoCame_InTheMonthTheyStarted()
    {
        Held(new DateTimeOffset(2027, 2, 10, 10, 0, 0, TimeSpan.Zero), EventStatus.Published, "AAAA", true, true, false, null);
        Held(new DateTimeOffset(2027, 2, 20, 10, 0, 0, TimeSpan.Zero), EventStatus.Published, "AAA", true, true, true);

        var snapshot = await CollectAsync();

        Assert.Equal((2, 0, 7, 5), Month(snapshot, "2027-02"));
    }

    [Fact]
    public async Task AnEventNobodyMarked_IsCountedApart_AndLeftOutOfTheRate()
    {
        Held(new DateTimeOffset(2027, 1, 10, 10, 0, 0, TimeSpan.Zero), EventStatus.Published, "AAAAAA");

        var snapshot = await CollectAsync();

        Assert.Equal((0, 1, 0, 0), Month(snapshot, "2027-01"));
    }

    [Fact]
    public async Task CancelledEvents_EventsNotYetEnded_TheWaitlistAndDeclines_AreNotCounted()
    {
        Held(new DateTimeOffset(2027, 2, 10, 10, 0, 0, TimeSpan.Zero), EventStatus.Cancelled, "AA", true, true);
        Held(Now.AddHours(-1), EventStatus.Published, "AA", true, true);
        var withLists = Held(new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero), EventStatus.Published, "AAWD", true, false, true, true);

        var snapshot = await CollectAsync();

        Assert.Equal((0, 0, 0, 0), Month(snapshot, "2027-02"));
        Assert.Equal((1, 0, 2, 1), Month(snapshot, "2027-03"));
        store.Verify(s => s.RsvpsAsync(withLists.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task EventsBeforeTheLastTwelveMonths_AreNotRead()
    {
        var old = Held(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), EventStatus.Published, "AAAAA", true, true, true, true, true);

        var snapshot = await CollectAsync();

        Assert.Equal((0, 0, 0, 0), Month(snapshot, "2026-04"));
        Assert.False(snapshot.Metrics.ContainsKey(EventAttendanceInsights.Held("2026-03")));
        store.Verify(s => s.RsvpsAsync(old.Id, It.IsAny<CancellationToken>()), Times.Never);
    }
}
