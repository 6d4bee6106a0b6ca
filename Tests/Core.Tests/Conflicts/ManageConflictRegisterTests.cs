using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Conflicts;

/// <summary>Changes to the register whose write saved nothing: each entry left standing in the audit log was saved (ADR 0005).</summary>
public sealed class ManageConflictRegisterTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IConflictRegister> register = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConflictAssessments> assessments = new();
    private readonly List<string> actions = [];
    private readonly RegisterEntry entry = new(RegisterEntry.NewId(), "株式会社サンプル商事", ConflictCategory.Competitor, ["Sample Trading"], 30, "officer", Now.AddDays(-10));

    public ManageConflictRegisterTests()
    {
        register.Setup(r => r.GetAsync(entry.Id, It.IsAny<CancellationToken>())).ReturnsAsync(entry);
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback((AuditEntry e, CancellationToken _) => actions.Add(e.Action));
    }

    private ManageConflictRegister Handler()
    {
        var erasure = new ErasureRecheck(alumni.Object, work.Object, time, NullLogger<ErasureRecheck>.Instance);
        var checks = new ConflictChecks(register.Object, assessments.Object, Mock.Of<IProfileStore>(), alumni.Object, work.Object,
            new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance), erasure, time, NullLogger<ConflictChecks>.Instance);
        var creates = new IdempotentCreates(new Pseudonyms(Options.Create(new PrivacyOptions { PseudonymKey = Convert.ToBase64String(new byte[32]) })));
        return new ManageConflictRegister(register.Object, assessments.Object, checks, erasure, audit.Object, creates, time,
            NullLogger<ManageConflictRegister>.Instance, Options.Create(new ConflictOptions { AdminPageSize = 2 }));
    }

    [Fact]
    public async Task Flagged_LeavesOutThoseWhoseErasureBegunOrRowIsGone_AndLinksANextPageOnlyWhenItShowsSomeone()
    {
        // An erasure stopped after setting its flag (ADR 0008): until it ends, the list must not show their matched name or employer.
        AlumnusId Person(string digit, DateTimeOffset? erasureStartedAt)
        {
            var row = Builders.Alumnus(Now.AddDays(-30), AlumnusStatus.Joined);
            row.ErasureStartedAt = erasureStartedAt;
            var id = AlumnusId.Parse(string.Concat(Enumerable.Repeat(digit, 32)));
            alumni.Setup(a => a.GetAsync(id, It.IsAny<CancellationToken>())).ReturnsAsync(row);
            return id;
        }

        var (held, other, erased, erasedToo) = (Person("a", null), Person("b", null), Person("c", Now.AddHours(-1)), Person("e", Now.AddHours(-2)));
        var gone = AlumnusId.Parse(new string('d', 32));
        ConflictAssessment Flagged(AlumnusId who, int daysAgo) =>
            new(who, entry.Id, ConflictCategory.Competitor, "株式会社サンプル商事", "サンプル商事", "サンプル商事", Now.AddDays(-daysAgo));
        assessments.Setup(a => a.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([Flagged(erased, 1), Flagged(held, 2), Flagged(gone, 3), Flagged(other, 4), Flagged(erasedToo, 5)]);

        var outcome = await Handler().FlaggedAsync(null, "officer", CancellationToken.None);

        var page = Assert.IsType<AdminOutcome<ConflictPage<ConflictAssessment>>.Done>(outcome).Value;
        Assert.Equal([held, other], page.Items.Select(a => a.AlumnusId));
        Assert.Null(page.Next);
        Assert.Equal([ConflictAuditActions.FlagsRead], actions);
        audit.Verify(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.Is<IReadOnlyCollection<AlumnusId>>(ids => ids.SequenceEqual(new[] { held, other })), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Remove_LostToAnotherWrite_FollowsItsEntryWithTheNotSavedEntry()
    {
        register.Setup(r => r.RemoveAsync(entry, It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var outcome = await Handler().RemoveAsync(entry.Id, seen: null, "officer", CancellationToken.None);

        Assert.IsType<AdminOutcome<RegisterEntry>.Conflict>(outcome);
        Assert.Equal([ConflictAuditActions.EntryRemoved, UnsavedChange.NotSavedAction(ConflictAuditActions.EntryRemoved)], actions);
    }

    [Fact]
    public async Task Remove_Saved_WritesOnlyItsEntry()
    {
        register.Setup(r => r.RemoveAsync(entry, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var outcome = await Handler().RemoveAsync(entry.Id, seen: null, "officer", CancellationToken.None);

        Assert.IsType<AdminOutcome<RegisterEntry>.Done>(outcome);
        Assert.Equal([ConflictAuditActions.EntryRemoved], actions);
    }

    public static TheoryData<string> LostReplaces => ["changed", "duplicate"];

    [Theory]
    [MemberData(nameof(LostReplaces))]
    public async Task Replace_LostToAnotherWrite_FollowsItsEntryWithTheNotSavedEntry(string lostTo)
    {
        RegisterWrite lost = lostTo == "changed" ? new RegisterWrite.Changed() : new RegisterWrite.Duplicate("Sample Trading", null);
        register.Setup(r => r.ReplaceAsync(It.IsAny<RegisterEntry>(), It.IsAny<CancellationToken>())).ReturnsAsync(lost);

        var outcome = await Handler().ReplaceAsync(entry.Id, RegisterForm.From(entry) with { CoolingOffDays = "60" }, seen: null, "officer", CancellationToken.None);

        Assert.IsType<AdminOutcome<RegisterEntry>.Conflict>(outcome);
        Assert.Equal([ConflictAuditActions.EntryChanged, UnsavedChange.NotSavedAction(ConflictAuditActions.EntryChanged)], actions);
    }
}
