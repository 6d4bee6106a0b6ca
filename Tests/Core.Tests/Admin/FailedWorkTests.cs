using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class FailedWorkTests
{
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<AuditEntry> audited;
    private readonly List<(string Action, AlumnusId[] Subjects)> subjects = [];
    private readonly AlumnusId hanako = AlumnusId.New();
    private readonly AlumnusId taro = AlumnusId.New();

    public FailedWorkTests()
    {
        audited = audit.Captures();
        audit.Setup(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.IsAny<IReadOnlyCollection<AlumnusId>>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, IReadOnlyCollection<AlumnusId> ids, CancellationToken _) => subjects.Add((e.Action, ids.ToArray())))
            .Returns(Task.CompletedTask);
        var failed = new[] { Failed(hanako.Value), Failed($"{AlumnusId.New().Value[..8]}x-{taro.Value}"), Failed($"conflict:{AlumnusId.New().Value}") };
        work.Setup(w => w.QueryFailedAsync(It.IsAny<CancellationToken>())).Returns(() => failed.ToAsyncEnumerable());
        work.Setup(w => w.TryUpdateAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    private static WorkItem Failed(string subject) => new() { Kind = WorkKinds.All[0], SubjectId = subject, DueAt = AdminFixtures.Now.AddDays(-1) };

    [Fact]
    public async Task Listing_RecordsTheAlumniTheListedItemsNameInTheirTrail()
    {
        await new ListFailedWork(work.Object, audit.Object, new FakeTimeProvider(AdminFixtures.Now)).HandleAsync(null, null, "admin-sub", CancellationToken.None);

        var (action, ids) = Assert.Single(subjects);
        Assert.Equal(AdminAuditActions.FailedWorkRead, action);
        Assert.Equal(new[] { hanako, taro }.Select(i => i.Value).Order(StringComparer.Ordinal), ids.Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Listing_RecordsNoSubjectForWorkWhoseKindWouldRevealAConflictCheck()
    {
        var approved = new WorkItem { Kind = WorkKinds.OpeningApproved, SubjectId = $"{AlumnusId.New().Value}-{hanako.Value}", DueAt = AdminFixtures.Now.AddDays(-1) };
        work.Setup(w => w.QueryFailedAsync(It.IsAny<CancellationToken>())).Returns(() => new[] { approved }.ToAsyncEnumerable());

        await new ListFailedWork(work.Object, audit.Object, new FakeTimeProvider(AdminFixtures.Now)).HandleAsync(null, null, "admin-sub", CancellationToken.None);

        Assert.Empty(Assert.Single(subjects).Subjects);
    }

    [Fact]
    public async Task Retry_RecordsHowManyWereRetriedAndTheAlumniTheyName()
    {
        await new RetryFailedWork(work.Object, audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<RetryFailedWork>.Instance)
            .HandleAsync(null, "2", "admin-sub", CancellationToken.None);

        Assert.Equal([(AdminAuditActions.FailedWorkRetried, "limit=2"), (AdminAuditActions.FailedWorkRetryCompleted, "limit=2; retried=2; remaining=1")],
            audited.Select(e => (e.Action, e.Detail)));
        var (action, ids) = Assert.Single(subjects);
        Assert.Equal(AdminAuditActions.FailedWorkRetryCompleted, action);
        Assert.Equal(new[] { hanako, taro }.Select(i => i.Value).Order(StringComparer.Ordinal), ids.Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Retry_WhenAnUpdateFailsPartWay_RecordsWhatWasRetriedAgainstTheAlumniItNames_AndTheFailureStillSurfaces()
    {
        work.SetupSequence(w => w.TryUpdateAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(true)
            .ThrowsAsync(new InvalidOperationException("down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => new RetryFailedWork(work.Object, audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<RetryFailedWork>.Instance)
            .HandleAsync(null, null, "admin-sub", CancellationToken.None));

        Assert.Equal([(AdminAuditActions.FailedWorkRetried, "limit=100"), (AdminAuditActions.FailedWorkRetryCompleted, "limit=100; retried=1; failed")],
            audited.Select(e => (e.Action, e.Detail)));
        var (action, ids) = Assert.Single(subjects);
        Assert.Equal(AdminAuditActions.FailedWorkRetryCompleted, action);
        Assert.Equal(hanako, Assert.Single(ids));
        audit.Verify(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.IsAny<IReadOnlyCollection<AlumnusId>>(), It.Is<CancellationToken>(t => !t.CanBeCanceled)));
    }
}
