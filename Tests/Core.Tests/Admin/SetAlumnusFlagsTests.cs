using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class SetAlumnusFlagsTests
{
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly List<AuditEntry> audited;
    private readonly Alumnus stored = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net");

    public SetAlumnusFlagsTests()
    {
        audited = audit.Captures();
        alumni.Setup(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => AdminFixtures.Alumnus("山田", "花子", "hanako@example.net", id: stored.Id));
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    private SetAlumnusFlags Handler() => new(alumni.Object, work.Object, audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<SetAlumnusFlags>.Instance);

    private Task<AdminOutcome<AlumnusFlags>> PatchAsync(string body, string? id = null) =>
        Handler().HandleAsync(id ?? stored.Id.Value, Encoding.UTF8.GetBytes(body), "admin-sub", CancellationToken.None);

    public static TheoryData<string, bool?, bool, string> Changes => new()
    {
        // body, expected rehireEligible, expected doNotContact, audited detail (stored: rehireEligible true, doNotContact false)
        { """{"rehireEligible":false}""", false, false, "fields=rehireEligible" },
        { """{"rehireEligible":null}""", null, false, "fields=rehireEligible" },
        { """{"doNotContact":true}""", true, true, "fields=doNotContact" },
        { """{"rehireEligible":false,"doNotContact":true}""", false, true, "fields=rehireEligible,doNotContact" },
        { """{"rehireEligible":true,"doNotContact":true}""", true, true, "fields=doNotContact" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task FieldsPresent_ChangeAndAreAuditedByName(string body, bool? rehire, bool doNotContact, string detail)
    {
        var outcome = await PatchAsync(body);

        Assert.Equal(new AlumnusFlags(rehire, doNotContact), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        alumni.Verify(a => a.TryUpdateAsync(It.Is<Alumnus>(x => x.RehireEligible == rehire && x.DoNotContact == doNotContact && x.GivenName == "花子"), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(new AuditEntry(AdminFixtures.Now, "admin-sub", AdminAuditActions.AlumnusFlagsChanged, stored.Id.Value, detail), Assert.Single(audited));
    }

    private Task<AdminOutcome<AlumnusFlags>> EditAsync(AlumnusFlags shown, bool? rehire, bool doNotContact) =>
        Handler().HandleAsync(stored.Id.Value, FlagChanges.Edited(shown, rehire, doNotContact), "admin-sub", CancellationToken.None);

    [Fact]
    public async Task EditedFromAPage_SetsOnlyTheFlagsTheAdminChanged_LeavingOneChangedElsewhereAlone()
    {
        // shown before someone else cleared rehireEligible: the admin changed doNotContact only
        var outcome = await EditAsync(new AlumnusFlags(true, false), true, true);

        Assert.Equal(new AlumnusFlags(true, true), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        Assert.Equal("fields=doNotContact", Assert.Single(audited).Detail);
    }

    [Fact]
    public async Task EditedFromAPage_WhereAFlagTheAdminLeftAloneChangedSince_KeepsItsStoredValue()
    {
        // the page showed doNotContact true (stored: false, so someone cleared it since); the admin changed only rehireEligible
        var outcome = await EditAsync(new AlumnusFlags(true, true), false, true);

        Assert.Equal(new AlumnusFlags(false, false), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        Assert.Equal("fields=rehireEligible", Assert.Single(audited).Detail);
    }

    [Theory]
    [InlineData(null, false, false, false)]
    [InlineData(true, true, true, false)]
    [InlineData(true, true, false, false)]
    [InlineData(null, true, true, true)]
    public async Task EditedFromAPage_ChangingAFlagWhoseStoredValueIsNoLongerTheOneShown_IsAConflictAndWritesNothing(
        bool? shownRehire, bool shownDoNotContact, bool? rehire, bool doNotContact)
    {
        var outcome = await EditAsync(new AlumnusFlags(shownRehire, shownDoNotContact), rehire, doNotContact);

        Assert.Contains("changed since the page was loaded", Assert.IsType<AdminOutcome<AlumnusFlags>.Conflict>(outcome).Reason, StringComparison.Ordinal);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"rehireEligible":true}""")]
    [InlineData("""{"doNotContact":false}""")]
    [InlineData("""{"rehireEligible":true,"doNotContact":false}""")]
    public async Task NothingChanging_WritesNothingAndIsAuditedAsARead(string body)
    {
        var outcome = await PatchAsync(body);

        Assert.Equal(new AlumnusFlags(true, false), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(new AuditEntry(AdminFixtures.Now, "admin-sub", AdminAuditActions.AlumnusRead, stored.Id.Value, "view=flags"), Assert.Single(audited));
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("not json", "$")]
    [InlineData("[]", "$")]
    [InlineData("\"rehireEligible\"", "$")]
    [InlineData("null", "$")]
    [InlineData("""{"rehireEligible":"yes"}""", "rehireEligible")]
    [InlineData("""{"rehireEligible":1}""", "rehireEligible")]
    [InlineData("""{"doNotContact":null}""", "doNotContact")]
    [InlineData("""{"doNotContact":"true"}""", "doNotContact")]
    [InlineData("""{"doNotContact":{}}""", "doNotContact")]
    [InlineData("""{"status":"Joined"}""", "status")]
    [InlineData("""{"RehireEligible":true}""", "RehireEligible")]
    [InlineData("""{"山田":true}""", "$")]
    [InlineData("""{"doNotContact":true,"doNotContact":false}""", "doNotContact")]
    public async Task BadBody_IsInvalidNamingTheFieldAndChangesNothing(string body, string field)
    {
        var outcome = await PatchAsync(body);

        Assert.Equal(field, Assert.Single(Assert.IsType<AdminOutcome<AlumnusFlags>.Invalid>(outcome).Errors).Field);
        alumni.Verify(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task EveryBadField_IsReportedAtOnce()
    {
        var outcome = await PatchAsync("""{"rehireEligible":"no","doNotContact":null,"extra":1}""");

        Assert.Equal(["rehireEligible", "doNotContact", "extra"], Assert.IsType<AdminOutcome<AlumnusFlags>.Invalid>(outcome).Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("NOT-A-VALID-ID-OF-32-CHARACTERS!")]
    public async Task UnknownId_IsNotFoundAndNotAudited(string id)
    {
        Assert.IsType<AdminOutcome<AlumnusFlags>.NotFound>(await PatchAsync("""{"doNotContact":true}""", id));

        Assert.Empty(audited);
    }

    [Fact]
    public async Task Conflict_ReadsAgainAndReappliesToTheFreshRecord()
    {
        alumni.SetupSequence(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);

        var outcome = await PatchAsync("""{"doNotContact":true}""");

        Assert.Equal(new AlumnusFlags(true, true), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        alumni.Verify(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>()), Times.Exactly(2));
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ChangedByOthersEachTime_GivesUpWithConflict_AndEveryEntryIsFollowedByItsNotSavedEntry()
    {
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        Assert.IsType<AdminOutcome<AlumnusFlags>.Conflict>(await PatchAsync("""{"doNotContact":true}"""));

        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Exactly(SetAlumnusFlags.MaxAttempts));
        // Nothing was saved, so no entry claiming a change is left standing (the alumnus's own export shows these).
        const string Changed = AdminAuditActions.AlumnusFlagsChanged;
        Assert.Equal(Enumerable.Repeat(new[] { Changed, UnsavedChange.NotSavedAction(Changed) }, SetAlumnusFlags.MaxAttempts).SelectMany(x => x),
            audited.Select(e => e.Action));
        Assert.All(audited, e => Assert.Equal((stored.Id.Value, "admin-sub"), (e.Subject, e.Actor)));
    }

    [Fact]
    public async Task ThreeRoundsLostThenSaved_IsAuditedBeforeEachWrite_AndTheLostRoundsAsNotSaved()
    {
        var steps = new List<string>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback((AuditEntry e, CancellationToken _) => steps.Add(e.Action)).Returns(Task.CompletedTask);
        var rounds = 0;
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()))
            .Callback(() => steps.Add("write")).ReturnsAsync(() => ++rounds > 3);

        var outcome = await PatchAsync("""{"doNotContact":true}""");

        Assert.Equal(new AlumnusFlags(true, true), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        const string Changed = AdminAuditActions.AlumnusFlagsChanged;
        var lost = new[] { Changed, "write", UnsavedChange.NotSavedAction(Changed) };
        Assert.Equal([.. lost, .. lost, .. lost, Changed, "write"], steps);
        alumni.Verify(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>()), Times.Exactly(4));
    }

    [Fact]
    public async Task RoundLostToAWriteThatSetOneOfTheFlags_AuditsOnlyTheFieldTheNextRoundChanges()
    {
        // Round 1 reads doNotContact false and changes both; the winner had set doNotContact, so round 2 changes one.
        var reads = 0;
        alumni.Setup(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var row = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net", id: stored.Id);
            row.DoNotContact = ++reads > 1;
            return row;
        });
        alumni.SetupSequence(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);

        var outcome = await PatchAsync("""{"rehireEligible":false,"doNotContact":true}""");

        Assert.Equal(new AlumnusFlags(false, true), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        const string Changed = AdminAuditActions.AlumnusFlagsChanged;
        Assert.Equal([(Changed, "fields=rehireEligible,doNotContact"), (UnsavedChange.NotSavedAction(Changed), "fields=rehireEligible,doNotContact; not saved: the record changed meanwhile"),
            (Changed, "fields=rehireEligible")], audited.Select(e => (e.Action, e.Detail)));
    }

    [Fact]
    public async Task RoundLostToAWriteThatSetEveryFlag_LeavesNoChangeStanding_AndIsAuditedAsARead()
    {
        var reads = 0;
        alumni.Setup(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var row = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net", id: stored.Id);
            row.DoNotContact = ++reads > 1;
            return row;
        });
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var outcome = await PatchAsync("""{"doNotContact":true}""");

        Assert.Equal(new AlumnusFlags(true, true), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        const string Changed = AdminAuditActions.AlumnusFlagsChanged;
        Assert.Equal([Changed, UnsavedChange.NotSavedAction(Changed), AdminAuditActions.AlumnusRead], audited.Select(e => e.Action));
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    private void Stored(AlumnusStatus status, bool doNotContact) =>
        alumni.Setup(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var row = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net", status: status, id: stored.Id);
            row.DoNotContact = doNotContact;
            return row;
        });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ClearingDoNotContact_OnSomeoneNotYetInvited_SchedulesTheWelcomeAgainAtItsDueTime(bool wasSet)
    {
        // A welcome refused while the flag was set completed its item; a request repeated after a crash schedules it too.
        Stored(AlumnusStatus.Departed, doNotContact: wasSet);

        Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(await PatchAsync("""{"doNotContact":false}"""));

        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.WelcomeInvitation && i.SubjectId == stored.Id.Value
            && i.DueAt == new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero) && i.Status == WorkItemStatus.Pending), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(AlumnusStatus.Invited, """{"doNotContact":false}""")]
    [InlineData(AlumnusStatus.Joined, """{"doNotContact":false}""")]
    [InlineData(AlumnusStatus.Departed, """{"doNotContact":true}""")]
    [InlineData(AlumnusStatus.Departed, """{"rehireEligible":false}""")]
    public async Task InvitedAlreadyOrDoNotContactNotCleared_SchedulesNothing(AlumnusStatus status, string body)
    {
        Stored(status, doNotContact: true);

        Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(await PatchAsync(body));

        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ClearingDoNotContact_WhenTheWriteKeepsLosing_SchedulesOnlyTheIntent_WhichTheFlagStillSetRefuses()
    {
        Stored(AlumnusStatus.Departed, doNotContact: true);
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        Assert.IsType<AdminOutcome<AlumnusFlags>.Conflict>(await PatchAsync("""{"doNotContact":false}"""));

        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.WelcomeInvitation && i.DueAt == AdminFixtures.Now + SetAlumnusFlags.WelcomeBackstop), It.IsAny<CancellationToken>()), Times.Once);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task CrashAfterClearingDoNotContactBeforeTheWelcomesItem_LeavesTheIntentToInviteThem_AndTheRetryAddsTheCurrentOne()
    {
        // The row write lands, then the instance dies writing the welcome's item at its due time: the item written as
        // intent before the write is still there, due after the request; a retry of the request adds the current one.
        Alumnus? row = null;
        alumni.Setup(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var current = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net", status: AlumnusStatus.Departed, id: stored.Id);
            current.DoNotContact = row?.DoNotContact ?? true;
            return current;
        });
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).Callback((Alumnus a, CancellationToken _) => row = a).ReturnsAsync(true);
        var scheduled = new List<WorkItem>();
        var atDueTime = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        var crash = true;
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Returns((WorkItem i, CancellationToken _) =>
        {
            if (i.DueAt == atDueTime && crash)
            {
                crash = false;
                throw new IOException("The instance died before the welcome's item was written.");
            }

            scheduled.Add(i);
            return Task.CompletedTask;
        });

        await Assert.ThrowsAsync<IOException>(() => PatchAsync("""{"doNotContact":false}"""));

        Assert.False(row!.DoNotContact);
        var intent = Assert.Single(scheduled);
        Assert.Equal((WorkKinds.WelcomeInvitation, stored.Id.Value, AdminFixtures.Now + SetAlumnusFlags.WelcomeBackstop), (intent.Kind, intent.SubjectId, intent.DueAt));
        Assert.True(intent.DueAt > row.WelcomeDueAt, "not superseded: the welcome's consumer ignores only items older than the record's due time");

        Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(await PatchAsync("""{"doNotContact":false}"""));

        Assert.Equal([intent.DueAt, atDueTime], scheduled.Select(i => i.DueAt));
    }

    private void ErasurePending() =>
        alumni.Setup(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var erasing = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net", id: stored.Id);
            (erasing.DoNotContact, erasing.ErasureStartedAt) = (true, AdminFixtures.Now.AddHours(-1));
            return erasing;
        });

    [Theory]
    [InlineData("""{"doNotContact":false}""")]
    [InlineData("""{"rehireEligible":false,"doNotContact":false}""")]
    public async Task ClearingDoNotContactWhileAnErasureIsUnfinished_IsAConflictNamingTheErasure_AndChangesNothing(string body)
    {
        ErasurePending();

        var outcome = await PatchAsync(body);

        var conflict = Assert.IsType<AdminOutcome<AlumnusFlags>.Conflict>(outcome);
        Assert.Equal(ConflictCode.ErasurePending, conflict.Code);
        Assert.Equal(FlagChanges.DoNotContactField, SetAlumnusFlags.ErasurePending.Field);
        Assert.StartsWith(FlagChanges.DoNotContactField, conflict.Reason, StringComparison.Ordinal);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task ClearingDoNotContactFromAPageWhileAnErasureIsUnfinished_IsTheSameConflict()
    {
        ErasurePending();

        var outcome = await EditAsync(new AlumnusFlags(true, true), true, false);

        Assert.Equal(ConflictCode.ErasurePending, Assert.IsType<AdminOutcome<AlumnusFlags>.Conflict>(outcome).Code);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task OtherFlagsWhileAnErasureIsUnfinished_AreSet_AndDoNotContactStays()
    {
        ErasurePending();

        var outcome = await PatchAsync("""{"rehireEligible":false,"doNotContact":true}""");

        Assert.Equal(new AlumnusFlags(false, true), Assert.IsType<AdminOutcome<AlumnusFlags>.Done>(outcome).Value);
        alumni.Verify(a => a.TryUpdateAsync(It.Is<Alumnus>(x => x.DoNotContact && x.ErasureStartedAt != null), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task EditedFromAPage_EveryUpdateLostWhileTheFlagsStillHoldTheShownValues_IsAConflictWithoutAReason()
    {
        // The row kept changing (consent projection, intake) but never its flags: a race to retry, not stale flags.
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var outcome = await EditAsync(new AlumnusFlags(true, false), true, true);

        Assert.Null(Assert.IsType<AdminOutcome<AlumnusFlags>.Conflict>(outcome).Reason);
        alumni.Verify(a => a.GetAsync(stored.Id, It.IsAny<CancellationToken>()), Times.Exactly(SetAlumnusFlags.MaxAttempts));
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Exactly(SetAlumnusFlags.MaxAttempts));
    }

    [Fact]
    public async Task FailedAuditWrite_ChangesNothing()
    {
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("audit down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => PatchAsync("""{"doNotContact":true}"""));

        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
