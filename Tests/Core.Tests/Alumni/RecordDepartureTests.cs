using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class RecordDepartureTests
{
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<ISuppressionList> suppressions = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));

    public RecordDepartureTests() =>
        alumni.Setup(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

    private RecordDeparture Handler() => new(
        alumni.Object, work.Object, suppressions.Object,
        new WelcomeSchedule(Options.Create(new WelcomeOptions()), new Company.CompanyCalendar(Builders.Company())),
        time, NullLogger<RecordDeparture>.Instance);

    private void Claims(EmployeeClaim claim) =>
        alumni.Setup(a => a.ClaimEmployeeAsync("E12345", It.IsAny<DateOnly>(), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync(claim);

    private void ClaimsHeldBy(AlumnusId id) => Claims(new EmployeeClaim.Held(id, Fresh: false));

    [Fact]
    public async Task NewEmployee_CreatesAlumnusWithoutAReadAndSchedulesWelcome()
    {
        alumni.Setup(a => a.ClaimEmployeeAsync("E12345", new DateOnly(2026, 11, 30), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, DateOnly _, string? _, DateTimeOffset? _, AlumnusId candidate, CancellationToken _) => new EmployeeClaim.Held(candidate, Fresh: true));
        Alumnus? added = null;
        alumni.Setup(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).Callback((Alumnus a, CancellationToken _) => added = a).ReturnsAsync(true);

        var result = await Handler().HandleAsync(Builders.Notice(), CancellationToken.None);

        Assert.True(result.IsNew);
        Assert.Equal(result.AlumnusId, added!.Id);
        Assert.Equal(AlumnusStatus.Departed, added.Status);
        alumni.Verify(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.SubjectId == added.Id.Value && i.DueAt == added.WelcomeDueAt && i.Kind == WorkKinds.WelcomeInvitation), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ErasedEmployee_IsNotRecordedAgain()
    {
        Claims(new EmployeeClaim.Erased());

        var result = await Handler().HandleAsync(Builders.Notice(), CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Erased, null), result);
        alumni.Verify(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ReplayOfADepartureRecordedBeforeAPurge_IsNotRecordedAgainNorInvited()
    {
        Claims(new EmployeeClaim.PurgedReplay());

        var result = await Handler().HandleAsync(Builders.Notice(), CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.PurgedReplay, null), result);
        alumni.Verify(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task DepartureSentNoLaterThanItsWithdrawal_IsNotRecordedNorInvited()
    {
        Claims(new EmployeeClaim.Withdrawn());

        var result = await Handler().HandleAsync(Builders.Notice(), CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Withdrawn, null), result);
        alumni.Verify(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task WithdrawalWhileTheNewRecordWasWritten_RemovesItAndSchedulesNoWelcome()
    {
        // The withdrawal marked the claim after its insert and, finding no record yet, let it go; then the record landed.
        alumni.Setup(a => a.ClaimEmployeeAsync("E12345", It.IsAny<DateOnly>(), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, DateOnly _, string? _, DateTimeOffset? _, AlumnusId candidate, CancellationToken _) => new EmployeeClaim.Held(candidate, Fresh: true));
        var steps = new List<string>();
        Alumnus? added = null;
        alumni.Setup(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).Callback((Alumnus a, CancellationToken _) => { added = a; steps.Add("add"); }).ReturnsAsync(true);
        alumni.Setup(a => a.WithdrawnSinceClaimAsync("E12345", It.IsAny<AlumnusId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((string _, AlumnusId holder, DateTimeOffset _, CancellationToken _) => steps.Add(holder == added?.Id ? "read-claim" : "read-other")).ReturnsAsync(true);
        alumni.Setup(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync((AlumnusId id, CancellationToken _) => id == added?.Id ? added : null);
        alumni.Setup(a => a.DeleteWithdrawnAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()))
            .Callback((Alumnus a, CancellationToken _) => steps.Add(a.Id == added?.Id ? "delete" : "delete-other")).ReturnsAsync(true);

        var result = await Handler().HandleAsync(Builders.Notice(), CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Withdrawn, null), result);
        Assert.Equal(["add", "read-claim", "delete"], steps);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ClaimedButRowMissing_AfterCrash_CompletesTheIntake()
    {
        var earlier = AlumnusId.New();
        ClaimsHeldBy(earlier);

        var result = await Handler().HandleAsync(Builders.Notice(), CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Created, earlier), result);
        alumni.Verify(a => a.AddAsync(It.Is<Alumnus>(x => x.Id == earlier), It.IsAny<CancellationToken>()));
        work.Verify(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ClaimedButRowMissing_AfterCrash_TheCompletingMessagesIdIsRememberedAfterTheRecord()
    {
        var earlier = AlumnusId.New();
        var claim = new EmployeeClaim.Held(earlier, Fresh: false) { Version = "etag" };
        Claims(claim);
        var order = new List<string>();
        alumni.Setup(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("record")).ReturnsAsync(true);
        alumni.Setup(a => a.RememberAppliedAsync("E12345", "msg_other", It.IsAny<DateTimeOffset>(), claim, It.IsAny<CancellationToken>())).Callback(() => order.Add("webhook id")).Returns(Task.CompletedTask);

        await Handler().HandleAsync(Builders.Notice() with { WebhookId = "msg_other" }, CancellationToken.None);

        Assert.Equal(["record", "webhook id"], order);
    }

    [Fact]
    public async Task SameEmployeeAgain_ReturnsSameIdAndChangesNothing()
    {
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        ClaimsHeldBy(existing.Id);
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);

        var result = await Handler().HandleAsync(Builders.Notice(lastWorkingDay: "2026-11-30"), CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Known, existing.Id), result);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WebhookIdHandledBefore_IsNotAppliedAgain_OnlyTheScheduleIsReasserted()
    {
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        Claims(new EmployeeClaim.Held(existing.Id, Fresh: false, Handled: true));
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);

        // An older message with a typo in the address, retried after a newer one corrected it.
        var result = await Handler().HandleAsync(Builders.Notice() with { PersonalEmail = EmailAddress.Parse("hanako@exmaple.net"), WebhookId = "msg_old" }, CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Known, existing.Id), result);
        Assert.Equal("hanako@example.net", existing.PersonalEmail.Value);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.RememberAppliedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<EmployeeClaim.Held>(), It.IsAny<CancellationToken>()), Times.Never);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.SubjectId == existing.Id.Value && i.DueAt == existing.WelcomeDueAt), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task NewWebhookIdForAKnownEmployee_IsRememberedOnTheClaim_AfterTheRecordIsWritten()
    {
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        var claim = new EmployeeClaim.Held(existing.Id, Fresh: false) { Version = "etag", Webhooks = "w0" };
        Claims(claim);
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);
        var order = new List<string>();
        alumni.Setup(a => a.TryUpdateAsync(existing, It.IsAny<CancellationToken>())).Callback(() => order.Add("record")).ReturnsAsync(true);
        alumni.Setup(a => a.RememberAppliedAsync("E12345", "msg_new", It.IsAny<DateTimeOffset>(), claim, It.IsAny<CancellationToken>())).Callback(() => order.Add("webhook id")).Returns(Task.CompletedTask);

        await Handler().HandleAsync(Builders.Notice() with { PersonalEmail = EmailAddress.Parse("hanako.yamada@example.net"), WebhookId = "msg_new" }, CancellationToken.None);

        Assert.Equal(["record", "webhook id"], order);
    }

    [Fact]
    public async Task NewWebhookIdChangingNothing_BeforeTheJoin_IsRememberedToo()
    {
        // Left as it is now, it could still undo a later correction if it came back after it.
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        ClaimsHeldBy(existing.Id);
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);

        await Handler().HandleAsync(Builders.Notice() with { WebhookId = "msg_same_payload" }, CancellationToken.None);

        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.RememberAppliedAsync("E12345", "msg_same_payload", It.IsAny<DateTimeOffset>(), It.IsAny<EmployeeClaim.Held>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NewWebhookIdLeavingAMembersRecordAsItIs_NeedsNoWrite()
    {
        // The day never moves back, so a message that changed nothing for a member never can: its id is not kept.
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        existing.Status = AlumnusStatus.Joined;
        ClaimsHeldBy(existing.Id);
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);

        await Handler().HandleAsync(Builders.Notice() with { PersonalEmail = EmailAddress.Parse("someone.else@example.net"), WebhookId = "msg_member" }, CancellationToken.None);

        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.RememberAppliedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<EmployeeClaim.Held>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task NewEmployee_TakesTheWebhookIdInTheClaimsInsert_AndNoLaterWrite()
    {
        alumni.Setup(a => a.ClaimEmployeeAsync("E12345", It.IsAny<DateOnly>(), "msg_first", It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, DateOnly _, string? _, DateTimeOffset? _, AlumnusId candidate, CancellationToken _) => new EmployeeClaim.Held(candidate, Fresh: true));

        var result = await Handler().HandleAsync(Builders.Notice() with { WebhookId = "msg_first" }, CancellationToken.None);

        Assert.True(result.IsNew);
        alumni.Verify(a => a.RememberAppliedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<EmployeeClaim.Held>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task LaterLastWorkingDay_UpdatesRecordAndReschedules()
    {
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        ClaimsHeldBy(existing.Id);
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);
        alumni.Setup(a => a.TryUpdateAsync(existing, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Handler().HandleAsync(Builders.Notice(lastWorkingDay: "2026-12-31"), CancellationToken.None);

        Assert.Equal(new DateOnly(2026, 12, 31), existing.LastWorkingDay);
        var due = new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(due, existing.WelcomeDueAt);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.DueAt == due), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task EarlierLastWorkingDay_FromAnOldRetry_IsIgnored()
    {
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        ClaimsHeldBy(existing.Id);
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);

        await Handler().HandleAsync(Builders.Notice(lastWorkingDay: "2026-11-01"), CancellationToken.None);

        Assert.Equal(new DateOnly(2026, 11, 30), existing.LastWorkingDay);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ConcurrentChange_IsRetriedOnFreshRecord()
    {
        var first = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        ClaimsHeldBy(first.Id);
        alumni.SetupSequence(a => a.GetAsync(first.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(first)
            .ReturnsAsync(Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero)));
        alumni.SetupSequence(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);

        var result = await Handler().HandleAsync(Builders.Notice(lastWorkingDay: "2026-12-31"), CancellationToken.None);

        Assert.False(result.IsNew);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task FreshClaim_RecordWrittenFirstByAConcurrentDelivery_AppliesTheNoticeToIt()
    {
        var other = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        Claims(new EmployeeClaim.Held(other.Id, Fresh: true));
        alumni.Setup(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        alumni.Setup(a => a.GetAsync(other.Id, It.IsAny<CancellationToken>())).ReturnsAsync(other);
        alumni.Setup(a => a.TryUpdateAsync(other, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var result = await Handler().HandleAsync(Builders.Notice(lastWorkingDay: "2026-12-31"), CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Known, other.Id), result);
        Assert.Equal(new DateOnly(2026, 12, 31), other.LastWorkingDay);
        var due = new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.DueAt == due), It.IsAny<CancellationToken>()));
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.DueAt != due), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ClaimedButRowMissing_BecauseAPurgeFinishedMeanwhile_RecreatesNothing()
    {
        var purged = AlumnusId.New();
        alumni.SetupSequence(a => a.ClaimEmployeeAsync("E12345", It.IsAny<DateOnly>(), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new EmployeeClaim.Held(purged, Fresh: false))
            .ReturnsAsync(new EmployeeClaim.PurgedReplay());

        var result = await Handler().HandleAsync(Builders.Notice(), CancellationToken.None);

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.PurgedReplay, null), result);
        alumni.Verify(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task CorrectedAddress_ProjectsTheNewAddressSuppressionOntoTheRow()
    {
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        existing.Suppressed = SuppressionReason.Bounce;
        ClaimsHeldBy(existing.Id);
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);
        alumni.Setup(a => a.TryUpdateAsync(existing, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var notice = Builders.Notice() with { PersonalEmail = EmailAddress.Parse("hanako.yamada@example.net") };

        await Handler().HandleAsync(notice, CancellationToken.None);

        Assert.Equal(("hanako.yamada@example.net", (SuppressionReason?)null), (existing.PersonalEmail.Value, existing.Suppressed));
        alumni.Verify(a => a.TryUpdateAsync(existing, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task CorrectedAddressAfterTheWelcome_AtNightInCompanyTime_IsDueAtTheNextSendHour()
    {
        // 02:00 in Tokyo on 5 December; the send hour is 09:00 there (00:00 UTC on 5 December).
        time.SetUtcNow(new DateTimeOffset(2026, 12, 4, 17, 0, 0, TimeSpan.Zero));
        var existing = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), AlumnusStatus.Invited);
        existing.InvitedAt = existing.WelcomeDueAt;
        ClaimsHeldBy(existing.Id);
        alumni.Setup(a => a.GetAsync(existing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(existing);
        alumni.Setup(a => a.TryUpdateAsync(existing, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Handler().HandleAsync(Builders.Notice() with { PersonalEmail = EmailAddress.Parse("hanako.yamada@example.net") }, CancellationToken.None);

        var nineInTokyo = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal((AlumnusStatus.Departed, nineInTokyo), (existing.Status, existing.WelcomeDueAt));
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.SubjectId == existing.Id.Value && i.DueAt == nineInTokyo), It.IsAny<CancellationToken>()));
    }
}
