using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Outreach;

public sealed class OutreachGateTests
{
    // Last working day 30 November 2026 (Tokyo); the quiet period of 30 days ends 31 December 2026 00:00 JST.
    private static readonly DateTimeOffset AfterQuietPeriod = new(2027, 1, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<ISuppressionList> suppressions = new();
    private readonly Mock<IOutreachLog> log = new();
    private readonly List<OutreachDecision> recorded = [];
    private readonly Alumnus alumnus = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), AlumnusStatus.Joined);
    private FakeTimeProvider time = new(AfterQuietPeriod);

    public OutreachGateTests()
    {
        log.Setup(l => l.RecordAsync(It.IsAny<OutreachDecision>(), It.IsAny<CancellationToken>()))
            .Callback((OutreachDecision d, CancellationToken _) => recorded.Add(d)).Returns(Task.CompletedTask);
        log.Setup(l => l.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private OutreachGate Gate(int max = 4, int quietDays = 30)
    {
        var options = Options.Create(new OutreachOptions { MaxPromotionalEmails = max, CapWindow = TimeSpan.FromDays(30), QuietPeriodDays = quietDays, PostalAddress = "x", EnquiryContact = "y" });
        return new(consents.Object, suppressions.Object, log.Object, new OutreachPolicy(new CompanyCalendar(Builders.Company()), options), options, time);
    }

    private void Granted(params ConsentPurpose[] purposes) =>
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(purposes
            .Select((p, i) => new ConsentRecord(alumnus.Id, p, true, AfterQuietPeriod.AddDays(-20).AddMinutes(i), ConsentMethod.Link, "v1")).ToArray());

    private void Sent(int count, DateTimeOffset at, bool promotional = true, bool allowed = true) =>
        log.Setup(l => l.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(
            Enumerable.Range(0, count).Select(i => new OutreachDecision(alumnus.Id, $"c{i}", ConsentPurpose.Newsletter, promotional, allowed, "consented", at)).ToArray());

    private Task<OutreachDecision> Decide(ConsentPurpose? purpose, string campaign = "newsletter-2027-01") =>
        Gate().DecideAsync(alumnus, campaign, purpose, CancellationToken.None);

    [Fact]
    public async Task ConsentedMemberAfterQuietPeriodUnderCap_IsAllowedAndRecorded()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.True(decision.Allowed);
        Assert.Equal("consented", decision.Reason);
        Assert.Equal(decision, Assert.Single(recorded));
    }

    [Fact]
    public async Task NoConsentForThePurpose_IsRefused()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Events);

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.Equal((false, "no-consent:Newsletter"), (decision.Allowed, decision.Reason));
        Assert.False(Assert.Single(recorded).Allowed);
    }

    [Fact]
    public async Task ReturnedAlumnus_IsRefusedPromotionalMail_ButStillGetsTransactionalMail_AndKeepsTheirConsents()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter, ConsentPurpose.JobOffers);
        Assert.True(alumnus.Return(new DateOnly(2027, 1, 5)));

        var newsletter = await Decide(ConsentPurpose.Newsletter);
        var opening = await Decide(ConsentPurpose.JobOffers, "opening-x");
        var transactional = await Decide(null, "export-link");

        Assert.Equal((false, "returned"), (newsletter.Allowed, newsletter.Reason));
        Assert.Equal((false, "returned"), (opening.Allowed, opening.Reason));
        Assert.True(transactional.Allowed);
        consents.Verify(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WithdrawnConsent_IsRefusedAtOnce()
    {
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync([
            new ConsentRecord(alumnus.Id, ConsentPurpose.NetworkMembership, true, AfterQuietPeriod.AddDays(-20), ConsentMethod.Link, "v1"),
            new ConsentRecord(alumnus.Id, ConsentPurpose.Newsletter, true, AfterQuietPeriod.AddDays(-20), ConsentMethod.Link, "v1"),
            new ConsentRecord(alumnus.Id, ConsentPurpose.Newsletter, false, AfterQuietPeriod.AddSeconds(-1), ConsentMethod.Link, "v1"),
        ]);

        Assert.Equal("no-consent:Newsletter", (await Decide(ConsentPurpose.Newsletter)).Reason);
    }

    [Fact]
    public async Task NotAMember_IsRefusedEvenWithPurposeConsent()
    {
        Granted(ConsentPurpose.Newsletter);

        Assert.Equal("not-a-member", (await Decide(ConsentPurpose.Newsletter)).Reason);
    }

    [Theory]
    [InlineData(SuppressionReason.Bounce)]
    [InlineData(SuppressionReason.SpamReport)]
    [InlineData(SuppressionReason.Unsubscribe)]
    public async Task SuppressedAddress_IsRefusedForPromotionalAndTransactional(SuppressionReason reason)
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        suppressions.Setup(s => s.FindAsync(alumnus.PersonalEmail, It.IsAny<CancellationToken>())).ReturnsAsync(new Suppression(alumnus.PersonalEmail, reason, AfterQuietPeriod));

        Assert.Equal($"suppressed:{reason}", (await Decide(ConsentPurpose.Newsletter)).Reason);
        Assert.Equal($"suppressed:{reason}", (await Decide(null, "welcome")).Reason);
    }

    [Fact]
    public async Task DoNotContactFlag_RefusesEverything()
    {
        alumnus.DoNotContact = true;

        Assert.Equal("do-not-contact", (await Decide(null, "welcome")).Reason);
    }

    [Fact]
    public async Task Transactional_NeedsNoConsentAndIgnoresQuietPeriodAndCap()
    {
        time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        Sent(10, time.GetUtcNow().AddDays(-1));

        var decision = await Decide(null, "welcome");

        Assert.Equal((true, "transactional", false), (decision.Allowed, decision.Reason, decision.Promotional));
    }

    [Theory]
    [InlineData("2026-12-30T14:59:59Z", false)]
    [InlineData("2026-12-30T15:00:00Z", true)]
    public async Task QuietPeriod_EndsThirtyDaysAfterTheLastWorkingDayEnded(string now, bool allowed)
    {
        time = new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? "consented" : "quiet-period", decision.Reason);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public async Task Cap_CountsAllowedPromotionalEmailsAcrossPurposes(int alreadySent, bool allowed)
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Events);
        Sent(alreadySent, AfterQuietPeriod.AddDays(-10));

        var decision = await Decide(ConsentPurpose.Events);

        Assert.Equal(allowed ? "consented" : "cap", decision.Reason);
    }

    [Fact]
    public async Task Cap_IgnoresRefusedAndTransactionalEmailsAndTheSameCampaign()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        log.Setup(l => l.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([
            new OutreachDecision(alumnus.Id, "welcome", null, false, true, "transactional", AfterQuietPeriod.AddDays(-1)),
            new OutreachDecision(alumnus.Id, "c1", ConsentPurpose.Newsletter, true, false, "cap", AfterQuietPeriod.AddDays(-1)),
            new OutreachDecision(alumnus.Id, "c2", ConsentPurpose.Newsletter, true, true, "consented", AfterQuietPeriod.AddDays(-1)),
            new OutreachDecision(alumnus.Id, "c3", ConsentPurpose.Newsletter, true, true, "consented", AfterQuietPeriod.AddDays(-1)),
            new OutreachDecision(alumnus.Id, "c4", ConsentPurpose.Newsletter, true, true, "consented", AfterQuietPeriod.AddDays(-1)),
            new OutreachDecision(alumnus.Id, "newsletter-2027-01", ConsentPurpose.Newsletter, true, true, "consented", AfterQuietPeriod.AddDays(-1)),
        ]);

        Assert.True((await Decide(ConsentPurpose.Newsletter)).Allowed);
    }

    [Fact]
    public async Task Cap_LooksBackOnlyOverItsWindow()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        DateTimeOffset? since = null;
        log.Setup(l => l.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((AlumnusId _, DateTimeOffset s, CancellationToken _) => since = s).ReturnsAsync([]);

        await Decide(ConsentPurpose.Newsletter);

        Assert.Equal(AfterQuietPeriod.AddDays(-30), since);
    }
}
