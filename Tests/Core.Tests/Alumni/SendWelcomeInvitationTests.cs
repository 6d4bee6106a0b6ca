using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class SendWelcomeInvitationTests
{
    private static readonly DateTimeOffset Due = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<IEmailSender> email = new();
    private readonly Mock<ISuppressionList> suppressions = new();
    private readonly Mock<IOutreachLog> outreachLog = new();
    private readonly FakeTimeProvider time = new(Due.AddMinutes(1));

    private SendWelcomeInvitation Handler()
    {
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var gate = new OutreachGate(Mock.Of<IConsentLedger>(), suppressions.Object, outreachLog.Object,
            new CompanyCalendar(Builders.Company()), Builders.Outreach(), time);
        var sender = new OutreachSender(gate, sends.Object, email.Object, new PromotionalFooter(links, Builders.Company(), Builders.Outreach()), time);
        return new(alumni.Object, work.Object, sender, links, new CompanyCalendar(Builders.Company()), Builders.Company(), Builders.Links(), time, NullLogger<SendWelcomeInvitation>.Instance);
    }

    private Alumnus Stored(Locale locale = Locale.Japanese, DateTimeOffset? due = null)
    {
        var alumnus = Builders.Alumnus(due ?? Due, locale: locale);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        alumni.Setup(a => a.TryUpdateAsync(alumnus, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        return alumnus;
    }

    private static WorkMessage Message(Alumnus alumnus, DateTimeOffset? due = null) =>
        new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = alumnus.Id.Value, DueAt = due ?? alumnus.WelcomeDueAt }.ToMessage();

    [Fact]
    public async Task DueAndNotSent_SendsRecordsMarksInvitedAndCompletes()
    {
        var alumnus = Stored();
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent = m).ReturnsAsync("provider-1");

        Assert.Equal(WelcomeOutcome.Sent, await Handler().HandleAsync(Message(alumnus), CancellationToken.None));

        Assert.Equal("hanako@example.net", sent!.To.Value);
        Assert.Contains("アルムナイネットワーク", sent.Subject, StringComparison.Ordinal);
        Assert.Contains("https://alumni.example.com/api/alumni/join?token=", sent.Text, StringComparison.Ordinal);
        Assert.Equal(alumnus.Id.Value, sent.CustomArgs["alumnusId"]);
        sends.Verify(s => s.RecordSentAsync(It.Is<SendRecord>(r => r.RecipientKey == alumnus.Id.Value && r.ProviderMessageId == "provider-1"), It.IsAny<CancellationToken>()));
        Assert.Equal(AlumnusStatus.Invited, alumnus.Status);
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task EnglishAlumnus_GetsEnglishEmailWithEscapedCompanyName()
    {
        var alumnus = Stored(Locale.English);
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent = m).ReturnsAsync("provider-1");

        await Handler().HandleAsync(Message(alumnus), CancellationToken.None);

        Assert.StartsWith("Your invitation", sent!.Subject, StringComparison.Ordinal);
        Assert.Contains("Example &lt;Holdings&gt; &amp; Co", sent.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Holdings>", sent.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlreadyInLedger_SendsNothingAgain()
    {
        var alumnus = Stored();
        sends.Setup(s => s.ClaimAsync(SendWelcomeInvitation.CampaignId, alumnus.Id.Value, It.IsAny<DateTimeOffset>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SendClaimResult(SendClaim.AlreadySent, null));

        Assert.Equal(WelcomeOutcome.AlreadySent, await Handler().HandleAsync(Message(alumnus), CancellationToken.None));
        email.VerifyNoOtherCalls();
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task SuppressedAddress_GetsNothingAndTheRefusalIsRecorded()
    {
        var alumnus = Stored();
        suppressions.Setup(s => s.FindAsync(alumnus.PersonalEmail, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Suppression(alumnus.PersonalEmail, SuppressionReason.Bounce, Due));

        Assert.Equal(WelcomeOutcome.Refused, await Handler().HandleAsync(Message(alumnus), CancellationToken.None));

        email.VerifyNoOtherCalls();
        outreachLog.Verify(l => l.RecordAsync(It.Is<OutreachDecision>(d => !d.Allowed && d.Reason == "suppressed:Bounce" && d.CampaignId == "welcome"), It.IsAny<CancellationToken>()));
        Assert.Equal(AlumnusStatus.Departed, alumnus.Status);
    }

    [Fact]
    public async Task CurrentItemDeliveredBeforeItsTime_IsRetriedNotCompleted()
    {
        var alumnus = Stored(due: time.GetUtcNow().AddSeconds(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Handler().HandleAsync(Message(alumnus), CancellationToken.None));

        email.VerifyNoOtherCalls();
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SupersededItem_SendsNothingAndMakesSureTheCurrentOneIsScheduled()
    {
        var alumnus = Stored(due: Due.AddDays(30));

        Assert.Equal(WelcomeOutcome.NotDue, await Handler().HandleAsync(Message(alumnus, Due), CancellationToken.None));

        email.VerifyNoOtherCalls();
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.DueAt == Due.AddDays(30) && i.SubjectId == alumnus.Id.Value), It.IsAny<CancellationToken>()));
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ConcurrentDeliveryStillSending_IsRetriedLater()
    {
        var alumnus = Stored();
        sends.Setup(s => s.ClaimAsync(SendWelcomeInvitation.CampaignId, alumnus.Id.Value, It.IsAny<DateTimeOffset>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SendClaimResult(SendClaim.InProgress, null));

        await Assert.ThrowsAsync<SendInProgressException>(() => Handler().HandleAsync(Message(alumnus), CancellationToken.None));
        email.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ProviderRefuses_ThrowsSoTheMessageIsRetriedAndNothingIsRecorded()
    {
        var alumnus = Stored();
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new EmailNotAcceptedException(System.Net.HttpStatusCode.BadGateway));

        await Assert.ThrowsAsync<EmailNotAcceptedException>(() => Handler().HandleAsync(Message(alumnus), CancellationToken.None));

        sends.Verify(s => s.RecordSentAsync(It.IsAny<SendRecord>(), It.IsAny<CancellationToken>()), Times.Never);
        sends.Verify(s => s.ReleaseAsync(SendWelcomeInvitation.CampaignId, alumnus.Id.Value, It.IsAny<string?>(), It.IsAny<CancellationToken>()));
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UnknownAlumnus_CompletesWithoutSending()
    {
        var ghost = Builders.Alumnus(Due);

        Assert.Equal(WelcomeOutcome.UnknownAlumnus, await Handler().HandleAsync(Message(ghost), CancellationToken.None));
        email.VerifyNoOtherCalls();
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()));
    }
}
