using Azure.Data.Tables;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>
/// The dispatcher against the work-item table on Azurite, on a clock the test moves: a run still going keeps its item's
/// lease, and the pending query reads only due, unheld items (ADR 0016).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableWorkItemStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(TimeProvider.System.GetUtcNow());
    private TestApp app = null!;

    private IWorkItemStore Store => app.Services.GetRequiredService<IWorkItemStore>();

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite, services: s => s.AddSingleton<TimeProvider>(clock));

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<IReadOnlyList<WorkMessage>> DispatchAsync()
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Core.Scheduling.DispatchDueWork>().HandleAsync(CancellationToken.None);
    }

    private async Task<WorkItem> ScheduleAsync(DateTimeOffset due)
    {
        var item = new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = Guid.NewGuid().ToString("N"), DueAt = due };
        await Store.ScheduleAsync(item, CancellationToken.None);
        return (await Store.FindAsync(item.PartitionKey, item.RowKey, CancellationToken.None))!;
    }

    private async Task ChangeAsync(WorkItem item, Action<WorkItem> change)
    {
        var stored = (await Store.FindAsync(item.PartitionKey, item.RowKey, CancellationToken.None))!;
        change(stored);
        Assert.True(await Store.TryUpdateAsync(stored, CancellationToken.None));
    }

    [Fact]
    public async Task DispatchWhileARunMayStillGoOn_DoesNotDispatchItsItemAgain_UntilTheLeaseOutlastsTheRun()
    {
        var item = await ScheduleAsync(clock.GetUtcNow().AddMinutes(-1));
        Assert.Equal(item.SubjectId, Assert.Single(await DispatchAsync()).SubjectId);

        // A campaign batch runs up to the function timeout: its item is not dispatched beside it.
        clock.Advance(SendingOptions.FunctionTimeout);
        Assert.Empty(await DispatchAsync());

        // Nobody reported by the lease's end (7 minutes): the message was lost, and the item goes out again.
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(item.SubjectId, Assert.Single(await DispatchAsync()).SubjectId);
    }

    [Fact]
    public async Task PendingQuery_ReadsOnlyDueUnheldItems_NotABacklogOfHeldOnes()
    {
        var now = clock.GetUtcNow();
        for (var i = 0; i < 40; i++)
        {
            await ScheduleAsync(now.AddMinutes(-2));
        }

        Assert.Equal(40, (await DispatchAsync()).Count);
        var deferred = await ScheduleAsync(now.AddMinutes(-2));
        await ChangeAsync(deferred, w => w.Lease(now.AddMinutes(-2), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30)));
        await ChangeAsync(deferred, w => w.Defer(now.AddHours(1)));
        await ScheduleAsync(now.AddMinutes(30));
        var retried = await ScheduleAsync(now.AddMinutes(-3));
        await ChangeAsync(retried, w => w.Lease(now.AddMinutes(-3), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30)));
        await ChangeAsync(retried, w => w.MarkFailed("provider-refused:401", now));
        await ChangeAsync(retried, w => w.Retry());
        var due = new[] { await ScheduleAsync(now.AddMinutes(-1)), await ScheduleAsync(now.AddSeconds(-10)), await ScheduleAsync(now.AddSeconds(-1)) };
        var expected = due.Append(retried).Select(w => w.SubjectId).Order(StringComparer.Ordinal).ToArray();

        var read = new List<string>();
        await foreach (var item in Store.QueryPendingAsync(now, CancellationToken.None))
        {
            read.Add(item.SubjectId);
        }

        Assert.Equal(expected, read.Order(StringComparer.Ordinal));
        Assert.Equal(expected, (await DispatchAsync()).Select(m => m.SubjectId).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// An item an operator retried under the previous version: pending, dispatched before, and its lease cleared (the
    /// column absent), as that version wrote it. The pending query alone never finds it (ADR 0003).
    /// </summary>
    private async Task<string> WriteLeaselessRetryAsync(DateTimeOffset due)
    {
        var item = new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = Guid.NewGuid().ToString("N"), DueAt = due };
        var table = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.WorkItems);
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity(item.PartitionKey, item.RowKey)
        {
            ["Kind"] = item.Kind,
            ["SubjectId"] = item.SubjectId,
            ["DueAt"] = due,
            ["Status"] = nameof(WorkItemStatus.Pending),
            ["DispatchCount"] = 3,
            ["UnhandledDispatches"] = 0,
            ["Attempts"] = 0,
            ["LastError"] = "provider-refused:401",
        });
        return item.SubjectId;
    }

    [Fact]
    public async Task ItemRetriedUnderThePreviousVersionWithoutALease_IsDispatched_AtStartAndWithinTheHourAfter()
    {
        var before = await WriteLeaselessRetryAsync(clock.GetUtcNow().AddDays(-1));

        var first = Assert.Single(await DispatchAsync());
        Assert.Equal(before, first.SubjectId);
        await Store.CompleteAsync(first.PartitionKey, first.RowKey, CancellationToken.None);

        // Retried on an old instance still running after this one started: found by the hourly look, not each minute's.
        var during = await WriteLeaselessRetryAsync(clock.GetUtcNow().AddMinutes(-30));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await DispatchAsync());
        clock.Advance(TableWorkItemStore.LeaselessRetrySweep);
        Assert.Equal([during], (await DispatchAsync()).Select(m => m.SubjectId));
    }
}
