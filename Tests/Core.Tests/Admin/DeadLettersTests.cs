using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class DeadLettersTests
{
    private const string Queue = "welcome-invitations";
    private readonly Mock<IDeadLetters> deadLetters = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<AuditEntry> audited = [];
    private readonly List<(string Action, AlumnusId[] Subjects)> subjects = [];
    private readonly List<string> order = [];
    private readonly AlumnusId hanako = AlumnusId.New();
    private readonly AlumnusId taro = AlumnusId.New();

    public DeadLettersTests()
    {
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => { audited.Add(e); order.Add("audit:" + e.Action); })
            .Returns(Task.CompletedTask);
        audit.Setup(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.IsAny<IReadOnlyCollection<AlumnusId>>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, IReadOnlyCollection<AlumnusId> ids, CancellationToken _) => subjects.Add((e.Action, ids.ToArray())))
            .Returns(Task.CompletedTask);
        deadLetters.Setup(d => d.CountAsync(Queue, It.IsAny<CancellationToken>())).ReturnsAsync(1);
    }

    private RedriveDeadLetters Redrive() =>
        new(deadLetters.Object, new MessageQueueNames([Queue]), audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<RedriveDeadLetters>.Instance);

    private static string Body(string kind, string subject) =>
        JsonSerializer.Serialize(new WorkItem { Kind = kind, SubjectId = subject, DueAt = AdminFixtures.Now }.ToMessage(), JsonSerializerOptions.Web);

    private void Moves(params string[] bodies) =>
        deadLetters.Setup(d => d.RedriveAsync(Queue, It.IsAny<int>(), It.IsAny<ICollection<string>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, int _, ICollection<string> moved, CancellationToken _) => { order.Add("move"); foreach (var body in bodies) { moved.Add(body); } })
            .Returns(Task.CompletedTask);

    /// <summary>The move reports <paramref name="bodies"/> as moved, then stops with <paramref name="failure"/>.</summary>
    private void MovesThenFails(Exception failure, params string[] bodies) =>
        deadLetters.Setup(d => d.RedriveAsync(Queue, It.IsAny<int>(), It.IsAny<ICollection<string>>(), It.IsAny<CancellationToken>()))
            .Returns((string _, int _, ICollection<string> moved, CancellationToken _) =>
            {
                foreach (var body in bodies)
                {
                    moved.Add(body);
                }

                return Task.FromException(failure);
            });

    [Fact]
    public async Task Redrive_AuditsTheAskBeforeTheMove_AndHowManyMovedAfterIt()
    {
        Moves(Body(WorkKinds.WelcomeInvitation, hanako.Value), """{"n":1}""");

        var outcome = await Redrive().HandleAsync(Queue, "5", "admin-sub", CancellationToken.None);

        Assert.Equal(new RedriveResult(Queue, 2, 1), Assert.IsType<AdminOutcome<RedriveResult>.Done>(outcome).Value);
        Assert.Equal(["audit:" + AdminAuditActions.DeadLettersRedriven, "move", "audit:" + AdminAuditActions.DeadLettersRedriveCompleted], order);
        Assert.Equal([(AdminAuditActions.DeadLettersRedriven, Queue, "limit=5"), (AdminAuditActions.DeadLettersRedriveCompleted, Queue, "limit=5; moved=2")],
            audited.Select(e => (e.Action, e.Subject, e.Detail)));
        Assert.All(audited, e => Assert.Equal("admin-sub", e.Actor));
    }

    [Fact]
    public async Task Redrive_RecordsTheAlumniTheMovedBodiesNameAgainstTheCompletedEntry()
    {
        Moves(
            Body(WorkKinds.WelcomeInvitation, hanako.Value),
            Body(WorkKinds.EventNotices, $"{AlumnusId.New().Value[..8]}x-{taro.Value}"),
            Body(WorkKinds.WelcomeInvitation, hanako.Value),
            Body(WorkKinds.OpeningApproved, $"{AlumnusId.New().Value[..8]}x-{AlumnusId.New().Value}"),
            "not json",
            Body(WorkKinds.WelcomeInvitation, AlumnusId.New().Value)[..40]);

        await Redrive().HandleAsync(Queue, null, "admin-sub", CancellationToken.None);

        var (action, ids) = Assert.Single(subjects);
        Assert.Equal(AdminAuditActions.DeadLettersRedriveCompleted, action);
        Assert.Equal(new[] { hanako, taro }.Select(i => i.Value).Order(StringComparer.Ordinal), ids.Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Redrive_WhenTheMoveFailsPartWay_RecordsWhatMovedAgainstTheAlumniItNames_AndTheFailureStillSurfaces()
    {
        MovesThenFails(new InvalidOperationException("down"), Body(WorkKinds.WelcomeInvitation, hanako.Value), Body(WorkKinds.WelcomeInvitation, taro.Value));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Redrive().HandleAsync(Queue, "5", "admin-sub", CancellationToken.None));

        Assert.Equal([(AdminAuditActions.DeadLettersRedriven, "limit=5"), (AdminAuditActions.DeadLettersRedriveCompleted, "limit=5; moved=2; failed")],
            audited.Select(e => (e.Action, e.Detail)));
        var (action, ids) = Assert.Single(subjects);
        Assert.Equal(AdminAuditActions.DeadLettersRedriveCompleted, action);
        Assert.Equal(new[] { hanako, taro }.Select(i => i.Value).Order(StringComparer.Ordinal), ids.Select(i => i.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Redrive_WhenTheRequestIsCancelledPartWay_StillRecordsWhatMoved()
    {
        using var request = new CancellationTokenSource();
        var tokens = new List<CancellationToken>();
        audit.Setup(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.IsAny<IReadOnlyCollection<AlumnusId>>(), It.IsAny<CancellationToken>()))
            .Returns((AuditEntry e, IReadOnlyCollection<AlumnusId> ids, CancellationToken token) =>
            {
                subjects.Add((e.Action, ids.ToArray()));
                return token.IsCancellationRequested ? Task.FromCanceled(token) : Task.CompletedTask;
            });
        deadLetters.Setup(d => d.RedriveAsync(Queue, It.IsAny<int>(), It.IsAny<ICollection<string>>(), It.IsAny<CancellationToken>()))
            .Returns((string _, int _, ICollection<string> moved, CancellationToken token) =>
            {
                moved.Add(Body(WorkKinds.WelcomeInvitation, hanako.Value));
                request.Cancel();
                return Task.FromCanceled(token);
            });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Redrive().HandleAsync(Queue, null, "admin-sub", request.Token));

        Assert.Equal("limit=100; moved=1; failed", audited[^1].Detail);
        Assert.Equal(hanako, Assert.Single(Assert.Single(subjects).Subjects));
        audit.Verify(a => a.WriteAsync(It.Is<AuditEntry>(e => e.Action == AdminAuditActions.DeadLettersRedriveCompleted), It.Is<CancellationToken>(t => !t.CanBeCanceled)));
    }

    [Fact]
    public async Task Redrive_WhenNothingMovedBeforeTheFailure_SaysSo()
    {
        MovesThenFails(new InvalidOperationException("down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Redrive().HandleAsync(Queue, null, "admin-sub", CancellationToken.None));

        Assert.Equal([(AdminAuditActions.DeadLettersRedriven, "limit=100"), (AdminAuditActions.DeadLettersRedriveCompleted, "limit=100; moved=0; failed")],
            audited.Select(e => (e.Action, e.Detail)));
        Assert.Empty(Assert.Single(subjects).Subjects);
    }

    [Fact]
    public async Task Redrive_OfAQueueTheAppDoesNotConsume_AuditsAndMovesNothing()
    {
        var outcome = await Redrive().HandleAsync("someone-elses-queue", null, "admin-sub", CancellationToken.None);

        Assert.IsType<AdminOutcome<RedriveResult>.NotFound>(outcome);
        Assert.Empty(audited);
        deadLetters.Verify(d => d.RedriveAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<ICollection<string>>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
