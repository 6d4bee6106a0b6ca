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
    }

    private InviteEmployees Handler()
    {
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var gate = new OutreachGate(Mock.Of<IConsentLedger>(), Mock.Of<ISuppressionList>(), Mock.Of<IOutreachLog>(), Mock.Of<IAlumniStore>(),
            new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach()), Builders.Outreach(), time);
        var sender = new OutreachSender(gate, sends.Object, email.Object, new PromotionalFooter(links, Builders.Company(), Builders.Outreach()),
            Options.Create(new SendingOptions()), Options.Create(new SendGridEventWebhookOptions()), time, NullLogger<OutreachSender>.Instance);
        var pseudonyms = new Pseudonyms(Options.Create(new PrivacyOptions { PseudonymKey = Convert.ToBase64String(new byte[32]) }));
        return new InviteEmployees(events.Object, sender, pseudonyms, Mock.Of<IAuditLog>(), Builders.Company(), new CompanyMailDomains(["corp.example.com"]),
            Builders.Outreach(), time, NullLogger<InviteEmployees>.Instance);
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
}
