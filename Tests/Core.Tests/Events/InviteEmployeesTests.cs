using System.Net;
using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class InviteEmployeesTests
{
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IEmailSender> email = new();
    private readonly FakeTimeProvider time = new(EventBuilders.Now);
    private readonly Mock<IAuditLog> audit = new();
    private readonly NetworkEvent e = EventBuilders.Event();

    public InviteEmployeesTests()
    {
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        sends.Setup(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string campaign, string recipient, DateTimeOffset _, SendPolicy _, CancellationToken _) =>
                new SendClaimResult(ClaimStatus.Claimed, new SendClaim(campaign, recipient, "claim", 0, null, "v1")));
        sends.Setup(s => s.BeginAttemptAsync(It.IsAny<SendClaim>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SendClaim claim, DateTimeOffset _, CancellationToken _) => claim with { Version = "v2" });
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ReturnsAsync("provider-1");
        sends.Setup(s => s.WhichMayHaveReachedAsync(It.IsAny<string>(), It.IsAny<IReadOnlySet<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private InviteEmployees Handler()
    {
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var gate = new OutreachGate(Mock.Of<IConsentLedger>(), Mock.Of<ISuppressionList>(), Mock.Of<IOutreachLog>(), Mock.Of<IAlumniStore>(),
            new ErasureRecheck(Mock.Of<IAlumniStore>(), Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach()), Builders.Outreach(), time);
        var sender = new OutreachSender(gate, sends.Object, new ErasureRecheck(Mock.Of<IAlumniStore>(), Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            email.Object, new PromotionalFooter(links, Builders.Company(), Builders.Outreach()),
            Options.Create(new SendingOptions()), Options.Create(new SendGridEventWebhookOptions()), time, NullLogger<OutreachSender>.Instance);
        var pseudonyms = new Pseudonyms(Options.Create(new PrivacyOptions { PseudonymKey = Convert.ToBase64String(new byte[32]) }));
        return new InviteEmployees(events.Object, sender, pseudonyms, audit.Object, Builders.Company(), new CompanyMailDomains(["corp.example.com"]),
            Builders.Outreach(), Options.Create(new SendGridOptions { ApiKey = "k", FromEmail = "alumni@example.com", FromName = "Example Alumni" }), sends.Object,
            time, NullLogger<InviteEmployees>.Instance);
    }

    private void Refuse(string address, EmailNotAcceptedException refusal) =>
        email.Setup(m => m.SendAsync(It.Is<EmailMessage>(x => x.To.Value == address), It.IsAny<CancellationToken>())).ThrowsAsync(refusal);

    private async Task<StaffInvitationResult> InviteAsync(params string[] addresses)
    {
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { addresses }));
        var outcome = await Handler().HandleAsync(e.Id, body, "admin-1", CancellationToken.None);
        return Assert.IsType<AdminOutcome<StaffInvitationResult>.Done>(outcome).Value;
    }

    [Fact]
    public async Task AddressTheProviderRefusesForGood_IsCountedRefused_NotAsNotYetSent()
    {
        Refuse("gone@corp.example.com", new EmailNotAcceptedException(HttpStatusCode.BadRequest, recipientRefused: true));

        var result = await InviteAsync("gone@corp.example.com", "here@corp.example.com");

        Assert.Equal(new StaffInvitationResult(Sent: 1, AlreadySent: 0, Refused: 1, NotYetSent: 0), result);
    }

    [Fact]
    public async Task MailTheProviderRefusesForAWhile_IsNotYetSent()
    {
        Refuse("busy@corp.example.com", new EmailNotAcceptedException(HttpStatusCode.TooManyRequests));
        Refuse("down@corp.example.com", new EmailNotAcceptedException(null));

        var result = await InviteAsync("busy@corp.example.com", "down@corp.example.com", "here@corp.example.com");

        Assert.Equal(new StaffInvitationResult(Sent: 1, AlreadySent: 0, Refused: 0, NotYetSent: 2), result);
    }

    [Fact]
    public async Task RefusalOfTheAccount_NotOfTheAddress_IsNotYetSent_SoARepeatAfterTheFixSendsIt()
    {
        Refuse("first@corp.example.com", new EmailNotAcceptedException(HttpStatusCode.Unauthorized));
        Refuse("second@corp.example.com", new EmailNotAcceptedException(HttpStatusCode.Forbidden));

        var result = await InviteAsync("first@corp.example.com", "second@corp.example.com");

        Assert.Equal(new StaffInvitationResult(Sent: 0, AlreadySent: 0, Refused: 0, NotYetSent: 2), result);
    }

    /// <summary>A ledger that remembers: a send claimed once is final after, and may have reached its recipient.</summary>
    private List<(string Campaign, string Recipient)> RememberingLedger()
    {
        var sent = new List<(string Campaign, string Recipient)>();
        sends.Setup(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string campaign, string recipient, DateTimeOffset _, SendPolicy _, CancellationToken _) =>
            {
                lock (sent)
                {
                    if (sent.Contains((campaign, recipient)))
                    {
                        return new SendClaimResult(ClaimStatus.Final, null, SendState.Sent);
                    }

                    sent.Add((campaign, recipient));
                    return new SendClaimResult(ClaimStatus.Claimed, new SendClaim(campaign, recipient, "claim", 0, null, "v1"));
                }
            });
        sends.Setup(s => s.WhichMayHaveReachedAsync(It.IsAny<string>(), It.IsAny<IReadOnlySet<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string prefix, IReadOnlySet<string> recipients, CancellationToken _) =>
            {
                lock (sent)
                {
                    return sent.Where(s => s.Campaign.StartsWith(prefix, StringComparison.Ordinal) && recipients.Contains(s.Recipient)).ToArray();
                }
            });
        return sent;
    }

    private List<EmailMessage> Mails()
    {
        var mails = new List<EmailMessage>();
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => { lock (mails) { mails.Add(m); } }).ReturnsAsync("provider-1");
        return mails;
    }

    [Fact]
    public async Task RepeatedAfterTheEventChanged_SendsTheChangedInvitation_OncePerVersion()
    {
        RememberingLedger();
        var mails = Mails();
        await InviteAsync("staff@corp.example.com");

        Assert.True(e.Update(e.Details with { Title = new LocalizedText("新しい題名", "New title") }, EventBuilders.Now));
        var changed = await InviteAsync("staff@corp.example.com");
        var again = await InviteAsync("staff@corp.example.com");

        Assert.Equal(new StaffInvitationResult(Sent: 1, AlreadySent: 0, Refused: 0, NotYetSent: 0), changed);
        Assert.Equal(new StaffInvitationResult(Sent: 0, AlreadySent: 1, Refused: 0, NotYetSent: 0), again);
        Assert.Equal(2, mails.Count);
        Assert.Contains("New title", mails[1].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvitationSentUnderTheIdUsedBeforeVersions_CountsAsAlreadySent_AndIsNotSentAgain()
    {
        // Invitations sent before the deploy are under event-{id}-staff: a repeated request must not re-invite everyone.
        RememberingLedger();
        sends.Setup(s => s.WhichMayHaveReachedAsync($"event-{e.Id}-staff", It.IsAny<IReadOnlySet<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string prefix, IReadOnlySet<string> recipients, CancellationToken _) => recipients.Select(r => (prefix, r)).ToArray());
        var mails = Mails();

        var result = await InviteAsync("staff@corp.example.com");

        Assert.Equal(new StaffInvitationResult(Sent: 0, AlreadySent: 1, Refused: 0, NotYetSent: 0), result);
        Assert.Empty(mails);
    }

    [Fact]
    public async Task Invitation_CarriesACalendarRequest_WithTheAttendeesUidAndSequence_AndNoOnlineLinkOrName_EachVersionUpdatingIt()
    {
        RememberingLedger();
        var mails = Mails();
        await InviteAsync("staff@corp.example.com");
        Assert.True(e.Update(e.Details with { Title = new LocalizedText("新しい題名", "New title") }, EventBuilders.Now));
        await InviteAsync("staff@corp.example.com");

        Assert.Equal(2, mails.Count);
        var attendees = EventCalendar.Request(e, Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined), e.Sequence,
            EmailAddress.Parse("alumni@example.com"), "Example Alumni", new Uri("https://alumni.example.com/"), EventBuilders.Now);
        foreach (var (mail, sequence) in mails.Zip([e.Sequence - 1, e.Sequence]))
        {
            var file = Assert.Single(mail.Attachments);
            var ics = Encoding.UTF8.GetString(file.Content);
            var calendar = Ical.Net.Calendar.Load(ics)!;
            var entry = Assert.Single(calendar.Events);
            var attendee = Assert.Single(entry.Attendees);
            Assert.Equal(("event.ics", "text/calendar; method=REQUEST"), (file.FileName, file.ContentType));
            Assert.Equal(("REQUEST", Ical.Net.Calendar.Load(Encoding.UTF8.GetString(attendees.Content))!.Events.Single().Uid, sequence),
                (calendar.Method, entry.Uid, entry.Sequence));
            Assert.Equal(("mailto:staff@corp.example.com", null), (attendee.Value!.ToString(), attendee.CommonName));
            Assert.DoesNotContain("meet.example.com", ics, StringComparison.Ordinal);
            Assert.Contains("添付のファイル(.ics)でカレンダーに登録できます", mail.Text, StringComparison.Ordinal);
            Assert.Contains("The attached file (.ics) adds it to your calendar", mail.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CancelledEvent_SendsTheCancellationWithACalendarCancel_OnceAndOnlyToTheStaffInvitedBefore()
    {
        RememberingLedger();
        var mails = Mails();
        await InviteAsync("invited@corp.example.com");
        var invitedSequence = e.Sequence;
        Assert.True(e.Cancel(EventBuilders.Now));

        var result = await InviteAsync("invited@corp.example.com", "never@corp.example.com");
        var again = await InviteAsync("invited@corp.example.com", "never@corp.example.com");

        Assert.Equal(new StaffInvitationResult(Sent: 1, AlreadySent: 0, Refused: 1, NotYetSent: 0), result);
        Assert.Equal(new StaffInvitationResult(Sent: 0, AlreadySent: 1, Refused: 1, NotYetSent: 0), again);
        Assert.Equal(2, mails.Count);
        var cancellation = mails[1];
        Assert.Equal("invited@corp.example.com", cancellation.To.Value);
        Assert.Contains("中止", cancellation.Subject, StringComparison.Ordinal);
        Assert.Contains("Cancelled", cancellation.Subject, StringComparison.Ordinal);
        var ics = Encoding.UTF8.GetString(Assert.Single(cancellation.Attachments).Content);
        Assert.Contains("METHOD:CANCEL", ics, StringComparison.Ordinal);
        Assert.Contains($"UID:{e.Id}@alumni.example.com", ics, StringComparison.Ordinal);
        Assert.Contains($"SEQUENCE:{invitedSequence + 1}", ics, StringComparison.Ordinal);
        audit.Verify(a => a.WriteAsync(It.Is<AuditEntry>(x => x.Action == EventAuditActions.StaffCancelled && x.Subject == e.Id), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task CancelledEventWhoseStartPassed_IsAConflict_AndSendsNothing()
    {
        RememberingLedger();
        var mails = Mails();
        await InviteAsync("invited@corp.example.com");
        Assert.True(e.Cancel(EventBuilders.Now));
        time.SetUtcNow(e.Details.StartsAt);

        var body = Encoding.UTF8.GetBytes("""{"addresses":["invited@corp.example.com"]}""");
        var outcome = await Handler().HandleAsync(e.Id, body, "admin-1", CancellationToken.None);

        Assert.IsType<AdminOutcome<StaffInvitationResult>.Conflict>(outcome);
        Assert.Single(mails);
        audit.Verify(a => a.WriteAsync(It.Is<AuditEntry>(x => x.Action == EventAuditActions.StaffCancelled), It.IsAny<CancellationToken>()), Times.Never);
    }
}
