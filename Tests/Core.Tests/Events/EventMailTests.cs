using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class EventMailTests
{
    private readonly NetworkEvent e = EventBuilders.Event();

    // The builders' deadline: 8 February 2027, 18:00 in Tokyo (09:00 UTC), shown in the event's zone and naming it.
    [Theory]
    [InlineData(Locale.Japanese, "お申し込み締切: 2027年2月8日(月) 18:00 (Asia/Tokyo)")]
    [InlineData(Locale.English, "Please reply by Monday 8 February 2027, 18:00 (Asia/Tokyo).")]
    public void Invitation_ShowsTheDeadlineInTheEventsZone_NamingIt(Locale locale, string deadline)
    {
        var template = EventMail.Invitation(e, locale, "Example");

        Assert.Contains(deadline, template.Text, StringComparison.Ordinal);
        Assert.Contains(deadline, template.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Locale.Japanese, "ご回答の変更は 2027年2月8日(月) 18:00 (Asia/Tokyo) まで:")]
    [InlineData(Locale.English, "To change your answer (until Monday 8 February 2027, 18:00 (Asia/Tokyo)):")]
    public void Confirmation_ShowsTheDeadlineToChangeTheAnswerInTheEventsZone_NamingIt(Locale locale, string deadline)
    {
        var alumnus = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined, locale);
        var rsvp = e.Attend(null, alumnus.Id, EventBuilders.Now).Changed.Single();

        var mail = EventMail.Notice(NoticeKind.Confirmed, "event-confirmed", e, alumnus, rsvp, "Example", new Uri("https://alumni.example.com/api/alumni/rsvp?token=t"), null);

        Assert.Contains(deadline, mail.Text, StringComparison.Ordinal);
        Assert.Contains(deadline, mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Deadline_IsTheSameInstantInAnotherZone_ShownInThatZone()
    {
        var d = e.Details with { TimeZone = "Europe/London" };

        Assert.Equal("2027年2月8日(月) 09:00 (Europe/London)", EventMail.Deadline(d, Locale.Japanese));
        Assert.Equal("Monday 8 February 2027, 09:00 (Europe/London)", EventMail.Deadline(d, Locale.English));
    }

    [Theory]
    [InlineData("本社ホール", "本社ホール / オンライン参加可（URLは主催者（events@corp.example.com）にお問い合わせください）", "本社ホール / Online too (ask the organiser for the link: events@corp.example.com)")]
    [InlineData(null, "オンライン開催（URLは主催者（events@corp.example.com）にお問い合わせください）", "Online (ask the organiser for the link: events@corp.example.com)")]
    public void StaffMail_SendsEmployeesToTheOrganiserForTheOnlineLink_PromisingNoRegistration(string? venue, string ja, string en)
    {
        var staffEvent = EventBuilders.Event();
        staffEvent.Details = staffEvent.Details with { Venue = venue };

        var mail = EventMail.Internal(staffEvent, EmailAddress.Parse("taro@corp.example.com"), "Example", "events@corp.example.com",
            new Core.Email.EmailAttachment("event.ics", "text/calendar", []));

        Assert.Contains($"場所: {ja}", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"Where: {en}", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("参加登録後", mail.Text + mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("once you register", mail.Text + mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("meet.example.com", mail.Text + mail.Html, StringComparison.Ordinal);
    }
}
