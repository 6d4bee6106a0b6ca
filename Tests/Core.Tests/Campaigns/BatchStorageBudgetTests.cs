using AlumniNetwork.Core.Campaigns;

namespace AlumniNetwork.Core.Tests.Campaigns;

public sealed class BatchStorageBudgetTests
{
    [Fact]
    public async Task EverySlotTaken_RoundTripWaitsUntilOneFrees()
    {
        using var budget = new BatchStorageBudget(2);
        var release = new TaskCompletionSource();
        var holding = new[] { budget.RunAsync(() => release.Task, CancellationToken.None), budget.RunAsync(() => release.Task, CancellationToken.None) };
        var ran = false;

        var waiting = budget.RunAsync(() => { ran = true; return Task.CompletedTask; }, CancellationToken.None);

        Assert.False(ran);
        Assert.False(waiting.IsCompleted);
        release.SetResult();
        await Task.WhenAll([.. holding, waiting]);
        Assert.True(ran);
    }

    [Fact]
    public async Task FailedRoundTrip_FreesItsSlot()
    {
        using var budget = new BatchStorageBudget(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => budget.RunAsync(() => throw new InvalidOperationException("storage failed"), CancellationToken.None));

        // With the slot free again, the next round trip starts at once.
        var next = budget.RunAsync(() => Task.CompletedTask, CancellationToken.None);
        Assert.True(next.IsCompletedSuccessfully);
        await next;
    }

    [Fact]
    public async Task CancelledWait_RunsNothingAndTakesNoSlot()
    {
        using var budget = new BatchStorageBudget(1);
        var release = new TaskCompletionSource();
        var holding = budget.RunAsync(() => release.Task, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var ran = false;

        var waiting = budget.RunAsync(() => { ran = true; return Task.CompletedTask; }, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult();
        await holding;
        Assert.False(ran);
        Assert.True(budget.RunAsync(() => Task.CompletedTask, CancellationToken.None).IsCompletedSuccessfully);
    }
}
