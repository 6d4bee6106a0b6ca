using AlumniNetwork.Core.Storage;

namespace AlumniNetwork.Core.Tests.Storage;

public sealed class RowTurnsTests
{
    [Fact]
    public async Task SecondCallerForTheSameKey_WaitsUntilTheFirstTurnEnds()
    {
        var turns = new RowTurns();
        var first = await turns.TakeAsync("event-1", CancellationToken.None);

        var second = turns.TakeAsync("event-1", CancellationToken.None);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task EndingATurnTwice_ReleasesItOnce()
    {
        var turns = new RowTurns();
        var first = await turns.TakeAsync("event-1", CancellationToken.None);
        first.Dispose();
        first.Dispose();

        using var second = await turns.TakeAsync("event-1", CancellationToken.None);
        Assert.False(turns.TakeAsync("event-1", CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task WaitingForATurn_EndsWhenTheCallerGivesUp()
    {
        var turns = new RowTurns();
        using var held = await turns.TakeAsync("event-1", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = turns.TakeAsync("event-1", cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
