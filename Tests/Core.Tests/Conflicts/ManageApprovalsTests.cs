using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Tests.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Conflicts;

/// <summary>A compliance officer's decision: audited with its reason, final, and followed by the work it sets off.</summary>
public sealed class ManageApprovalsTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly Mock<IApprovalStore> store = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly HashSet<AlumnusId> erasing = [];
    private readonly FakeTimeProvider time = new(Now);
    private readonly List<string> writes = [];
    private readonly List<AuditEntry> audited;
    private readonly AlumnusId alumnus = AlumnusId.New();
    private Approval approval;

    public ManageApprovalsTests()
    {
        audited = audit.Captures();
        approval = new Approval(new ApprovalRequest(alumnus, "collaboration:abc", "from 佐藤", "admin-1", Now.AddHours(-2), WorkKinds.CollaborationRequest, $"{alumnus}-abc"),
            ApprovalStatus.Pending) { ETag = "e1" };
        store.Setup(s => s.GetAsync(alumnus, "collaboration:abc", It.IsAny<CancellationToken>())).ReturnsAsync(() => approval);
        store.Setup(s => s.TryUpdateAsync(It.IsAny<Approval>(), It.IsAny<CancellationToken>())).Callback(() => writes.Add("decision")).ReturnsAsync(true);
        // Everyone asked about is held, unless a test begins their erasure or removes their row.
        alumni.Setup(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync((AlumnusId id, CancellationToken _) =>
        {
            var held = Builders.Alumnus(Now.AddDays(-30), AlumnusStatus.Joined);
            held.ErasureStartedAt = erasing.Contains(id) ? Now.AddHours(-1) : null;
            return held;
        });
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => writes.Add($"work@{i.DueAt:O}"))
            .Returns(Task.CompletedTask);
    }

    private ManageApprovals Handler(int pageSize = 100) => new(store.Object, work.Object,
        new ErasureRecheck(alumni.Object, work.Object, time, NullLogger<ErasureRecheck>.Instance), audit.Object, time, NullLogger<ManageApprovals>.Instance,
        Options.Create(new ConflictOptions { AdminPageSize = pageSize }));

    private Task<AdminOutcome<Approval>> DecideAsync(string? decision, string? reason, string subject = "collaboration:abc") =>
        Handler().DecideAsync(new ApprovalDecision(alumnus.Value, subject, decision, reason), "officer-7", CancellationToken.None);

    [Fact]
    public async Task ReadingTheQueue_IsAudited_WithEveryAlumnusInItAsASubject()
    {
        store.Setup(s => s.ListAsync(ApprovalStatus.Pending, It.IsAny<CancellationToken>())).ReturnsAsync([approval]);

        var outcome = await Handler().PendingAsync(null, "officer-7", CancellationToken.None);

        var page = Assert.IsType<AdminOutcome<ConflictPage<Approval>>.Done>(outcome).Value;
        Assert.Equal([approval], page.Items);
        Assert.Null(page.Next);
        var entry = Assert.Single(audited);
        Assert.Equal((Now, "officer-7", ConflictAuditActions.ApprovalsRead, "", "pending=1"), (entry.At, entry.Actor, entry.Action, entry.Subject, entry.Detail));
        audit.Verify(a => a.RecordSubjectsAsync(entry, It.Is<IReadOnlyCollection<AlumnusId>>(ids => ids.SequenceEqual(new[] { alumnus })), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task TheQueue_PagesOldestAskedFirst_TiesByKey_EachOnceAcrossPages()
    {
        // A queue is worked first asked, first decided: the oldest must not wait behind every newer one.
        var (a, b) = (AlumnusId.Parse(new string('a', 32)), AlumnusId.Parse(new string('b', 32)));
        Approval Asked(AlumnusId who, string subject, int hoursAgo) =>
            new(new ApprovalRequest(who, subject, "from 佐藤", "admin-1", Now.AddHours(-hoursAgo)), ApprovalStatus.Pending);
        Approval[] pending = [Asked(a, "opening:new", 1), Asked(b, "opening:mid", 5), Asked(a, "opening:mid", 5), Asked(b, "opening:old", 48)];
        store.Setup(s => s.ListAsync(ApprovalStatus.Pending, It.IsAny<CancellationToken>())).ReturnsAsync(pending);
        var handler = Handler(pageSize: 2);

        var first = Assert.IsType<AdminOutcome<ConflictPage<Approval>>.Done>(await handler.PendingAsync(null, "officer-7", CancellationToken.None)).Value;
        var second = Assert.IsType<AdminOutcome<ConflictPage<Approval>>.Done>(await handler.PendingAsync(first.Next, "officer-7", CancellationToken.None)).Value;

        Assert.Equal(["old", "mid"], first.Items.Select(i => i.Request.Subject[8..]));
        Assert.Equal(a, first.Items[1].Request.AlumnusId);
        Assert.Equal([(b, "opening:mid"), (a, "opening:new")], second.Items.Select(i => (i.Request.AlumnusId, i.Request.Subject)));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task TheQueue_LeavesOutThoseWhoseErasureBegunOrRowIsGone_AndLinksANextPageOnlyWhenItShowsSomeone()
    {
        // An erasure stopped after setting its flag (ADR 0008): until it ends, the queue must not name them, nor their requester and reason.
        var (held, erased, gone) = (AlumnusId.Parse(new string('a', 32)), AlumnusId.Parse(new string('b', 32)), AlumnusId.Parse(new string('c', 32)));
        erasing.Add(erased);
        alumni.Setup(a => a.GetAsync(gone, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);
        Approval Asked(AlumnusId who, string subject, int hoursAgo) =>
            new(new ApprovalRequest(who, subject, "from 佐藤", "admin-1", Now.AddHours(-hoursAgo)), ApprovalStatus.Pending);
        Approval[] pending = [Asked(erased, "opening:a", 9), Asked(held, "opening:a", 8), Asked(gone, "opening:a", 7), Asked(held, "opening:b", 6), Asked(erased, "opening:b", 5)];
        store.Setup(s => s.ListAsync(ApprovalStatus.Pending, It.IsAny<CancellationToken>())).ReturnsAsync(pending);

        var page = Assert.IsType<AdminOutcome<ConflictPage<Approval>>.Done>(await Handler(pageSize: 2).PendingAsync(null, "officer-7", CancellationToken.None)).Value;

        Assert.Equal([(held, "opening:a"), (held, "opening:b")], page.Items.Select(i => (i.Request.AlumnusId, i.Request.Subject)));
        Assert.Null(page.Next);
        Assert.Equal("pending=2", Assert.Single(audited).Detail);
        audit.Verify(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.Is<IReadOnlyCollection<AlumnusId>>(ids => ids.SequenceEqual(new[] { held, held })), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Decision_AboutSomeoneWhoseErasureBegun_IsNotFound_AndNothingIsWrittenOrAudited()
    {
        erasing.Add(alumnus);

        var outcome = await DecideAsync("approve", "取引関係なし");

        Assert.IsType<AdminOutcome<Approval>.NotFound>(outcome);
        Assert.Empty(writes);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Approval_IsAuditedWithoutItsFreeText_StoredWithItsReason_AndItsFollowUpScheduled()
    {
        var outcome = await DecideAsync("approve", " 監査業務と無関係 ");

        var decided = Assert.IsType<AdminOutcome<Approval>.Done>(outcome).Value;
        Assert.Equal((ApprovalStatus.Approved, "officer-7", "監査業務と無関係"), (decided.Status, decided.DecidedBy, decided.Reason));
        var entry = Assert.Single(audited);
        Assert.Equal((ManageApprovals.DecidedAction, alumnus.Value, "officer-7"), (entry.Action, entry.Subject, entry.Actor));
        Assert.DoesNotContain("監査業務と無関係", entry.Detail, StringComparison.Ordinal);
        Assert.Contains($"reason-chars={"監査業務と無関係".Length}", entry.Detail, StringComparison.Ordinal);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.CollaborationRequest && i.SubjectId == $"{alumnus}-abc" && i.DueAt == Now + IntentWork.WriteGrace), It.IsAny<CancellationToken>()));
    }

    /// <summary>
    /// A crash after the decision's write must not leave the follow-up unwritten (a collaboration request would wait for
    /// approval forever): it is written first, due a moment later, and not again when the write was quick.
    /// </summary>
    [Fact]
    public async Task Decision_WritesItsFollowUpBeforeTheDecision_DueAfterTheWriteGrace()
    {
        Assert.IsType<AdminOutcome<Approval>.Done>(await DecideAsync("approve", "ok"));

        Assert.Equal([$"work@{Now + IntentWork.WriteGrace:O}", "decision"], writes);
    }

    [Fact]
    public async Task DecisionWrittenLate_WritesTheFollowUpAgain_SoOneThatRanEarlyAndFoundItPendingIsNotTheLast()
    {
        store.Setup(s => s.TryUpdateAsync(It.IsAny<Approval>(), It.IsAny<CancellationToken>())).Callback(() =>
        {
            time.Advance(TimeSpan.FromSeconds(4));
            writes.Add("decision");
        }).ReturnsAsync(true);

        Assert.IsType<AdminOutcome<Approval>.Done>(await DecideAsync("approve", "ok"));

        Assert.Equal([$"work@{Now + IntentWork.WriteGrace:O}", "decision", $"work@{Now.AddSeconds(4) + IntentWork.WriteGrace:O}"], writes);
    }

    [Fact]
    public async Task DecisionLostToAnotherWrite_IsAConflict_AfterTheFollowUpWasWritten_WhichFindsItPending()
    {
        store.Setup(s => s.TryUpdateAsync(It.IsAny<Approval>(), It.IsAny<CancellationToken>())).Callback(() => writes.Add("decision")).ReturnsAsync(false);

        Assert.Equal(ConflictCode.Unnamed, Assert.IsType<AdminOutcome<Approval>.Conflict>(await DecideAsync("approve", "ok")).Code);

        Assert.Equal([$"work@{Now + IntentWork.WriteGrace:O}", "decision"], writes);
        // What the follow-up asks when it runs (SendApprovedOpeningTests runs one on this answer: no mail).
        Assert.False(await new ComplianceApprovals(store.Object).IsApprovedAsync(alumnus, "collaboration:abc", CancellationToken.None));
    }

    [Theory]
    [InlineData("approve", ApprovalStatus.Approved)]
    [InlineData("reject", ApprovalStatus.Rejected)]
    public async Task DecisionLostToAnotherWrite_IsAuditedAsNotSaved_AfterTheDecisionEntry(string decision, ApprovalStatus status)
    {
        store.Setup(s => s.TryUpdateAsync(It.IsAny<Approval>(), It.IsAny<CancellationToken>())).Callback(() => time.Advance(TimeSpan.FromSeconds(2))).ReturnsAsync(false);

        Assert.IsType<AdminOutcome<Approval>.Conflict>(await DecideAsync(decision, "監査業務と無関係"));

        // Audit first (ADR 0005): the decision is logged before the write; the entry after it says the write did not happen.
        Assert.Equal([ManageApprovals.DecidedAction, ManageApprovals.DecisionNotSavedAction], audited.Select(e => e.Action));
        var notSaved = audited[^1];
        Assert.Equal((Now.AddSeconds(2), "officer-7", alumnus.Value, $"collaboration:abc: {status} not saved: the approval changed meanwhile"),
            (notSaved.At, notSaved.Actor, notSaved.Subject, notSaved.Detail));
        Assert.All(audited, e => Assert.DoesNotContain("監査業務と無関係", e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SameDecisionAgain_ChangesNothing_ButSchedulesTheFollowUpAgain()
    {
        approval = approval with { Status = ApprovalStatus.Rejected, Reason = "no" };

        Assert.IsType<AdminOutcome<Approval>.Done>(await DecideAsync("reject", "still no"));

        Assert.Empty(audited);
        store.Verify(s => s.TryUpdateAsync(It.IsAny<Approval>(), It.IsAny<CancellationToken>()), Times.Never);
        work.Verify(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task OppositeDecisionAfterwards_IsAConflict_AndChangesNothing()
    {
        approval = approval with { Status = ApprovalStatus.Rejected, Reason = "no" };

        // Named, so the console can say so in the officer's language rather than show the reason's English.
        Assert.Equal(ConflictCode.AlreadyDecided, Assert.IsType<AdminOutcome<Approval>.Conflict>(await DecideAsync("approve", "changed my mind")).Code);

        Assert.Empty(audited);
        store.Verify(s => s.TryUpdateAsync(It.IsAny<Approval>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>A browser counts each line break as one character against the field's limit, then sends CRLF.</summary>
    [Fact]
    public async Task ReasonWithinTheLimitSentWithCrlf_IsMeasuredAndStoredWithLf()
    {
        // Four lines of 100 and one of 96: 500 characters with LF, 504 as sent.
        var lines = string.Join("\r\n", Enumerable.Repeat(new string('理', 100), 4).Append(new string('理', 96)));

        var decided = Assert.IsType<AdminOutcome<Approval>.Done>(await DecideAsync("approve", lines)).Value;

        Assert.Equal(ApprovalDecision.MaxReasonLength, decided.Reason!.Length);
        Assert.DoesNotContain('\r', decided.Reason);
        Assert.Contains($"reason-chars={ApprovalDecision.MaxReasonLength}", Assert.Single(audited).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReasonOverTheLimitOnceLineBreaksAreLf_IsInvalid_AndNothingIsWritten()
    {
        var lines = string.Join("\r\n", Enumerable.Repeat(new string('理', 100), 4).Append(new string('理', 97)));

        Assert.IsType<AdminOutcome<Approval>.Invalid>(await DecideAsync("approve", lines));

        Assert.Empty(audited);
        Assert.Empty(writes);
    }

    [Theory]
    [InlineData("監査業務と\u202E係関無")]
    [InlineData("理由\u2029続き")]
    public async Task ReasonWithMisleadingCharacters_IsInvalidNamingIt_AndNothingIsWritten(string reason)
    {
        var invalid = Assert.IsType<AdminOutcome<Approval>.Invalid>(await DecideAsync("approve", reason));

        Assert.Equal(new Core.Validation.FieldError(ApprovalDecision.ReasonField, Core.Validation.FreeText.MisleadingRule), Assert.Single(invalid.Errors));
        Assert.Empty(audited);
        Assert.Empty(writes);
    }

    [Theory]
    [InlineData("approve", "")]
    [InlineData("approve", "   ")]
    [InlineData("maybe", "reason")]
    [InlineData(null, "reason")]
    public async Task MissingReasonOrDecision_IsInvalid_AndNothingIsWritten(string? decision, string reason)
    {
        Assert.IsType<AdminOutcome<Approval>.Invalid>(await DecideAsync(decision, reason));

        Assert.Empty(audited);
        work.Verify(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("collaboration:other")]
    [InlineData("collaboration/../x")]
    public async Task UnknownSubject_IsNotFound(string subject) =>
        Assert.IsType<AdminOutcome<Approval>.NotFound>(await DecideAsync("approve", "ok", subject));
}
