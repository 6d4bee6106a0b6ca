using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class SendWelcomeInvitationTests
{
    private static readonly DateTimeOffset Due = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly SendingOptions Sending = new() { OutcomeWindow = TimeSpan.FromMinutes(30) };
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<IEmailSender> email = new();
    private readonly Mock<ISuppressionList> suppressions = new();
    private readonly Mock<IOutreachLog> outreachLog = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly FakeTimeProvider time = new(Due.AddMinutes(1));
    private WorkItem? item;

    public SendWelcomeInvitationTests() =>
        consents.Setup(c => c.HistoryAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);

    private SendWelcomeInvitation Handler()
    {
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var gate = new OutreachGate(consents.Object, suppressions.Object, outreachLog.Object, alumni.Object,
            new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach()), Builders.Outreach(), time);
        var footer = new PromotionalFooter(links, Builders.Company(), Builders.Outreach());
        var sender = new OutreachSender(gate, sends.Object, new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            email.Object, footer, Options.Create(Sending), Options.Create(new SendGridEventWebhookOptions()), time, NullLogger<OutreachSender>.Instance);
        var runner = new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance);
        return new(alumni.Object, consents.Object, work.Object, runner, sender, footer, links, new CompanyCalendar(Builders.Company()), Builders.Company(), Builders.Links(),
            time, NullLogger<SendWelcomeInvitation>.Instance);
    }

    /// <summary>The welcome's Sends campaign for the alumnus's welcome round.</summary>
    private static string Welcome(Alumnus alumnus) => SendWelcomeInvitation.CampaignIdFor(alumnus);

    private Alumnus Stored(Locale locale = Locale.Japanese, DateTimeOffset? due = null, AlumnusStatus status = AlumnusStatus.Departed)
    {
        var alumnus = Builders.Alumnus(due ?? Due, status, locale);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        alumni.Setup(a => a.TryUpdateAsync(alumnus, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        item = WorkItem.Restore(WorkKinds.WelcomeInvitation, alumnus.Id.Value, due ?? Due, WorkItemStatus.Pending, time.GetUtcNow().AddMinutes(2), 1, "etag", 1);
        work.Setup(w => w.FindAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>())).ReturnsAsync(item);
        work.Setup(w => w.TryUpdateAsync(item, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        return alumnus;
    }

    private void Claimable(Alumnus alumnus, int priorAttempts = 0)
    {
        var claim = new SendClaim(Welcome(alumnus), alumnus.Id.Value, "claim-1", priorAttempts, priorAttempts == 0 ? null : Due, "v1");
        sends.Setup(s => s.ClaimAsync(Welcome(alumnus), alumnus.Id.Value, It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SendClaimResult(ClaimStatus.Claimed, claim));
        sends.Setup(s => s.BeginAttemptAsync(claim, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(claim with { Version = "v2" });
    }

    private void Claim(Alumnus alumnus, SendClaimResult result) =>
        sends.Setup(s => s.ClaimAsync(Welcome(alumnus), alumnus.Id.Value, It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(result);

    private EmailMessage? Capture(string providerId = "provider-1")
    {
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent = m).ReturnsAsync(providerId);
        return sent;
    }

    private async Task<WorkRunOutcome> RunAsync(WorkMessage message) => (await Handler().HandleAsync(message, CancellationToken.None)).Work;

    private static WorkMessage Message(Alumnus alumnus, DateTimeOffset? due = null) =>
        new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = alumnus.Id.Value, DueAt = due ?? alumnus.WelcomeDueAt }.ToMessage();

    private void VerifyCompleted(Times times) => work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), times);

    /// <summary>
    /// The retention purge (or an erasure) blanked the person's message ids and deleted the record while the provider call
    /// ran: the id the send writes after it would find the address in SendGrid's activity log, so the send reads the row
    /// again and blanks it (ADR 0008). A person still held keeps theirs.
    /// </summary>
    [Theory]
    [InlineData(true, "")]
    [InlineData(false, "provider-1")]
    public async Task RecordGoneWhileTheMailWasOut_TheMessageIdWrittenAfterIsBlanked(bool gone, string expected)
    {
        var alumnus = Stored();
        Claimable(alumnus);
        string? messageId = null;
        sends.Setup(s => s.RecordSentAsync(It.IsAny<SendRecord>(), It.IsAny<CancellationToken>()))
            .Callback((SendRecord r, CancellationToken _) => messageId = r.ProviderMessageId).Returns(Task.CompletedTask);
        sends.Setup(s => s.ForgetMessageIdsAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => messageId = "").Returns(Task.CompletedTask);
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).Callback(() =>
        {
            if (gone)
            {
                alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);
            }
        }).ReturnsAsync("provider-1");

        await RunAsync(Message(alumnus));

        Assert.Equal(expected, messageId);
    }

    [Fact]
    public async Task DueAndNotSent_SendsWithItsSendIdRecordsMarksInvitedAndCompletes()
    {
        var alumnus = Stored();
        Claimable(alumnus);
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent = m).ReturnsAsync("provider-1");

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));

        Assert.Equal("hanako@example.net", sent!.To.Value);
        Assert.Contains("アルムナイネットワーク", sent.Subject, StringComparison.Ordinal);
        Assert.Contains("https://alumni.example.com/api/alumni/join?token=", sent.Text, StringComparison.Ordinal);
        Assert.Equal(alumnus.Id.Value, sent.CustomArgs["alumnusId"]);
        Assert.Equal($"{Welcome(alumnus)}/{alumnus.Id.Value}/1", sent.CustomArgs[SendId.CustomArg]);
        sends.Verify(s => s.BeginAttemptAsync(It.IsAny<SendClaim>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()));
        sends.Verify(s => s.RecordSentAsync(It.Is<SendRecord>(r => r.RecipientKey == alumnus.Id.Value && r.ProviderMessageId == "provider-1"), It.IsAny<CancellationToken>()));
        Assert.Equal(AlumnusStatus.Invited, alumnus.Status);
        VerifyCompleted(Times.Once());
    }

    [Theory]
    [InlineData(Locale.Japanese, "配信停止（受信拒否）", "住所: ")]
    [InlineData(Locale.English, "Unsubscribe (refuse further emails)", "Address: ")]
    public async Task Invitation_CarriesARefusalLinkForEveryEmailAndOneClickUnsubscribeHeaders(Locale locale, string refusal, string address)
    {
        var alumnus = Stored(locale);
        Claimable(alumnus);
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent = m).ReturnsAsync("provider-1");

        await Handler().HandleAsync(Message(alumnus), CancellationToken.None);

        Assert.Matches("^<https://alumni.example.com/api/alumni/unsubscribe\\?token=[^&>]+>$", sent!.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", sent.Headers["List-Unsubscribe-Post"]);
        var link = sent.Headers["List-Unsubscribe"].Trim('<', '>');
        Assert.Contains($"{refusal}: {link}", sent.Text, StringComparison.Ordinal);
        Assert.Contains(refusal, sent.Html, StringComparison.Ordinal);
        Assert.Contains(address, sent.Text, StringComparison.Ordinal);
        Assert.Contains("https://alumni.example.com/api/alumni/join?token=", sent.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Locale.Japanese, "このリンクは 2027年1月1日 まで有効です。")]
    [InlineData(Locale.English, "This link works until 1 January 2027.")]
    public async Task JoinLink_WorksUntilTheEndOfTheDayTheEmailStates_InCompanyTime(Locale locale, string stated)
    {
        // Sent at 09:01 in Tokyo on 2 December: thirty days later is 09:01 on 1 January, and the mail names that day.
        var alumnus = Stored(locale);
        Claimable(alumnus);
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent = m).ReturnsAsync("provider-1");

        await RunAsync(Message(alumnus));

        Assert.Contains(stated, sent!.Text, StringComparison.Ordinal);
        Assert.Contains(stated, sent.Html, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(sent.Text, @"api/alumni/join\?token=([^\s&]+)").Groups[1].Value);
        LinkTokenStatus CheckedAt(string instant) => new LinkTokenService(Builders.Links(), new FakeTimeProvider(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)))
            .Check(token, LinkPurpose.Join).Status;
        Assert.Equal(LinkTokenStatus.Valid, CheckedAt("2027-01-01T23:00:00+09:00"));
        Assert.Equal(LinkTokenStatus.Valid, CheckedAt("2027-01-01T23:59:59+09:00"));
        Assert.Equal(LinkTokenStatus.Expired, CheckedAt("2027-01-02T00:00:00+09:00"));
    }

    [Fact]
    public async Task EnglishAlumnus_GetsEnglishEmailWithEscapedCompanyName()
    {
        var alumnus = Stored(Locale.English);
        Claimable(alumnus);
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent = m).ReturnsAsync("provider-1");

        await RunAsync(Message(alumnus));

        Assert.StartsWith("Your invitation", sent!.Subject, StringComparison.Ordinal);
        Assert.Contains("Example &lt;Holdings&gt; &amp; Co", sent.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Holdings>", sent.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SendState.Sent)]
    [InlineData(SendState.Dropped)]
    [InlineData(SendState.Unconfirmed)]
    public async Task SendInAFinalState_SendsNothingAgainAndCompletes(SendState state)
    {
        var alumnus = Stored();
        Claim(alumnus, new SendClaimResult(ClaimStatus.Final, State: state));

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));
        email.VerifyNoOtherCalls();
        VerifyCompleted(Times.Once());
    }

    [Fact]
    public async Task SuppressedAddress_GetsNothingTheClaimIsReleasedAndTheRefusalIsRecorded()
    {
        var alumnus = Stored();
        Claimable(alumnus);
        suppressions.Setup(s => s.FindAsync(alumnus.PersonalEmail, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Suppression(alumnus.PersonalEmail, SuppressionReason.Bounce, Due));

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));

        email.VerifyNoOtherCalls();
        sends.Verify(s => s.ReleaseAsync(It.IsAny<SendClaim>(), It.IsAny<CancellationToken>()));
        outreachLog.Verify(l => l.RecordAsync(It.Is<OutreachDecision>(d => !d.Allowed && d.Reason == "suppressed:Bounce" && d.CampaignId == Welcome(alumnus)), It.IsAny<CancellationToken>()));
        Assert.Equal(AlumnusStatus.Departed, alumnus.Status);
    }

    [Fact]
    public async Task CurrentItemDeliveredBeforeItsTime_IsHeldUntilDueNotCompleted()
    {
        var due = time.GetUtcNow().AddSeconds(30);
        var alumnus = Stored(due: due);

        Assert.Equal(WorkRunOutcome.Deferred, await RunAsync(Message(alumnus)));

        email.VerifyNoOtherCalls();
        Assert.Equal(due, item!.LeasedUntil);
        Assert.Equal(0, item.Attempts);
        VerifyCompleted(Times.Never());
    }

    [Fact]
    public async Task SupersededItem_SendsNothingAndMakesSureTheCurrentOneIsScheduled()
    {
        var alumnus = Stored(due: Due.AddDays(30));

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus, Due)));

        email.VerifyNoOtherCalls();
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.DueAt == Due.AddDays(30) && i.SubjectId == alumnus.Id.Value), It.IsAny<CancellationToken>()));
        VerifyCompleted(Times.Once());
    }

    [Fact]
    public async Task AnotherDeliveryHoldsTheSend_ItemIsHeldUntilTheClaimEndsWithoutAFailure()
    {
        var alumnus = Stored();
        var until = time.GetUtcNow().AddSeconds(40);
        Claim(alumnus, new SendClaimResult(ClaimStatus.Busy, RetryAt: until));

        Assert.Equal(WorkRunOutcome.Deferred, await RunAsync(Message(alumnus)));

        email.VerifyNoOtherCalls();
        Assert.Equal(until, item!.LeasedUntil);
        Assert.Equal((0, 0), (item.Attempts, item.UnhandledDispatches));
        VerifyCompleted(Times.Never());
    }

    [Fact]
    public async Task ProviderTimesOut_SendStaysUnknownAndTheItemWaitsForTheWindow()
    {
        var alumnus = Stored();
        Claimable(alumnus);
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new EmailOutcomeUnknownException(new TimeoutException()));

        Assert.Equal(WorkRunOutcome.Deferred, await RunAsync(Message(alumnus)));

        sends.Verify(s => s.ReleaseAsync(It.IsAny<SendClaim>(), It.IsAny<CancellationToken>()), Times.Never);
        sends.Verify(s => s.RecordSentAsync(It.IsAny<SendRecord>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(time.GetUtcNow() + Sending.OutcomeWindow, item!.LeasedUntil);
        Assert.Equal(AlumnusStatus.Departed, alumnus.Status);
        VerifyCompleted(Times.Never());
    }

    [Fact]
    public async Task ProviderUnavailable_ReleasesTheClaimAndRetriesWithBackoff()
    {
        var alumnus = Stored();
        Claimable(alumnus);
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new EmailNotAcceptedException(System.Net.HttpStatusCode.ServiceUnavailable));

        Assert.Equal(WorkRunOutcome.RetryScheduled, await RunAsync(Message(alumnus)));

        sends.Verify(s => s.ReleaseAsync(It.IsAny<SendClaim>(), It.IsAny<CancellationToken>()));
        sends.Verify(s => s.RecordSentAsync(It.IsAny<SendRecord>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal((WorkItemStatus.Pending, 1, "provider-refused:503"), (item!.Status, item.Attempts, item.LastError));
        Assert.Equal(time.GetUtcNow() + new DispatchOptions().RetryBaseDelay, item.LeasedUntil);
        VerifyCompleted(Times.Never());
    }

    [Fact]
    public async Task ProviderRejectsTheRequest_MarksTheItemFailedForAnOperator()
    {
        var alumnus = Stored();
        Claimable(alumnus);
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new EmailNotAcceptedException(System.Net.HttpStatusCode.Unauthorized));

        Assert.Equal(WorkRunOutcome.Failed, await RunAsync(Message(alumnus)));

        Assert.Equal((WorkItemStatus.Failed, "provider-refused:401"), (item!.Status, item.LastError));
        VerifyCompleted(Times.Never());
    }

    [Fact]
    public async Task UnknownOutcomeWindowPassed_StillDepartedAndAllowed_IsSentOnceMoreAsAttemptTwo()
    {
        var alumnus = Stored();
        Claimable(alumnus, priorAttempts: 1);
        EmailMessage? sent = null;
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent = m).ReturnsAsync("provider-2");

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));

        Assert.Equal($"{Welcome(alumnus)}/{alumnus.Id.Value}/2", sent!.CustomArgs[SendId.CustomArg]);
        sends.Verify(s => s.ClaimAsync(Welcome(alumnus), alumnus.Id.Value, It.IsAny<DateTimeOffset>(), It.Is<SendPolicy>(p => p.MaxAttempts == 2), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task UnknownOutcomeWindowPassed_PersonJoinedMeanwhile_IsNotSentAgainAndTheSendEnds()
    {
        var alumnus = Stored(status: AlumnusStatus.Joined);
        Claimable(alumnus, priorAttempts: 1);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));

        email.VerifyNoOtherCalls();
        sends.Verify(s => s.GiveUpAsync(It.IsAny<SendClaim>(), "no-longer-wanted", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()));
        sends.Verify(s => s.ReleaseAsync(It.IsAny<SendClaim>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private void Refused(Alumnus alumnus, IEnumerable<ConsentPurpose> purposes) =>
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
            [.. purposes.Select(p => new ConsentRecord(alumnus.Id, p, false, Due.AddMinutes(-30), ConsentMethod.Link, ConsentWording.Unsubscribe))]);

    [Fact]
    public async Task UnknownOutcomeWindowPassed_EveryEmailRefusedMeanwhile_IsNotSentAgainAndTheItemCompletes()
    {
        // The first attempt arrived after all and its one-click unsubscribe was pressed: the footer promised no further email.
        var alumnus = Stored();
        Claimable(alumnus, priorAttempts: 1);
        Refused(alumnus, ConsentPurposes.Email);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));

        email.VerifyNoOtherCalls();
        sends.Verify(s => s.GiveUpAsync(It.IsAny<SendClaim>(), "no-longer-wanted", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()));
        Assert.Equal(AlumnusStatus.Departed, alumnus.Status);
        VerifyCompleted(Times.Once());
    }

    [Fact]
    public async Task EveryEmailRefusedBeforeTheFirstSend_SendsNothingAndReleasesTheClaim()
    {
        var alumnus = Stored();
        Claimable(alumnus);
        Refused(alumnus, ConsentPurposes.Email);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));

        email.VerifyNoOtherCalls();
        sends.Verify(s => s.ReleaseAsync(It.IsAny<SendClaim>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task OneCategoryRefused_IsNotARefusalOfEveryEmail_AndTheWelcomeIsSentOnceMore()
    {
        var alumnus = Stored();
        Claimable(alumnus, priorAttempts: 1);
        Refused(alumnus, [ConsentPurpose.Newsletter]);
        Capture("provider-2");

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));

        email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(AlumnusStatus.Invited, alumnus.Status);
    }

    [Fact]
    public async Task UnknownOutcomeWindowPassed_AddressSuppressedMeanwhile_IsNotSentAgain()
    {
        var alumnus = Stored();
        Claimable(alumnus, priorAttempts: 1);
        suppressions.Setup(s => s.FindAsync(alumnus.PersonalEmail, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Suppression(alumnus.PersonalEmail, SuppressionReason.SpamReport, Due));

        await RunAsync(Message(alumnus));

        email.VerifyNoOtherCalls();
        sends.Verify(s => s.GiveUpAsync(It.IsAny<SendClaim>(), "suppressed:SpamReport", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ClaimLostBeforeTheProviderCall_SendsNothing()
    {
        var alumnus = Stored();
        Claimable(alumnus);
        sends.Setup(s => s.BeginAttemptAsync(It.IsAny<SendClaim>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync((SendClaim?)null);

        Assert.Equal(WorkRunOutcome.Deferred, await RunAsync(Message(alumnus)));
        email.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task StorageUnavailable_IsRetriedWithGrowingBackoffAndNeverMarkedFailed()
    {
        var alumnus = Stored();
        sends.Setup(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "unavailable"));

        for (var run = 1; run <= 12; run++)
        {
            Assert.Equal(WorkRunOutcome.RetryScheduled, await RunAsync(Message(alumnus)));
        }

        Assert.Equal((WorkItemStatus.Pending, 12), (item!.Status, item.Attempts));
        Assert.Equal(time.GetUtcNow() + new DispatchOptions().RetryMaxDelay, item.LeasedUntil);
    }

    [Fact]
    public async Task UnexpectedError_IsRetriedThenMarkedFailedAfterMaxAttempts()
    {
        var alumnus = Stored();
        sends.Setup(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("defect"));

        var outcomes = new List<WorkRunOutcome>();
        for (var run = 1; run <= new DispatchOptions().MaxAttempts; run++)
        {
            outcomes.Add(await RunAsync(Message(alumnus)));
        }

        Assert.Equal(WorkRunOutcome.Failed, outcomes[^1]);
        Assert.All(outcomes[..^1], o => Assert.Equal(WorkRunOutcome.RetryScheduled, o));
        Assert.Equal((WorkItemStatus.Failed, nameof(InvalidOperationException)), (item!.Status, item.LastError));
    }

    [Fact]
    public void EachWelcomeRound_HasItsOwnWelcomeSend_AndTheKeySaysNothingOfTheAddress()
    {
        var alumnus = Builders.Alumnus(Due);
        Assert.Equal("welcome", Welcome(alumnus));

        alumnus.ApplyRepeatedDeparture(Builders.Notice() with { PersonalEmail = EmailAddress.Parse("Hanako.Yamada@Example.net") }, Due);
        var second = Welcome(alumnus);
        alumnus.ApplyRepeatedDeparture(Builders.Notice() with { PersonalEmail = EmailAddress.Parse("hanako.yamada@example.net") }, Due);

        Assert.Equal("welcome-r2", second);
        Assert.Equal(second, Welcome(alumnus));
    }

    [Fact]
    public async Task AddressCorrectedWhileTheWelcomeWasSent_IsNotMarkedInvitedAndTheSameItemSendsToTheNewAddress()
    {
        // HR's correction lands while the welcome goes to the old address: the record is still Departed, so the
        // correction moves nothing and adds no work item (its key is this in-flight one's).
        var alumnus = Stored();
        Claimable(alumnus);
        var sent = new List<EmailMessage>();
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent.Add(m)).ReturnsAsync("provider-1");
        var corrected = Reread(alumnus, EmailAddress.Parse("hanako.yamada@example.net"));
        alumni.Setup(a => a.TryUpdateAsync(alumnus, It.IsAny<CancellationToken>())).ReturnsAsync(false);
        // Read by the item, then after the send (its message id's check against erasure and purge), then on the lost write.
        alumni.SetupSequence(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus).ReturnsAsync(corrected).ReturnsAsync(corrected);

        Assert.Equal(WorkRunOutcome.Deferred, await RunAsync(Message(alumnus)));

        alumni.Verify(a => a.TryUpdateAsync(It.Is<Alumnus>(x => x.Status == AlumnusStatus.Invited && x.PersonalEmail == corrected.PersonalEmail), It.IsAny<CancellationToken>()), Times.Never);
        VerifyCompleted(Times.Never());
        Assert.Equal(WorkItemStatus.Pending, item!.Status);

        // The same item, run again, reaches the new address under its own Sends row and only then completes.
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(corrected);
        alumni.Setup(a => a.TryUpdateAsync(corrected, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        Claimable(corrected);
        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(alumnus)));

        Assert.Equal(["hanako@example.net", "hanako.yamada@example.net"], sent.Select(m => m.To.Normalized));
        Assert.Equal(AlumnusStatus.Invited, corrected.Status);
        VerifyCompleted(Times.Once());
    }

    /// <summary>The record as HR's address correction leaves it when it lands while the record is still Departed.</summary>
    private Alumnus Reread(Alumnus stored, EmailAddress address)
    {
        var row = Alumnus.FromDeparture(stored.Id, Builders.Notice(), stored.WelcomeDueAt, stored.RecordedAt);
        Assert.Equal((true, false), row.ApplyRepeatedDeparture(Builders.Notice() with { PersonalEmail = address }, stored.WelcomeDueAt, time.GetUtcNow()));
        row.ETag = "after-correction";
        return row;
    }

    [Fact]
    public async Task UnknownAlumnus_CompletesWithoutSending()
    {
        var ghost = Builders.Alumnus(Due);

        Assert.Equal(WorkRunOutcome.Completed, await RunAsync(Message(ghost)));
        email.VerifyNoOtherCalls();
        VerifyCompleted(Times.Once());
    }
}
