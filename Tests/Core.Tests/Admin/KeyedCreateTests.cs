using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

/// <summary>The answers every keyed create shares (ADR 0037): to a repeat found before the insert, and to a refused insert.</summary>
public sealed class KeyedCreateTests
{
    private sealed record Row(string Id, string? CreateHash);

    private static readonly KeyedCreate Keyed = new("0123456789abcdef0123456789abcdef", "hash-1");

    private readonly List<string> reads = [];

    private Func<string, Task<Row?>> Reads(Row? stored) => id =>
    {
        reads.Add(id);
        return Task.FromResult(stored?.Id == id ? stored : null);
    };

    [Fact]
    public async Task WithoutAKey_NothingIsRead_AndThereIsNoRepeat()
    {
        var outcome = await KeyedCreate.RepeatOfStoredAsync(null, Reads(new Row(Keyed.Id, "hash-1")), r => r.CreateHash, r => r.Id);

        Assert.Null(outcome);
        Assert.Empty(reads);
    }

    [Fact]
    public async Task RecordStoredUnderTheKey_WithTheSameBody_IsARepeat_AnsweredAsTheCallerShowsIt()
    {
        var outcome = await KeyedCreate.RepeatOfStoredAsync(Keyed, Reads(new Row(Keyed.Id, "hash-1")), r => r.CreateHash, r => $"view of {r.Id}");

        Assert.Equal($"view of {Keyed.Id}", Assert.IsType<AdminOutcome<string>.Repeated>(outcome).Value);
        Assert.Equal([Keyed.Id], reads);
    }

    [Fact]
    public async Task RecordStoredUnderTheKey_WithAnotherBody_IsTheKeysReuse()
    {
        var outcome = await KeyedCreate.RepeatOfStoredAsync(
            Keyed, Reads(new Row(Keyed.Id, "hash-2")), r => r.CreateHash, async r => { await Task.Yield(); return r.Id; });

        Assert.Equal(ConflictCode.IdempotencyKeyReused, Assert.IsType<AdminOutcome<string>.Conflict>(outcome).Code);
    }

    [Fact]
    public async Task NothingStoredUnderTheKey_IsNoRepeat()
    {
        Assert.Null(await KeyedCreate.RepeatOfStoredAsync(Keyed, Reads(null), r => r.CreateHash, r => r.Id));
        Assert.Equal([Keyed.Id], reads);
    }

    [Fact]
    public async Task RefusedInsert_WritesItsNotSavedEntry_BeforeReadingTheWinner_AndAnswersAsTheWinnersRepeat()
    {
        var order = new List<string>();
        var audit = new Mock<IAuditLog>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("audit")).Returns(Task.CompletedTask);
        var notSaved = KeyedCreate.NotSaved(new AuditEntry(AdminFixtures.Now, "admin", "row.created", Keyed.Id, ""), "row", Keyed.Id, AdminFixtures.Now);

        var outcome = await KeyedCreate.NotSavedAsync(audit.Object, notSaved, () =>
        {
            order.Add("read");
            return KeyedCreate.RepeatOfStoredAsync(Keyed, Reads(new Row(Keyed.Id, "hash-1")), r => r.CreateHash, r => r.Id);
        }, new AdminOutcome<string>.Conflict("refused"), CancellationToken.None);

        Assert.Equal(Keyed.Id, Assert.IsType<AdminOutcome<string>.Repeated>(outcome).Value);
        Assert.Equal(["audit", "read"], order);
        audit.Verify(a => a.WriteAsync(notSaved, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RefusedInsert_WithNoWinnerToAnswerFrom_IsAnsweredAsRefused_AfterItsNotSavedEntry()
    {
        var audit = new Mock<IAuditLog>();
        var audited = audit.Captures();
        var notSaved = KeyedCreate.NotSaved(new AuditEntry(AdminFixtures.Now, "admin", "row.created", "r1", ""), "row", "r1", AdminFixtures.Now);
        var refused = new AdminOutcome<string>.Conflict("refused");

        var outcome = await KeyedCreate.NotSavedAsync(
            audit.Object, notSaved, () => KeyedCreate.RepeatOfStoredAsync(null, Reads(null), r => r.CreateHash, r => r.Id), refused, CancellationToken.None);

        Assert.Same(refused, outcome);
        Assert.Equal(["row.create-not-saved"], audited.Select(e => e.Action));
        Assert.Empty(reads);
    }
}
