using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Privacy;

/// <summary>Erasure's order and what it keeps, with the stores mocked and the alumnus row held in memory.</summary>
public sealed class EraseMyDataTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<IOutreachLog> outreach = new();
    private readonly Mock<ICampaignStore> campaigns = new();
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly List<ConsentRecord> removed = [];
    private readonly List<OutreachDecision> recorded = [];
    private readonly Mock<IRehireStore> rehires = new();
    private readonly Mock<IEventStore> events = new();
    private readonly LinkTokenService tokens;
    private Alumnus row;

    public EraseMyDataTests()
    {
        tokens = new LinkTokenService(Builders.Links(), time);
        row = Builders.Alumnus(Now.AddDays(-100), AlumnusStatus.Joined);
        row.LastWorkingDay = new DateOnly(2026, 6, 30);
        row.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter };
        // A newsletter campaign batch reached them five days ago: its contact on their row, as SendCampaignBatch leaves it.
        row.Contacts = [new OutreachContact("newsletter-2027-02", 1, Now.AddDays(-5))];
        campaigns.Setup(c => c.GetAsync("newsletter-2027-02", It.IsAny<CancellationToken>())).ReturnsAsync(
            Campaign.Start(new CampaignRequest("newsletter-2027-02", CampaignKind.Newsletter, "2027-02", AudienceSegment.Everyone, "timer"), Now.AddDays(-5)));

        alumni.Setup(a => a.GetAsync(row.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => Copy(row));
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus changed, CancellationToken _) =>
        {
            row = Copy(changed);
            return true;
        });
        consents.Setup(c => c.HistoryAsync(row.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new(row.Id, ConsentPurpose.NetworkMembership, true, Now.AddDays(-90), ConsentMethod.Link, "join"),
            new(row.Id, ConsentPurpose.Newsletter, true, Now.AddDays(-90), ConsentMethod.Link, "join"),
        ]);
        consents.Setup(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>()))
            .Callback((IEnumerable<ConsentRecord> r, CancellationToken _) => removed.AddRange(r)).ReturnsAsync(0);
        // Batches log only refusals: nothing allowed is in the decision log.
        outreach.Setup(o => o.SinceAsync(row.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        outreach.Setup(o => o.RecordAsync(It.IsAny<OutreachDecision>(), It.IsAny<CancellationToken>()))
            .Callback((OutreachDecision d, CancellationToken _) => recorded.Add(d)).Returns(Task.CompletedTask);
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        rehires.Setup(r => r.OfAlumnusAsync(row.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        events.Setup(e => e.RsvpsOfAsync(row.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private static Alumnus Copy(Alumnus a)
    {
        var copy = Alumnus.FromDeparture(a.Id, Builders.Notice(lastWorkingDay: a.LastWorkingDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), a.WelcomeDueAt, a.RecordedAt);
        (copy.Status, copy.DoNotContact, copy.Consented, copy.Contacts, copy.ETag) = (a.Status, a.DoNotContact, a.Consented, a.Contacts, a.ETag);
        copy.ErasureStartedAt = a.ErasureStartedAt;
        return copy;
    }

    private EraseMyData Handler()
    {
        var openingStore = new Mock<IOpeningStore>();
        openingStore.Setup(o => o.InterestsOfAsync(row.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        openingStore.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        return new EraseMyData(
            new SignedLinkAccess(tokens, alumni.Object), alumni.Object, Mock.Of<IProfileStore>(), consents.Object, outreach.Object, campaigns.Object, Mock.Of<ISendLedger>(),
            Mock.Of<IEngagementCounters>(),
            new EventRegistrations(events.Object, Mock.Of<IWorkItemStore>(), time),
            new SurveyRecords(surveys.Object, Mock.Of<ISurveyResponseStore>(), Mock.Of<ISendLedger>()),
            new OpeningsPersonalData(openingStore.Object, rehires.Object),
            new CollaborationData(Mock.Of<ICollaborationStore>(), Mock.Of<IConflictAssessments>(), Mock.Of<IApprovalStore>()),
            Mock.Of<IAuditLog>(), time, NullLogger<EraseMyData>.Instance);
    }

    private Task<EraseResult> EraseAsync() => Handler().EraseAsync(tokens.Issue(LinkPurpose.Erase, row), CancellationToken.None);

    [Fact]
    public async Task ErasedDaysAfterANewsletterBatch_KeepsTheNewsletterConsent_DatedForThePurgeByTheBatchSend()
    {
        var result = await EraseAsync();

        Assert.Equal(EraseStatus.Erased, result.Status);
        // The proof of consent for the newsletter mailed five days ago must outlive that mail by a month.
        Assert.DoesNotContain(removed, r => r.Purpose == ConsentPurpose.Newsletter);
        Assert.Contains(removed, r => r.Purpose == ConsentPurpose.NetworkMembership);
        var dated = Assert.Single(recorded);
        Assert.Equal((row.Id, "newsletter-2027-02", (ConsentPurpose?)ConsentPurpose.Newsletter, true, Now.AddDays(-5)),
            (dated.AlumnusId, dated.CampaignId, dated.Purpose, dated.Allowed, dated.At));
        outreach.Verify(o => o.RemoveAsync(It.Is<IEnumerable<OutreachDecision>>(d => d.Any(x => x.CampaignId == "newsletter-2027-02")), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RsvpsAreRemovedAgainAfterTheFlag_SoAnAnswerLandingBetweenTheFirstRemovalAndTheFlagIsRemoved()
    {
        // An answer whose link was checked before the flag, written after the first removal, re-reads the row before the
        // flag and stands: only a removal after the flag finds it.
        var steps = new List<string>();
        events.Setup(e => e.RsvpsOfAsync(row.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("rsvps"))
            .ReturnsAsync(() => steps.Contains("flag") ? new List<Rsvp> { new() { EventId = "event-1", AlumnusId = row.Id, RespondedAt = Now } } : new List<Rsvp>());
        events.Setup(e => e.GetAsync("event-1", It.IsAny<CancellationToken>())).ReturnsAsync((NetworkEvent?)null);
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus changed, CancellationToken _) =>
        {
            steps.Add(changed.ErasureStartedAt is null ? "update" : "flag");
            row = Copy(changed);
            return true;
        });

        var result = await EraseAsync();

        Assert.Equal(EraseStatus.Erased, result.Status);
        Assert.Equal(["rsvps", "flag", "rsvps"], steps);
        events.Verify(e => e.GetRsvpAsync("event-1", row.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AddressCorrectedBetweenTheLinkCheckAndTheWrite_TheOldMailboxErasesNothing()
    {
        // The link went to the old, wrong address; HR's correction lands after the link was checked, so the erasure's
        // write fails on the row's ETag and its retry reads the corrected row.
        var token = tokens.Issue(LinkPurpose.Erase, row);
        var checkedRow = Copy(row);
        var corrected = Copy(row);
        corrected.PersonalEmail = EmailAddress.Parse("hanako.yamada@example.net");
        alumni.SetupSequence(a => a.GetAsync(row.Id, It.IsAny<CancellationToken>())).ReturnsAsync(checkedRow).ReturnsAsync(corrected);
        alumni.Setup(a => a.TryUpdateAsync(checkedRow, It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var result = await Handler().EraseAsync(token, CancellationToken.None);

        Assert.Equal(new EraseResult(EraseStatus.Invalid, null), result);
        Assert.Equal((false, (DateTimeOffset?)null), (corrected.DoNotContact, corrected.ErasureStartedAt));
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter], corrected.Consented!.Order());
        alumni.Verify(a => a.TryUpdateAsync(corrected, It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.EraseAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        consents.Verify(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>()), Times.Never);
        outreach.Verify(o => o.RemoveAsync(It.IsAny<IEnumerable<OutreachDecision>>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(recorded);
    }

    [Fact]
    public async Task BatchSendOlderThanTheRetention_KeepsNothing()
    {
        row.Contacts = [new OutreachContact("newsletter-2027-02", 1, Now.AddDays(-32))];

        await EraseAsync();

        Assert.Contains(removed, r => r.Purpose == ConsentPurpose.Newsletter);
        Assert.Empty(recorded);
    }

    [Fact]
    public async Task FailurePartWay_LeavesThePersonRefusedByTheCampaignRules_AndARetryFinishes()
    {
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new Azure.RequestFailedException(503, "storage busy"));

        await Assert.ThrowsAsync<Azure.RequestFailedException>(EraseAsync);

        alumni.Verify(a => a.EraseAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Contains(removed, r => r.Purpose == ConsentPurpose.NetworkMembership);
        // The record stays, with the ledger that proved membership emptied: the rules a campaign batch applies to the row
        // (its projections, no ledger read) must refuse the person.
        var policy = new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach());
        Assert.Empty(row.Consented!);
        foreach (var purpose in new[] { ConsentPurpose.Newsletter, ConsentPurpose.Events, ConsentPurpose.Surveys, ConsentPurpose.JobOffers })
        {
            Assert.Equal("do-not-contact", policy.Denial(row, row.Suppressed, row.Consented!, purpose, 0, Now));
        }

        Assert.Equal("do-not-contact", policy.Denial(row, row.Suppressed, row.Consented!, null, 0, Now));
        // Marked as being erased in that same one write, so no admin can clear do-not-contact before the retry.
        Assert.Equal(Now, row.ErasureStartedAt);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Once);

        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var retry = await EraseAsync();

        Assert.Equal(EraseStatus.Erased, retry.Status);
        alumni.Verify(a => a.EraseAsync(It.Is<Alumnus>(a => a.Id == row.Id), It.IsAny<CancellationToken>()), Times.Once);
        Assert.DoesNotContain(removed, r => r.Purpose == ConsentPurpose.Newsletter);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ReturnMatchedDuringTheErasure_WhoseLastUnlinkFailsOnce_IsUnlinkedByTheRetry()
    {
        var gone = false;
        alumni.Setup(a => a.GetAsync(row.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => gone ? null : Copy(row));
        alumni.Setup(a => a.EraseAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).Callback(() => gone = true).Returns(Task.CompletedTask);
        var hire = new Rehire { Key = new string('a', 64), HiredOn = new DateOnly(2027, 4, 1), EmployeeKey = "employee-key", ReceivedAt = Now };
        var reads = 0;
        // The matcher writes its match after the erasure's first unlink read the returns, before the tombstone.
        rehires.Setup(r => r.OfAlumnusAsync(row.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ++reads == 1 || hire.AlumnusId is null ? (IReadOnlyList<Rehire>)[] : [Rehire.Restore(hire.Key, hire.HiredOn, hire.EmployeeKey, null, hire.ReceivedAt,
                hire.Outcome, hire.AlumnusId, hire.LastWorkingDay, hire.Touches, hire.DecidedAt, hire.ETag)]);
        hire.Match(row, [], Now);
        var writes = 0;
        rehires.Setup(r => r.TryUpdateAsync(It.IsAny<Rehire>(), It.IsAny<CancellationToken>())).ReturnsAsync((Rehire r, CancellationToken _) =>
        {
            if (++writes == 1)
            {
                throw new Azure.RequestFailedException(503, "storage busy");
            }

            hire = r;
            return true;
        });

        await Assert.ThrowsAsync<Azure.RequestFailedException>(EraseAsync);
        Assert.True(gone);
        Assert.Equal(row.Id, hire.AlumnusId);

        var retry = await EraseAsync();

        Assert.Equal(EraseStatus.AlreadyErased, retry.Status);
        Assert.Null(hire.AlumnusId);
    }
}
