using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
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
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IWorkItemStore> work = new();

    /// <summary>Each contacts write as the store got it: the row's ETag and the contacts at that moment.</summary>
    private readonly List<(string? ETag, IReadOnlyList<OutreachContact> Contacts)> claims = [];
    private readonly List<OutreachDecision> recorded = [];
    private readonly Alumnus alumnus = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), AlumnusStatus.Joined);
    private FakeTimeProvider time = new(AfterQuietPeriod);

    public OutreachGateTests()
    {
        log.Setup(l => l.RecordAsync(It.IsAny<OutreachDecision>(), It.IsAny<CancellationToken>()))
            .Callback((OutreachDecision d, CancellationToken _) => recorded.Add(d)).Returns(Task.CompletedTask);
        log.Setup(l => l.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        ClaimsSucceed(true);

        // The row read again after a decision: still held, no erasure begun, unless a test says otherwise.
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
    }

    private void ClaimsSucceed(params bool[] answers)
    {
        var next = 0;
        alumni.Setup(a => a.TryWriteContactsAsync(It.IsAny<IReadOnlyList<IRecipient>>(), It.IsAny<CancellationToken>()))
            .Callback((IReadOnlyList<IRecipient> rows, CancellationToken _) => claims.Add((Assert.Single(rows).ETag, rows[0].Contacts)))
            .ReturnsAsync(() => answers[Math.Min(next++, answers.Length - 1)]);
    }

    /// <summary>The alumnus's row as another writer left it: a new ETag and these contacts.</summary>
    private Alumnus Fresh(string etag, params OutreachContact[] contacts)
    {
        var fresh = Alumnus.FromDeparture(alumnus.Id, Builders.Notice(), alumnus.WelcomeDueAt, alumnus.WelcomeDueAt.AddDays(-3));
        (fresh.Status, fresh.ETag, fresh.Contacts) = (AlumnusStatus.Joined, etag, contacts);
        return fresh;
    }

    private void Reread(string etag, params OutreachContact[] contacts) =>
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Fresh(etag, contacts));

    private static OutreachContact[] Campaigns(int count, DateTimeOffset at) =>
        Enumerable.Range(0, count).Select(i => new OutreachContact($"campaign-{i}", 1, at)).ToArray();

    private OutreachGate Gate(int max = 4, int quietDays = 30)
    {
        var options = Options.Create(new OutreachOptions { MaxPromotionalEmails = max, CapWindow = TimeSpan.FromDays(30), QuietPeriodDays = quietDays, PostalAddress = "x", EnquiryContact = "y" });
        return new(consents.Object, suppressions.Object, log.Object, alumni.Object,
            new ErasureRecheck(alumni.Object, work.Object, time, NullLogger<ErasureRecheck>.Instance), new OutreachPolicy(new CompanyCalendar(Builders.Company()), options), options, time);
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
    public async Task WithdrawalOnTheRowThatNeverReachedTheLedger_IsRefused()
    {
        // A withdrawal writes the row's copy first; the ledger's append failed after it, so only the row refuses.
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter, ConsentPurpose.Events);
        alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Events };

        var newsletter = await Decide(ConsentPurpose.Newsletter);
        var events = await Decide(ConsentPurpose.Events, "event-x");

        Assert.Equal((false, "no-consent:Newsletter"), (newsletter.Allowed, newsletter.Reason));
        Assert.True(events.Allowed);
    }

    [Fact]
    public async Task PurposeOnTheRowButNotInTheLedger_IsRefused()
    {
        Granted(ConsentPurpose.NetworkMembership);
        alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter };

        Assert.Equal("no-consent:Newsletter", (await Decide(ConsentPurpose.Newsletter)).Reason);
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
    [InlineData(AlumnusStatus.Departed)]
    [InlineData(AlumnusStatus.Invited)]
    public async Task MembershipConsentWithoutTheJoinedStatus_AJoinThatStoppedBetweenItsWrites_IsNotAMember(AlumnusStatus status)
    {
        // A join records its consents before the status; campaign batches go by the status, so one-to-one sends do too.
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        alumnus.Status = status;

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.Equal((false, "not-a-member"), (decision.Allowed, decision.Reason));
        Assert.Empty(claims);
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

    [Fact]
    public async Task AllowedPromotional_ClaimsItsPlaceOnTheRow_WithTheRowsETag_AsAOneToOneContact()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        var earlier = new OutreachContact("event-x", 2, AfterQuietPeriod.AddDays(-3));
        alumnus.Contacts = [earlier];

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.True(decision.Allowed);
        var (etag, contacts) = Assert.Single(claims);
        Assert.Equal("etag-1", etag);
        Assert.Equal([new OutreachContact("newsletter-2027-01", OutreachContact.OneToOne, AfterQuietPeriod), earlier], contacts);
    }

    [Fact]
    public async Task ClaimLosesToAnotherWriter_ReReadsTheRow_AndRefusesWhenTheCapIsNowReached()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        alumnus.Contacts = Campaigns(3, AfterQuietPeriod.AddDays(-5));
        ClaimsSucceed(false, true);
        Reread("etag-2", Campaigns(4, AfterQuietPeriod.AddDays(-5)));

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.Equal((false, "cap"), (decision.Allowed, decision.Reason));
        Assert.Equal(decision, Assert.Single(recorded));
        Assert.Single(claims);
    }

    [Fact]
    public async Task ClaimLosesToAnotherWriter_ReReadsTheRow_AndClaimsWithItsNewETagWhileAPlaceIsLeft()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        ClaimsSucceed(false, true);
        Reread("etag-2", Campaigns(3, AfterQuietPeriod.AddDays(-5)));

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.True(decision.Allowed);
        Assert.Equal(["etag-1", "etag-2"], claims.Select(c => c.ETag));
        Assert.Equal(4, claims[1].Contacts.Count);
        Assert.True(Assert.Single(recorded).Allowed);
    }

    [Fact]
    public async Task RowKeepsChangingUnderTheClaim_ThrowsAConflictForTheRetry_AndRecordsNothing()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        ClaimsSucceed(false);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => Fresh("etag-n"));

        var conflict = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Decide(ConsentPurpose.Newsletter));

        Assert.Equal(412, conflict.Status);
        Assert.Equal(5, claims.Count);
        Assert.Empty(recorded);
    }

    [Fact]
    public async Task AlumnusErasedDuringTheClaim_IsRefused_AndNothingIsRecordedAboutThem()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        ClaimsSucceed(false);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.Equal((false, "erased"), (decision.Allowed, decision.Reason));
        Assert.Empty(recorded);
    }

    [Fact]
    public async Task ErasureBegunOnTheRowReReadAfterALostClaim_AnswersErased_AndRecordsNothing()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        ClaimsSucceed(false);
        var erasing = Fresh("e2");
        erasing.ErasureStartedAt = AfterQuietPeriod.AddMinutes(-1);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(erasing);

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.Equal((false, "erased"), (decision.Allowed, decision.Reason));
        Assert.Empty(recorded);
        Assert.Single(claims);
        log.Verify(l => l.RemoveAsync(It.IsAny<IEnumerable<OutreachDecision>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ARefusalDecidedFromARowReadBeforeTheErasureBegan_IsTakenBack()
    {
        // The row the caller read had no erasure begun; by the time the refusal is logged the erasure has set its flag
        // and may already have removed the person's decisions.
        var erasing = Fresh("e2");
        erasing.ErasureStartedAt = AfterQuietPeriod.AddMinutes(-1);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(erasing);
        Granted(ConsentPurpose.NetworkMembership);

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.False(decision.Allowed);
        log.Verify(l => l.RemoveAsync(It.Is<IEnumerable<OutreachDecision>>(d => d.Single() == decision), It.IsAny<CancellationToken>()), Times.Once);
        work.Verify(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ARefusalForAPersonStillHeld_Stands()
    {
        Granted(ConsentPurpose.NetworkMembership);

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.False(decision.Allowed);
        Assert.Equal(decision, Assert.Single(recorded));
        log.Verify(l => l.RemoveAsync(It.IsAny<IEnumerable<OutreachDecision>>(), It.IsAny<CancellationToken>()), Times.Never);
        work.Verify(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CampaignAlreadyInTheContacts_ARedelivery_IsAllowedWithoutClaimingTwice()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        alumnus.Contacts = [new OutreachContact("newsletter-2027-01", OutreachContact.OneToOne, AfterQuietPeriod.AddMinutes(-5)), .. Campaigns(3, AfterQuietPeriod.AddDays(-5))];

        var decision = await Decide(ConsentPurpose.Newsletter);

        Assert.True(decision.Allowed);
        Assert.Empty(claims);
    }

    [Fact]
    public async Task TransactionalAndRefusedMail_ClaimNothing()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Events);

        Assert.True((await Decide(null, "welcome")).Allowed);
        Assert.False((await Decide(ConsentPurpose.Newsletter)).Allowed);

        // The row is read again once, for the refusal's erasure recheck, never to claim.
        Assert.Empty(claims);
        alumni.Verify(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Cap_CountsOneToOneContactsOnTheRow_AndASendInBothTheRowAndTheLogOnce()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter);
        alumnus.Contacts = [new OutreachContact("collaboration-r1", OutreachContact.OneToOne, AfterQuietPeriod.AddDays(-2)), .. Campaigns(2, AfterQuietPeriod.AddDays(-5))];
        log.Setup(l => l.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([
            new OutreachDecision(alumnus.Id, "collaboration-r1", ConsentPurpose.Collaboration, true, true, "consented", AfterQuietPeriod.AddDays(-2)),
        ]);

        Assert.Equal("cap", (await Gate(max: 3).DecideAsync(alumnus, "newsletter-2027-01", ConsentPurpose.Newsletter, CancellationToken.None)).Reason);
        Assert.True((await Gate(max: 4).DecideAsync(alumnus, "newsletter-2027-01", ConsentPurpose.Newsletter, CancellationToken.None)).Allowed);
    }
}
