using System.Collections.Concurrent;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Openings;

/// <summary>A withdrawal goes only to a recruiter who may have heard of the interest, and never carries the personal address.</summary>
public sealed class SendInterestNoticeTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IEmailSender> email = new();
    private readonly ConcurrentBag<EmailMessage> sent = [];
    private readonly List<OpeningInterest> saved = [];
    private readonly HashSet<string> reached = [];
    private readonly Opening opening = OpeningBuilders.Opening();
    private readonly Alumnus alumnus = OpeningBuilders.Member();
    private readonly OpeningInterest interest;
    private CompanyMailDomains mailDomains = new(["example.com"]);

    public SendInterestNoticeTests()
    {
        interest = OpeningInterest.New(opening.Id, alumnus.Id);
        interest.Express("Oops", Now.AddMinutes(-12));
        interest.Withdraw(Now - SendInterestNotice.InFlightNoticeBound);
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(opening);
        openings.Setup(o => o.GetInterestAsync(opening.Id, alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => interest);
        openings.Setup(o => o.TrySaveInterestAsync(It.IsAny<OpeningInterest>(), It.IsAny<CancellationToken>()))
            .Callback((OpeningInterest i, CancellationToken _) => saved.Add(i)).ReturnsAsync(true);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        sends.Setup(s => s.MayHaveReachedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string campaign, string _, CancellationToken _) => reached.Contains(campaign));
        sends.Setup(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string campaign, string recipient, DateTimeOffset _, SendPolicy _, CancellationToken _) =>
                new SendClaimResult(ClaimStatus.Claimed, new SendClaim(campaign, recipient, "claim", 0, null, "v1")));
        sends.Setup(s => s.BeginAttemptAsync(It.IsAny<SendClaim>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SendClaim claim, DateTimeOffset _, CancellationToken _) => claim with { Version = "v2" });
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent.Add(m)).ReturnsAsync("provider-1");
    }

    private Task<(InterestNoticeOutcome? Notice, WorkRunOutcome Work)> RunAsync()
    {
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var consents = Mock.Of<IConsentLedger>(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>()) == Task.FromResult<IReadOnlyList<ConsentRecord>>(Array.Empty<ConsentRecord>()));
        var gate = new OutreachGate(consents, Mock.Of<ISuppressionList>(), Mock.Of<IOutreachLog>(), alumni.Object,
            new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach()), Builders.Outreach(), time);
        var sender = new OutreachSender(gate, sends.Object, new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            email.Object, new PromotionalFooter(links, Builders.Company(), Builders.Outreach()),
            Options.Create(new SendingOptions()), Options.Create(new SendGridEventWebhookOptions()), time, NullLogger<OutreachSender>.Instance);
        var runner = new WorkItemRunner(Mock.Of<IWorkItemStore>(), Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance);
        var pseudonyms = new Pseudonyms(Options.Create(new PrivacyOptions { PseudonymKey = Convert.ToBase64String(new byte[32]) }));
        var handler = new SendInterestNotice(openings.Object, alumni.Object, Mock.Of<IProfileStore>(), consents, sends.Object, sender, pseudonyms, runner,
            Builders.Company(), Builders.Outreach(), mailDomains, time, NullLogger<SendInterestNotice>.Instance);
        return handler.HandleAsync(new WorkMessage(WorkKinds.OpeningInterest, OpeningWork.PersonSubject(opening.Id, alumnus.Id), "p", "r", Now), CancellationToken.None);
    }

    private string CampaignOf(int version) => $"{opening.CampaignId}-interest-{alumnus.Id}-v{version}";

    [Fact]
    public async Task WithdrawnBeforeAnyNoticeOfInterestCouldGo_SendsNothing_AndMarksItTold()
    {
        var (notice, _) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.NothingToTell, notice);
        Assert.Empty(sent);
        Assert.False(Assert.Single(saved).NoticePending);
    }

    [Fact]
    public async Task WithdrawnWhileANoticeOfInterestMayStillBeInFlight_WaitsForItToSettle_SendingAndMarkingNothing()
    {
        var withdrawn = Now.AddMinutes(-1);
        interest.Express("Oops again", withdrawn.AddSeconds(-5));
        interest.Withdraw(withdrawn);

        var (notice, work) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.Deferred, notice);
        Assert.Equal(WorkRunOutcome.Deferred, work);
        Assert.Empty(sent);
        Assert.Empty(saved);

        time.Advance(SendInterestNotice.InFlightNoticeBound);
        Assert.Equal(InterestNoticeOutcome.NothingToTell, (await RunAsync()).Notice);
        Assert.Empty(sent);
    }

    [Fact]
    public async Task WithdrawnAfterTheNoticeOfInterestMayHaveGone_TellsTheRecruiter_WithoutThePersonalAddress()
    {
        reached.Add(CampaignOf(1));

        var (notice, _) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.Sent, notice);
        var mail = Assert.Single(sent);
        Assert.Contains("Interest withdrawn", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(alumnus.PersonalEmail.Value, mail.Html + mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Oops", mail.Html + mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithdrawnAfterTheInterestWasTold_TellsTheRecruiter()
    {
        interest.MarkNoticed(1);

        var (notice, _) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.Sent, notice);
        Assert.Single(sent);
        sends.Verify(s => s.MayHaveReachedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>Interest expressed again after the withdrawal: a notice with the name, address and note is due.</summary>
    private void ExpressedAgain() => interest.Express("Call me", Now.AddMinutes(-1));

    [Fact]
    public async Task ErasureBegun_SendsNothing_AndMarksNothingTold()
    {
        ExpressedAgain();
        alumnus.ErasureStartedAt = Now.AddMinutes(-5);

        var (notice, work) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.Gone, notice);
        Assert.Equal(WorkRunOutcome.Completed, work);
        Assert.Empty(sent);
        Assert.Empty(saved);
        Assert.True(interest.NoticePending);
    }

    [Fact]
    public async Task RecruiterMailboxOutsideTheCompanyDomains_SendsNothing_AndKeepsTheNoticePendingForALaterRecheck()
    {
        ExpressedAgain();
        mailDomains = new CompanyMailDomains(["example.co.jp"]);

        var (notice, work) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.MailboxOutsideCompanyDomains, notice);
        Assert.Equal(WorkRunOutcome.Deferred, work);
        Assert.Empty(sent);
        Assert.Empty(saved);
        Assert.True(interest.NoticePending);
        Assert.Equal("mailbox-outside-company-domains", SendInterestNotice.Name(InterestNoticeOutcome.MailboxOutsideCompanyDomains));
        sends.Verify(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task HeldBackForAMailboxOutsideTheCompanyDomains_IsSentOnceTheMailboxIsFixed_ToTheNewMailboxOnly()
    {
        ExpressedAgain();
        var old = opening.Details;
        opening.Details = old with { RecruiterMailbox = EmailAddress.Parse("someone@gmail.com") };
        Assert.Equal(InterestNoticeOutcome.MailboxOutsideCompanyDomains, (await RunAsync()).Notice);

        opening.Details = old;
        time.Advance(SendInterestNotice.MailboxRecheck);
        var (notice, work) = await RunAsync();
        var again = await RunAsync();

        Assert.Equal((InterestNoticeOutcome.Sent, WorkRunOutcome.Completed), (notice, work));
        Assert.Equal(InterestNoticeOutcome.NothingPending, again.Notice);
        var mail = Assert.Single(sent);
        Assert.Equal(old.RecruiterMailbox, mail.To);
        Assert.Contains(alumnus.PersonalEmail.Value, mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.com", InterestNoticeOutcome.OpeningClosed)]
    [InlineData("example.co.jp", InterestNoticeOutcome.MailboxOutsideCompanyDomains)]
    public async Task InterestInAClosedOpening_SendsNothing_AndSettlesTheChangeWithoutCountingItTold(string companyDomain, InterestNoticeOutcome expected)
    {
        ExpressedAgain();
        mailDomains = new CompanyMailDomains([companyDomain]);
        opening.Details = opening.Details with { Status = OpeningStatus.Closed };

        var (notice, work) = await RunAsync();

        Assert.Equal((expected, WorkRunOutcome.Completed), (notice, work));
        Assert.Empty(sent);
        var settled = Assert.Single(saved);
        Assert.False(settled.NoticePending);
        Assert.Equal(0, settled.ToldVersion);
    }

    [Fact]
    public async Task WithdrawnAfterTheInterestWasTold_InAClosedOpening_StillTellsTheRecruiter()
    {
        interest.MarkNoticed(1);
        opening.Details = opening.Details with { Status = OpeningStatus.Closed };

        var (notice, _) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.Sent, notice);
        Assert.Contains("Interest withdrawn", Assert.Single(sent).Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InterestSkippedForAMailboxOutsideTheCompanyDomains_ThenWithdrawnAfterTheMailboxIsFixed_SendsNothing()
    {
        ExpressedAgain();
        mailDomains = new CompanyMailDomains(["example.co.jp"]);
        Assert.Equal(InterestNoticeOutcome.MailboxOutsideCompanyDomains, (await RunAsync()).Notice);

        mailDomains = new CompanyMailDomains(["example.com"]);
        interest.Withdraw(time.GetUtcNow());
        time.Advance(SendInterestNotice.InFlightNoticeBound);

        var (notice, _) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.NothingToTell, notice);
        Assert.Empty(sent);
        Assert.False(interest.NoticePending);
    }

    [Fact]
    public async Task RecruiterMailboxAtTheCompanyDomains_IsToldOfTheInterest()
    {
        ExpressedAgain();

        var (notice, _) = await RunAsync();

        Assert.Equal(InterestNoticeOutcome.Sent, notice);
        Assert.Contains(alumnus.PersonalEmail.Value, Assert.Single(sent).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void InterestMail_ShowsTheReturnInterestInWords_InBothLanguages()
    {
        ExpressedAgain();

        var mail = InterestMail.Compose(opening, alumnus, interest, [(ProfileField.OpenToReturning, "FullTime")], opening.Details.RecruiterMailbox, "Example", "alumni@example.com");

        Assert.DoesNotContain("FullTime", mail.Html + mail.Text, StringComparison.Ordinal);
        Assert.Contains("復帰の意向: 正社員として復帰を検討したい", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Would return: Yes, full-time", mail.Text, StringComparison.Ordinal);
    }
}
