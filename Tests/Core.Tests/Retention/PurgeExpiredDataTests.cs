using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Core.Retention;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Retention;

public sealed class PurgeExpiredDataTests
{
    private static readonly DateTimeOffset Now = new(2027, 6, 1, 3, 30, 0, TimeSpan.Zero);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<IOutreachLog> outreach = new();
    private readonly Mock<IEngagementCounters> engagement = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<ICollaborationStore> cards = new();
    private readonly Mock<IConflictAssessments> assessments = new();
    private readonly Mock<IApprovalStore> approvals = new();
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<IRehireStore> rehires = new();
    private readonly Mock<Core.Sends.ISendLedger> sends = new();
    private readonly List<Alumnus> stored = [];
    private readonly LogLines<PurgeExpiredData> logs = new();

    public PurgeExpiredDataTests()
    {
        alumni.Setup(a => a.ListAsync(It.IsAny<CancellationToken>())).Returns(() => Stream(stored));
        alumni.Setup(a => a.DeleteAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        consents.Setup(c => c.HistoryAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        outreach.Setup(o => o.SinceAsync(It.IsAny<AlumnusId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        consents.Setup(c => c.SubjectsAsync(It.IsAny<CancellationToken>())).Returns(() => Stream(subjects));
        alumni.Setup(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AlumnusId id, CancellationToken _) => stored.FirstOrDefault(a => a.Id == id));
        consents.Setup(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IEnumerable<ConsentRecord> records, CancellationToken _) => records.Count());
        openings.Setup(o => o.InterestsOfAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        rehires.Setup(r => r.OfAlumnusAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private readonly List<AlumnusId> subjects = [];

    private PurgeExpiredData Handler()
    {
        var time = new FakeTimeProvider(Now);
        var collaboration = new CollaborationData(cards.Object, assessments.Object, approvals.Object);
        var openingsData = new OpeningsPersonalData(openings.Object, rehires.Object);
        var events = new Mock<Core.Events.IEventStore>();
        events.Setup(e => e.RsvpsOfAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var surveys = new Mock<Core.Surveys.ISurveyStore>();
        surveys.Setup(x => x.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var erasure = new Core.Privacy.EraseMyData(
            new Core.Links.SignedLinkAccess(new Core.Links.LinkTokenService(Builders.Links(), time), alumni.Object), alumni.Object, profiles.Object, consents.Object,
            outreach.Object, Mock.Of<Core.Campaigns.ICampaignStore>(), Mock.Of<Core.Sends.ISendLedger>(), engagement.Object, new Core.Events.EventRegistrations(events.Object, Mock.Of<Core.Scheduling.IWorkItemStore>(), time),
            new Core.Surveys.SurveyRecords(surveys.Object, Mock.Of<Core.Surveys.ISurveyResponseStore>(), Mock.Of<Core.Sends.ISendLedger>()),
            openingsData, collaboration, Mock.Of<Core.Audit.IAuditLog>(), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Core.Privacy.EraseMyData>.Instance);
        return new(alumni.Object, consents.Object, outreach.Object, engagement.Object, profiles.Object, collaboration, openingsData, sends.Object, erasure,
            Options.Create(new RetentionOptions()), time, logs);
    }

    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items.ToArray())
        {
            await Task.Yield();
            yield return item;
        }
    }

    private Alumnus Stored(AlumnusStatus status, DateTimeOffset recordedAt, DateTimeOffset? welcomeDueAt = null, DateTimeOffset? invitedAt = null)
    {
        var alumnus = Alumnus.FromDeparture(AlumnusId.New(), Builders.Notice(), welcomeDueAt ?? recordedAt, recordedAt);
        alumnus.Status = status;
        alumnus.InvitedAt = invitedAt ?? (status == AlumnusStatus.Departed ? null : welcomeDueAt ?? recordedAt);
        alumnus.JoinedAt = status == AlumnusStatus.Joined ? recordedAt.AddDays(10) : null;
        alumnus.ETag = "etag-1";
        stored.Add(alumnus);
        return alumnus;
    }

    private ConsentRecord[] History(Alumnus alumnus, params (ConsentPurpose Purpose, bool Granted, int DaysAgo)[] entries)
    {
        var records = entries.Select(e => new ConsentRecord(alumnus.Id, e.Purpose, e.Granted, Now.AddDays(-e.DaysAgo), ConsentMethod.Link, "v1")).ToArray();
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(records.OrderBy(r => r.At).ToArray());
        return records;
    }

    private void Emailed(Alumnus alumnus, params (ConsentPurpose Purpose, bool Allowed, int DaysAgo)[] decisions) =>
        outreach.Setup(o => o.SinceAsync(alumnus.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(decisions
            .Select(d => new OutreachDecision(alumnus.Id, $"c{d.DaysAgo}", d.Purpose, true, d.Allowed, d.Allowed ? "consented" : "cap", Now.AddDays(-d.DaysAgo)))
            .OrderByDescending(d => d.At).ToArray());

    /// <summary>An alumnus erased on request whose consent entries were kept for their retention.</summary>
    private Alumnus Erased()
    {
        var alumnus = Alumnus.FromDeparture(AlumnusId.New(), Builders.Notice(), Now.AddDays(-400), Now.AddDays(-400));
        subjects.Add(alumnus.Id);
        return alumnus;
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(20, false)]
    public async Task ErasedAlumnusKeptEntries_ArePurgedOnceTheLastEmailIsAMonthOld(int emailedDaysAgo, bool purged)
    {
        var erased = Erased();
        var records = History(erased, (ConsentPurpose.NetworkMembership, true, 300), (ConsentPurpose.Newsletter, true, 300));
        Emailed(erased, (ConsentPurpose.Newsletter, true, emailedDaysAgo));

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(purged ? 2 : 1, report.ConsentRecordsPurged);
        consents.Verify(c => c.RemoveAsync(It.Is<IEnumerable<ConsentRecord>>(r => r.Contains(records[0])), It.IsAny<CancellationToken>()));
        outreach.Verify(o => o.RemoveAsync(erased.Id, It.IsAny<CancellationToken>()), purged ? Times.Once() : Times.Never());
    }

    private void VerifyDeleted(Alumnus alumnus, bool deleted)
    {
        var times = deleted ? Times.Once() : Times.Never();
        alumni.Verify(a => a.DeleteAsync(alumnus, It.IsAny<CancellationToken>()), times);
        outreach.Verify(o => o.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>()), times);
        engagement.Verify(e => e.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>()), times);
        profiles.Verify(p => p.DeleteAsync(alumnus.Id, It.IsAny<CancellationToken>()), times);
        cards.Verify(c => c.RemoveAllAsync(alumnus.Id, It.IsAny<CancellationToken>()), times);
        // Before the record, and again after it (a send in flight may have written one meanwhile).
        sends.Verify(s => s.ForgetMessageIdsAsync(alumnus.Id, It.IsAny<CancellationToken>()), deleted ? Times.Exactly(2) : Times.Never());
    }

    [Theory]
    [InlineData(AlumnusStatus.Departed, 0, false)]
    [InlineData(AlumnusStatus.Departed, 1, true)]
    [InlineData(AlumnusStatus.Invited, 0, false)]
    [InlineData(AlumnusStatus.Invited, 1, true)]
    public async Task NeverJoined_IsDeletedOnlyWhenMoreThanNinetyDaysOld(AlumnusStatus status, int secondsBeyond, bool deleted)
    {
        var alumnus = Stored(status, Now.AddDays(-90).AddSeconds(-secondsBeyond));

        var report = await Handler().HandleAsync(CancellationToken.None);

        VerifyDeleted(alumnus, deleted);
        Assert.Equal(deleted ? 1 : 0, report.NeverJoinedDeleted);
    }

    [Fact]
    public async Task NeverJoined_IsCountedFromTheInvitationNotTheRecording()
    {
        var invitedLate = Stored(AlumnusStatus.Invited, Now.AddDays(-200), welcomeDueAt: Now.AddDays(-150), invitedAt: Now.AddDays(-60));

        await Handler().HandleAsync(CancellationToken.None);

        VerifyDeleted(invitedLate, deleted: false);
    }

    [Fact]
    public async Task DepartureAnnouncedMonthsAhead_IsNotDeletedBeforeItsInvitationWasEvenDue()
    {
        var announced = Stored(AlumnusStatus.Departed, Now.AddDays(-200), welcomeDueAt: Now.AddDays(10));

        await Handler().HandleAsync(CancellationToken.None);

        VerifyDeleted(announced, deleted: false);
    }

    [Theory]
    [InlineData(61, true)]
    [InlineData(59, false)]
    public async Task ErasureUnderWay_IsFinishedOnlyOnceAnHourOld(int startedMinutesAgo, bool finished)
    {
        var member = Stored(AlumnusStatus.Joined, Now.AddDays(-300));
        (member.DoNotContact, member.Consented, member.ErasureStartedAt) = (true, new HashSet<ConsentPurpose>(), Now.AddMinutes(-startedMinutesAgo));
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Handler().HandleAsync(CancellationToken.None);

        alumni.Verify(a => a.EraseAsync(It.Is<Alumnus>(x => x.Id == member.Id), It.IsAny<CancellationToken>()), finished ? Times.Once() : Times.Never());
        engagement.Verify(e => e.RemoveAsync(member.Id, It.IsAny<CancellationToken>()), finished ? Times.Once() : Times.Never());
        profiles.Verify(p => p.DeleteAsync(member.Id, It.IsAny<CancellationToken>()), finished ? Times.Once() : Times.Never());
    }

    [Fact]
    public async Task NeverJoinedWhoseErasureIsUnderWayForLessThanAnHour_IsNotPurged_TheNextRunErasesThem()
    {
        var invited = Stored(AlumnusStatus.Invited, Now.AddDays(-120));
        (invited.DoNotContact, invited.ErasureStartedAt) = (true, Now.AddMinutes(-59));

        var report = await Handler().HandleAsync(CancellationToken.None);

        VerifyDeleted(invited, deleted: false);
        alumni.Verify(a => a.EraseAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(0, report.NeverJoinedDeleted);
    }

    [Fact]
    public async Task Joined_IsNeverDeletedHoweverOld()
    {
        var member = Stored(AlumnusStatus.Joined, Now.AddDays(-3000));

        await Handler().HandleAsync(CancellationToken.None);

        VerifyDeleted(member, deleted: false);
    }

    [Fact]
    public async Task DeletedNeverJoined_TakesTheirConsentEntriesOutreachAndCountsWithThem()
    {
        var alumnus = Stored(AlumnusStatus.Invited, Now.AddDays(-120));
        var records = History(alumnus, (ConsentPurpose.Newsletter, false, 100));

        await Handler().HandleAsync(CancellationToken.None);

        VerifyDeleted(alumnus, deleted: true);
        consents.Verify(c => c.RemoveAsync(It.Is<IEnumerable<ConsentRecord>>(r => r.SequenceEqual(records)), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task RehiredNeverJoined_HasProfileCollaborationAndOpeningsRemovedAsErasureDoes_BeforeTheRecordGoes()
    {
        var alumnus = Stored(AlumnusStatus.Returned, Now.AddDays(-120));
        var interest = OpeningInterest.New("opening-1", alumnus.Id);
        openings.Setup(o => o.InterestsOfAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync([interest]);
        var steps = new List<string>();
        profiles.Setup(p => p.DeleteAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("profile")).Returns(Task.CompletedTask);
        cards.Setup(c => c.RemoveAllAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("collaboration")).Returns(Task.CompletedTask);
        approvals.Setup(a => a.RemoveAllAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("approvals")).Returns(Task.CompletedTask);
        assessments.Setup(a => a.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("assessment")).Returns(Task.CompletedTask);
        openings.Setup(o => o.DeleteInterestAsync(interest, It.IsAny<CancellationToken>())).Callback(() => steps.Add("interest")).Returns(Task.CompletedTask);
        rehires.Setup(r => r.OfAlumnusAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("returns")).ReturnsAsync([]);
        alumni.Setup(a => a.DeleteAsync(alumnus, It.IsAny<CancellationToken>())).Callback(() => steps.Add("record")).ReturnsAsync(true);

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(1, report.NeverJoinedDeleted);
        Assert.Equal(["profile", "collaboration", "approvals", "assessment", "interest", "returns", "record"], steps);
        VerifyDeleted(alumnus, deleted: true);
        // Never matched, so never on an opening's approved flagged matches: no scan of every opening for each person purged.
        openings.Verify(o => o.ListAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>
    /// Two runs, the first failing on a removal set up to fail once: it must keep the record (the one way the next run
    /// finds the person), and the second deletes the person.
    /// </summary>
    private async Task FailsThenFinishesAsync()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Handler().HandleAsync(CancellationToken.None));
        alumni.Verify(a => a.DeleteAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(1, report.NeverJoinedDeleted);
    }

    [Fact]
    public async Task RemovalFailingBeforeTheRecordGoes_KeepsTheRecord_SoTheNextRunFindsThePersonAndFinishes()
    {
        var alumnus = Stored(AlumnusStatus.Returned, Now.AddDays(-120));
        cards.SetupSequence(c => c.RemoveAllAsync(alumnus.Id, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("storage down"))
            .Returns(Task.CompletedTask);

        await FailsThenFinishesAsync();

        profiles.Verify(p => p.DeleteAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Exactly(2));
        approvals.Verify(a => a.RemoveAllAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
        rehires.Verify(r => r.OfAlumnusAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
        alumni.Verify(a => a.DeleteAsync(alumnus, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NeverJoined_LosesOutreachCountsAndMessageIdsBeforeTheRecord_AndConsentEntriesAfterIt()
    {
        var alumnus = Stored(AlumnusStatus.Invited, Now.AddDays(-120));
        History(alumnus, (ConsentPurpose.Newsletter, false, 100));
        var steps = new List<string>();
        outreach.Setup(o => o.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("outreach")).Returns(Task.CompletedTask);
        engagement.Setup(e => e.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("counts")).Returns(Task.CompletedTask);
        sends.Setup(s => s.ForgetMessageIdsAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => steps.Add("message ids")).Returns(Task.CompletedTask);
        alumni.Setup(a => a.DeleteAsync(alumnus, It.IsAny<CancellationToken>())).Callback(() => steps.Add("record")).ReturnsAsync(true);
        consents.Setup(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>())).Callback(() => steps.Add("consents")).ReturnsAsync(1);

        await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(["outreach", "counts", "message ids", "record", "message ids", "consents"], steps);
    }

    /// <summary>
    /// A send in flight read the record before the purge and writes its provider message id after the purge blanked the
    /// ids, before the record goes: the id, which finds the address in SendGrid's activity log, is gone at the end.
    /// </summary>
    [Fact]
    public async Task NeverJoined_AMessageIdWrittenAfterTheBlankingBeforeTheRecordGoes_IsGoneAtTheEnd()
    {
        var alumnus = Stored(AlumnusStatus.Invited, Now.AddDays(-120));
        var messageId = "sg-old";
        sends.Setup(s => s.ForgetMessageIdsAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => messageId = "").Returns(Task.CompletedTask);
        alumni.Setup(a => a.DeleteAsync(alumnus, It.IsAny<CancellationToken>())).Callback(() =>
        {
            // The in-flight send's RecordSentAsync lands here: after the first blanking, as the record is deleted.
            Assert.Equal("", messageId);
            messageId = "sg-in-flight";
            stored.Remove(alumnus);
        }).ReturnsAsync(true);

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(1, report.NeverJoinedDeleted);
        Assert.Equal("", messageId);
    }

    /// <summary>Were the message ids blanked after the record, this crash would leave them for good: no run finds the person again.</summary>
    [Fact]
    public async Task MessageIdsFailingToGo_KeepTheRecord_SoTheNextRunFindsThePersonAndBlanksThem()
    {
        var alumnus = Stored(AlumnusStatus.Invited, Now.AddDays(-120));
        sends.SetupSequence(s => s.ForgetMessageIdsAsync(alumnus.Id, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("storage down"))
            .Returns(Task.CompletedTask)
            .Returns(Task.CompletedTask);

        await FailsThenFinishesAsync();

        // The failed pass, then the next run's two: before the record and after it.
        sends.Verify(s => s.ForgetMessageIdsAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Exactly(3));
        alumni.Verify(a => a.DeleteAsync(alumnus, It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>Were the counts removed after the record, this crash would leave them behind for good: no run finds the person again.</summary>
    [Fact]
    public async Task CountsFailingToGo_KeepTheRecord_SoTheNextRunFindsThePersonAndRemovesTheirOutreachAndCounts()
    {
        var alumnus = Stored(AlumnusStatus.Invited, Now.AddDays(-120));
        engagement.SetupSequence(e => e.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("storage down"))
            .Returns(Task.CompletedTask);

        await FailsThenFinishesAsync();

        outreach.Verify(o => o.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Exactly(2));
        engagement.Verify(e => e.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Exactly(2));
        alumni.Verify(a => a.DeleteAsync(alumnus, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NeverJoinedChangedSinceRead_IsLeftAloneAndCounted()
    {
        var alumnus = Stored(AlumnusStatus.Invited, Now.AddDays(-120));
        alumni.Setup(a => a.DeleteAsync(alumnus, It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(new PurgeReport(1, 0, 1, 0), report);
        consents.Verify(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>()), Times.Never);
        // The record and its consents stay; its outreach decisions and counts went first (the price in DeleteNeverJoinedAsync).
        outreach.Verify(o => o.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WithdrawnPurposeNotEmailedForMoreThan31Days_HasAllItsEntriesPurged()
    {
        var member = Stored(AlumnusStatus.Joined, Now.AddDays(-400));
        var records = History(member,
            (ConsentPurpose.NetworkMembership, true, 390), (ConsentPurpose.Newsletter, true, 390),
            (ConsentPurpose.Events, true, 390), (ConsentPurpose.Newsletter, false, 32));
        Emailed(member, (ConsentPurpose.Newsletter, true, 40), (ConsentPurpose.Events, true, 1));

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(2, report.ConsentRecordsPurged);
        consents.Verify(c => c.RemoveAsync(It.Is<IEnumerable<ConsentRecord>>(r => r.OrderBy(x => x.At).SequenceEqual(records.Where(x => x.Purpose == ConsentPurpose.Newsletter).OrderBy(x => x.At))), It.IsAny<CancellationToken>()));
        VerifyDeleted(member, deleted: false);
    }

    [Fact]
    public async Task EntriesTheLedgerFoundGoneAlready_AreNotCountedAsPurged()
    {
        var member = Stored(AlumnusStatus.Joined, Now.AddDays(-400));
        History(member, (ConsentPurpose.NetworkMembership, true, 390), (ConsentPurpose.Surveys, true, 390), (ConsentPurpose.Surveys, false, 40));
        consents.Setup(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>())).ReturnsAsync(1);

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(1, report.ConsentRecordsPurged);
        consents.Verify(c => c.RemoveAsync(It.Is<IEnumerable<ConsentRecord>>(r => r.Count() == 2), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task WithdrawnExactly31DaysAgo_IsKept()
    {
        var member = Stored(AlumnusStatus.Joined, Now.AddDays(-400));
        History(member, (ConsentPurpose.NetworkMembership, true, 390), (ConsentPurpose.Surveys, true, 390), (ConsentPurpose.Surveys, false, 31));

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(0, report.ConsentRecordsPurged);
        consents.Verify(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(ConsentPurpose.Newsletter, true, 20, false)]
    [InlineData(ConsentPurpose.Newsletter, true, 31, false)]
    [InlineData(ConsentPurpose.Newsletter, true, 32, true)]
    [InlineData(ConsentPurpose.Newsletter, false, 5, true)]
    [InlineData(ConsentPurpose.Events, true, 5, true)]
    public async Task WithdrawnLongAgo_IsKeptWhileAnEmailOnThatPurposeIsRecent(ConsentPurpose emailedPurpose, bool allowed, int daysAgo, bool purged)
    {
        var member = Stored(AlumnusStatus.Joined, Now.AddDays(-400));
        History(member, (ConsentPurpose.NetworkMembership, true, 390), (ConsentPurpose.Newsletter, true, 390), (ConsentPurpose.Newsletter, false, 60));
        Emailed(member, (emailedPurpose, allowed, daysAgo));

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(purged ? 2 : 0, report.ConsentRecordsPurged);
    }

    [Fact]
    public async Task GrantedPurposes_AreNeverPurgedAndNeedNoOutreachLookup()
    {
        var member = Stored(AlumnusStatus.Joined, Now.AddDays(-3000));
        History(member, (ConsentPurpose.NetworkMembership, true, 2990), (ConsentPurpose.JobOffers, false, 2900), (ConsentPurpose.JobOffers, true, 2000));

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(0, report.ConsentRecordsPurged);
        consents.Verify(c => c.RemoveAsync(It.IsAny<IEnumerable<ConsentRecord>>(), It.IsAny<CancellationToken>()), Times.Never);
        outreach.Verify(o => o.SinceAsync(It.IsAny<AlumnusId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EveryAlumnusIsVisited_AndTheRunIsReportedInOneLineWithCountsOnly()
    {
        Stored(AlumnusStatus.Joined, Now.AddDays(-10));
        Stored(AlumnusStatus.Invited, Now.AddDays(-100));
        Stored(AlumnusStatus.Departed, Now.AddDays(-5));

        var report = await Handler().HandleAsync(CancellationToken.None);

        Assert.Equal(new PurgeReport(3, 1, 0, 0), report);
        var line = Assert.Single(logs.Lines);
        Assert.Contains("3 alumni scanned, 1 never-joined deleted", line, StringComparison.Ordinal);
        Assert.DoesNotContain("@", line, StringComparison.Ordinal);
        Assert.DoesNotContain(stored[1].Id.Value, line, StringComparison.Ordinal);
    }
}
