using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class SeatingTests
{
    private static readonly DateTimeOffset Now = EventBuilders.Now;
    private readonly NetworkEvent e = EventBuilders.Event(capacity: 2);

    private static Rsvp Attend(NetworkEvent ev, Rsvp? current = null) => ev.Attend(current, AlumnusId.New(), Now).Changed.Single();

    [Fact]
    public void SeatsGoFirstComeFirstServed_ThenTheWaitlistFills()
    {
        var first = e.Attend(null, AlumnusId.New(), Now);
        var second = e.Attend(null, AlumnusId.New(), Now);
        var third = e.Attend(null, AlumnusId.New(), Now);

        Assert.Equal([RsvpOutcome.Attending, RsvpOutcome.Attending, RsvpOutcome.Waitlisted], new[] { first.Outcome, second.Outcome, third.Outcome });
        Assert.Equal((2, 1), (e.Attending, e.Waitlisted));
    }

    [Fact]
    public void SameAnswerTwice_ChangesNothing()
    {
        var rsvp = Attend(e);
        var version = rsvp.Version;

        var again = e.Attend(rsvp, rsvp.AlumnusId, Now.AddSeconds(1));

        Assert.Equal(RsvpOutcome.Unchanged, again.Outcome);
        Assert.Empty(again.Changed);
        Assert.Equal((1, version), (e.Attending, rsvp.Version));
    }

    [Fact]
    public void DecliningASeat_PromotesTheFirstInLine()
    {
        var seated = Attend(e);
        Attend(e);
        var firstInLine = Attend(e);
        var secondInLine = Attend(e);

        var head = new[] { secondInLine, firstInLine }.MinBy(r => r.Position);
        var change = e.Decline(seated, seated.AlumnusId, head, Now);

        Assert.Equal(RsvpOutcome.Declined, change.Outcome);
        Assert.Same(firstInLine, change.Changed[1]);
        Assert.Equal((RsvpStatus.Attending, true), (firstInLine.Status, firstInLine.Promoted));
        Assert.Equal(RsvpStatus.Waitlisted, secondInLine.Status);
        Assert.Equal((2, 1), (e.Attending, e.Waitlisted));
    }

    [Fact]
    public void LeavingTheWaitlist_PromotesNobody()
    {
        Attend(e);
        Attend(e);
        var waiting = Attend(e);

        var change = e.Decline(waiting, waiting.AlumnusId, null, Now);

        Assert.Single(change.Changed);
        Assert.Equal((2, 0), (e.Attending, e.Waitlisted));
    }

    [Fact]
    public void DeclineWithoutRegistration_IsRecordedWithoutANotice()
    {
        var change = e.Decline(null, AlumnusId.New(), null, Now);

        var rsvp = Assert.Single(change.Changed);
        Assert.Equal(RsvpStatus.Declined, rsvp.Status);
        Assert.False(rsvp.NoticePending(e));
    }

    [Fact]
    public void ChangingFromDeclineToAttend_TakesAFreeSeat()
    {
        var rsvp = e.Decline(null, AlumnusId.New(), null, Now).Changed.Single();

        var change = e.Attend(rsvp, rsvp.AlumnusId, Now.AddMinutes(1));

        Assert.Equal(RsvpOutcome.Attending, change.Outcome);
        Assert.True(rsvp.NoticePending(e));
    }

    [Fact]
    public void CapacityIncrease_PromotesInOrderUpToTheFreeSeats()
    {
        Attend(e);
        Attend(e);
        var waiting = Enumerable.Range(0, 3).Select(_ => Attend(e)).ToArray();
        e.Update(e.Details with { Capacity = 4 }, Now);

        var promoted = e.PromoteFromWaitlist(waiting.Reverse(), max: 90, Now);

        Assert.Equal(waiting[..2], promoted);
        Assert.Equal((4, 1), (e.Attending, e.Waitlisted));
    }

    [Fact]
    public void NewcomerWhileOthersWait_JoinsTheWaitlistEvenWithAFreeSeat()
    {
        Attend(e);
        Attend(e);
        var waiting = Attend(e);
        e.Update(e.Details with { Capacity = 3 }, Now);

        var newcomer = e.Attend(null, AlumnusId.New(), Now);

        Assert.Equal(RsvpOutcome.Waitlisted, newcomer.Outcome);
        Assert.True(e.OwesPromotions);
        Assert.Equal(waiting, Assert.Single(e.PromoteFromWaitlist([newcomer.Changed.Single(), waiting], max: 90, Now)));
        Assert.False(e.OwesPromotions);
    }

    [Fact]
    public void Removal_FillsEveryFreeSeatInOrder_AndNeverPromotesTheOneRemoved()
    {
        var seated = Attend(e);
        Attend(e);
        var waiting = Enumerable.Range(0, 3).Select(_ => Attend(e)).ToArray();
        e.Update(e.Details with { Capacity = 3 }, Now);

        var promoted = e.Remove(seated, waiting.Reverse(), maxPromotions: 90, Now);

        Assert.Equal(waiting[..2], promoted);
        Assert.Equal((3, 1), (e.Attending, e.Waitlisted));
    }

    [Fact]
    public void RemovalOnceTheEventHasStarted_FreesTheSeatButPromotesNobody()
    {
        var seated = Attend(e);
        Attend(e);
        var waiting = Attend(e);
        var afterStart = e.Details.StartsAt.AddDays(30);

        var promoted = e.Remove(seated, [waiting], maxPromotions: 90, afterStart);

        Assert.Empty(promoted);
        Assert.Equal(RsvpStatus.Waitlisted, waiting.Status);
        Assert.False(waiting.Promoted);
        Assert.Equal((1, 1), (e.Attending, e.Waitlisted));
        Assert.Empty(e.PromoteFromWaitlist([waiting], max: 90, e.Details.StartsAt));
    }

    [Theory]
    [InlineData(EventStatus.Draft, 0, Registration.NotPublished)]
    [InlineData(EventStatus.Cancelled, 0, Registration.Cancelled)]
    [InlineData(EventStatus.Published, 0, Registration.Open)]
    [InlineData(EventStatus.Published, 29 * 24, Registration.Open)]
    [InlineData(EventStatus.Published, 30 * 24, Registration.Closed)]
    public void Registration_DependsOnStatusAndDeadline(EventStatus status, int hoursLater, Registration expected) =>
        Assert.Equal(expected, EventBuilders.Event(status: status).RegistrationAt(Now.AddHours(hoursLater)));

    [Fact]
    public void AfterTheDeadline_ASeatOrAPlaceInLineCanBeGivenUpUntilTheStart_ButNobodyCanAttend()
    {
        var seated = Attend(e);
        Attend(e);
        var waiting = Attend(e);
        var afterDeadline = e.Details.RegistrationDeadline.AddMinutes(1);

        Assert.True(e.TakesAnswer(RsvpChoice.Attend, null, Now));
        Assert.True(e.TakesAnswer(RsvpChoice.Decline, seated, afterDeadline));
        Assert.True(e.TakesAnswer(RsvpChoice.Decline, waiting, afterDeadline));
        Assert.False(e.TakesAnswer(RsvpChoice.Attend, null, afterDeadline));
        Assert.False(e.TakesAnswer(RsvpChoice.Attend, waiting, afterDeadline));
        Assert.False(e.TakesAnswer(RsvpChoice.Decline, null, afterDeadline));
        Assert.False(e.TakesAnswer(RsvpChoice.Decline, seated, e.Details.StartsAt));
    }

    [Fact]
    public void DecliningASeatAfterTheDeadline_StillPromotesTheFirstInLine()
    {
        var seated = Attend(e);
        Attend(e);
        var waiting = Attend(e);
        var afterDeadline = e.Details.RegistrationDeadline.AddMinutes(1);

        var change = e.Decline(seated, seated.AlumnusId, waiting, afterDeadline);

        Assert.Equal(RsvpOutcome.Declined, change.Outcome);
        Assert.Equal(RsvpStatus.Attending, waiting.Status);
        Assert.Equal((2, 0), (e.Attending, e.Waitlisted));
    }

    [Fact]
    public void UpdateOfWhatAttendeesSee_RaisesTheSequence_CapacityAloneDoesNot()
    {
        var before = e.Sequence;

        Assert.False(e.Update(e.Details with { Capacity = 10 }, Now));
        Assert.True(e.Update(e.Details with { Venue = "新会場" }, Now));
        Assert.Equal(before + 1, e.Sequence);
    }

    [Fact]
    public void Cancel_RaisesTheSequenceOnce()
    {
        var before = e.Sequence;

        Assert.True(e.Cancel(Now));
        Assert.False(e.Cancel(Now));
        Assert.Equal(before + 1, e.Sequence);
    }

    [Fact]
    public void CalendarSequence_RisesWithEveryChangeOfEventOrRsvp()
    {
        var rsvp = Attend(e);
        var first = rsvp.CalendarSequence(e);
        e.Update(e.Details with { Venue = "新会場" }, Now);
        var afterUpdate = rsvp.CalendarSequence(e);
        e.Decline(rsvp, rsvp.AlumnusId, null, Now);

        Assert.True(first < afterUpdate && afterUpdate < rsvp.CalendarSequence(e));
    }

    [Fact]
    public void RsvpScope_RoundTripsAndRejectsOthers()
    {
        Assert.Equal(e.Id, NetworkEvent.FromScope(e.LinkScope));
        Assert.Null(NetworkEvent.FromScope("survey-" + e.Id));
        Assert.Null(NetworkEvent.FromScope(null));
    }
}
