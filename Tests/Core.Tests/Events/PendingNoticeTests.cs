using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class PendingNoticeTests
{
    private static readonly DateTimeOffset Now = EventBuilders.Now;
    private readonly NetworkEvent e = EventBuilders.Event(capacity: 1);

    [Fact]
    public void NewAttendee_IsOwedAConfirmationWithACalendarRequest_ThenNothing()
    {
        var rsvp = e.Attend(null, AlumnusId.New(), Now).Changed.Single();

        var notice = PendingNotice.For(e, rsvp)!;
        rsvp.MarkNoticed(e, notice.CalendarAfter(rsvp));

        Assert.Equal((NoticeKind.Confirmed, CalendarAction.Request, $"event-{e.Id}-r1-s0"), (notice.Kind, notice.Calendar, notice.CampaignId));
        Assert.Null(PendingNotice.For(e, rsvp));
        Assert.True(rsvp.CalendarSent);
    }

    [Fact]
    public void ConfirmationStillOwedWhenTheEventChanges_IsANewMailNotTheOneAlreadyInTheLedger()
    {
        var rsvp = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        var before = PendingNotice.For(e, rsvp)!;

        e.Update(e.Details with { Venue = "新会場" }, Now);

        var after = PendingNotice.For(e, rsvp)!;
        Assert.NotEqual(before.CampaignId, after.CampaignId);
        Assert.Equal((NoticeKind.Confirmed, CalendarAction.Request), (after.Kind, after.Calendar));
    }

    [Fact]
    public void BackOnTheWaitlistAfterACalendarRequest_CancelsTheEntry_AndAPromotionRequestsItAgain()
    {
        var rsvp = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        rsvp.MarkNoticed(e, calendarSent: true);
        e.Decline(rsvp, rsvp.AlumnusId, null, Now);
        e.Attend(null, AlumnusId.New(), Now);
        e.Attend(rsvp, rsvp.AlumnusId, Now);

        var waitlisted = PendingNotice.For(e, rsvp)!;
        rsvp.MarkNoticed(e, waitlisted.CalendarAfter(rsvp));

        Assert.Equal((NoticeKind.Waitlisted, CalendarAction.Cancel), (waitlisted.Kind, waitlisted.Calendar));
        Assert.False(rsvp.CalendarSent);
        e.Update(e.Details with { Capacity = 2 }, Now);
        var seated = e.PromoteFromWaitlist([rsvp], max: 90, Now).Single();
        Assert.Equal((NoticeKind.Promoted, CalendarAction.Request), (PendingNotice.For(e, seated)!.Kind, PendingNotice.For(e, seated)!.Calendar));
    }

    [Fact]
    public void Promotion_IsOwedItsOwnNotice()
    {
        var seated = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        var waiting = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        waiting.MarkNoticed(e, calendarSent: false);

        e.Decline(seated, seated.AlumnusId, waiting, Now);

        Assert.Equal((NoticeKind.Promoted, CalendarAction.Request), (PendingNotice.For(e, waiting)!.Kind, PendingNotice.For(e, waiting)!.Calendar));
    }

    [Fact]
    public void DeclineAfterACalendarRequest_CancelsTheCalendarEntry()
    {
        var rsvp = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        rsvp.MarkNoticed(e, calendarSent: true);

        e.Decline(rsvp, rsvp.AlumnusId, null, Now);

        Assert.Equal((NoticeKind.Declined, CalendarAction.Cancel), (PendingNotice.For(e, rsvp)!.Kind, PendingNotice.For(e, rsvp)!.Calendar));
    }

    [Fact]
    public void EventChange_IsOwedToAttendeesAndTheWaitlist_NotToThoseWhoDeclined()
    {
        var attending = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        var waiting = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        var declined = e.Decline(null, AlumnusId.New(), null, Now).Changed.Single();
        foreach (var r in new[] { attending, waiting, declined })
        {
            r.MarkNoticed(e, r == attending);
        }

        e.Update(e.Details with { Venue = "新会場" }, Now);

        Assert.Equal((NoticeKind.Updated, CalendarAction.Request, $"event-{e.Id}-s{e.Sequence}"),
            (PendingNotice.For(e, attending)!.Kind, PendingNotice.For(e, attending)!.Calendar, PendingNotice.For(e, attending)!.CampaignId));
        Assert.Equal((NoticeKind.Updated, CalendarAction.None), (PendingNotice.For(e, waiting)!.Kind, PendingNotice.For(e, waiting)!.Calendar));
        Assert.Null(PendingNotice.For(e, declined));
    }

    [Fact]
    public void Cancellation_SendsCalendarCancelOnlyWhereACalendarEntryExists()
    {
        var attending = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        var waiting = e.Attend(null, AlumnusId.New(), Now).Changed.Single();
        attending.MarkNoticed(e, calendarSent: true);
        waiting.MarkNoticed(e, calendarSent: false);

        e.Cancel(Now);

        Assert.Equal((NoticeKind.Cancelled, CalendarAction.Cancel), (PendingNotice.For(e, attending)!.Kind, PendingNotice.For(e, attending)!.Calendar));
        Assert.Equal((NoticeKind.Cancelled, CalendarAction.None), (PendingNotice.For(e, waiting)!.Kind, PendingNotice.For(e, waiting)!.Calendar));
    }

    [Fact]
    public void Reminder_IsDueTheLeadBeforeTheStart()
    {
        var reminder = EventWork.Reminder(e, TimeSpan.FromHours(24), Now)!;

        Assert.Equal((WorkKinds.EventReminder, e.Id), (reminder.Kind, reminder.SubjectId));
        Assert.Equal(e.Details.StartsAt.AddHours(-24), reminder.DueAt);
    }

    [Fact]
    public void Reminder_IsNotScheduledWhenItsTimeHasPassedOrTheEventIsNotPublished()
    {
        Assert.Null(EventWork.Reminder(e, TimeSpan.FromHours(24), e.Details.StartsAt.AddHours(-2)));
        Assert.Null(EventWork.Reminder(EventBuilders.Event(status: EventStatus.Draft), TimeSpan.FromHours(24), Now));
        Assert.Null(EventWork.Reminder(EventBuilders.Event(status: EventStatus.Cancelled), TimeSpan.FromHours(24), Now));
    }

    [Fact]
    public void ChangingOnlyTheFragmentOfTheOnlineLink_IsAChangeAttendeesAreTold()
    {
        e.Update(e.Details with { OnlineUrl = new Uri("https://meet.example/room#pwd=old") }, Now);
        var sequence = e.Sequence;

        Assert.True(e.Update(e.Details with { OnlineUrl = new Uri("https://meet.example/room#pwd=new") }, Now));
        Assert.Equal(sequence + 1, e.Sequence);
        Assert.False(e.Update(e.Details with { OnlineUrl = new Uri("https://meet.example/room#pwd=new") }, Now));
        Assert.Equal(sequence + 1, e.Sequence);
    }

    [Fact]
    public void ReminderOfAnEventMovedToWithinTheLead_IsDueAtOnce_AndIsTheCurrentReminder()
    {
        var lead = TimeSpan.FromHours(24);
        e.Update(e.Details with { StartsAt = Now.AddHours(18), EndsAt = Now.AddHours(20), RegistrationDeadline = Now.AddHours(17) }, Now);

        var reminder = EventWork.MovedReminder(e, lead, Now)!;

        Assert.Equal((WorkKinds.EventReminder, e.Id, Now + EventWork.WriteGrace), (reminder.Kind, reminder.SubjectId, reminder.DueAt));
        Assert.True(EventWork.IsCurrentReminder(e, lead, reminder.DueAt));
        Assert.False(EventWork.IsCurrentReminder(e, lead, new DateTimeOffset(2027, 2, 9, 10, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void ReminderOfAnEventMovedOutsideTheLead_IsDueTheLeadBeforeTheNewStart()
    {
        e.Update(e.Details with { StartsAt = e.Details.StartsAt.AddDays(7), EndsAt = e.Details.EndsAt.AddDays(7) }, Now);

        Assert.Equal(e.Details.StartsAt.AddHours(-24), EventWork.MovedReminder(e, TimeSpan.FromHours(24), Now)!.DueAt);
    }

    [Fact]
    public void ReminderOfAnEventMovedToAStartAlreadyPast_OrNotPublished_IsNone()
    {
        e.Update(e.Details with { StartsAt = Now.AddHours(-1), EndsAt = Now.AddHours(1), RegistrationDeadline = Now.AddHours(-2) }, Now);

        Assert.Null(EventWork.MovedReminder(e, TimeSpan.FromHours(24), Now));
        Assert.Null(EventWork.MovedReminder(e, TimeSpan.FromHours(24), Now.AddHours(-1) - EventWork.WriteGrace / 2));
        Assert.Null(EventWork.MovedReminder(EventBuilders.Event(status: EventStatus.Cancelled), TimeSpan.FromHours(24), Now));
    }

    [Fact]
    public void RsvpLink_StillWorksAfterTheOriginalEndWhenTheEventIsPostponed_AndExpiresAYearAfterIt()
    {
        var time = new FakeTimeProvider(Now);
        var tokens = new LinkTokenService(Builders.Links(), time);
        var link = new AlumniLinks(tokens, Builders.Company()).RsvpLink(e, Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero)));
        var token = System.Web.HttpUtility.ParseQueryString(link.Query)["token"];

        time.SetUtcNow(e.Details.EndsAt.AddDays(30));
        var postponed = tokens.Check(token, LinkPurpose.Rsvp).Status;
        time.SetUtcNow(e.Details.EndsAt.AddDays(366));
        var yearLater = tokens.Check(token, LinkPurpose.Rsvp).Status;

        Assert.Equal((LinkTokenStatus.Valid, LinkTokenStatus.Expired), (postponed, yearLater));
    }

    [Fact]
    public void NoticeWork_NamesThePersonSoTwoChangesNeverShareARow()
    {
        var a = EventWork.Notices(e.Id, Now, AlumnusId.New());
        var b = EventWork.Notices(e.Id, Now, AlumnusId.New());

        Assert.NotEqual(a.RowKey, b.RowKey);
        Assert.Equal(e.Id, EventWork.EventIdOf(a.ToMessage()));
        Assert.Equal(a.SubjectId[33..], EventWork.AlumnusOf(a.ToMessage())?.Value);
        Assert.Null(EventWork.AlumnusOf(EventWork.Notices(e.Id, Now).ToMessage()));
    }
}
