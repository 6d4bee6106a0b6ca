using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Storage;

/// <summary>Work items partitioned by due hour; completed items are deleted, so a scan reads only open work.</summary>
/// <remarks>A singleton: it remembers when it last looked for items retried without a lease (<see cref="LeaselessRetrySweep"/>).</remarks>
public sealed class TableWorkItemStore(AlumniTables tables) : IWorkItemStore
{
    /// <summary>
    /// How often the pending query also looks for pending items that were dispatched and have no lease: an operator's
    /// retry under a version that cleared the lease (ADR 0003). The first query of each process looks, so a deployment
    /// finds them at once; the later ones catch a retry made on an old instance still running during the swap.
    /// </summary>
    public static readonly TimeSpan LeaselessRetrySweep = TimeSpan.FromHours(1);

    private long nextSweepTicks;

    public async Task ScheduleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WorkItems, cancellationToken);
        await table.TryAddAsync(ToEntity(item), cancellationToken);
    }

    public async IAsyncEnumerable<WorkItem> QueryPendingAsync(DateTimeOffset now, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (now.UtcTicks >= Interlocked.Read(ref nextSweepTicks))
        {
            await LeaseLeaselessRetriesAsync(cancellationToken);
            Interlocked.Exchange(ref nextSweepTicks, (now + LeaselessRetrySweep).UtcTicks);
        }

        // Due and not held, in the query: a backlog of held items (deferred, backing off, in flight) is not read each run.
        // An item never dispatched has no lease (the column is absent, and a comparison with it is false), hence the
        // DispatchCount clause; every later write of the item sets the lease (a retry sets it to the due time).
        await foreach (var item in QueryAsync(TableClient.CreateQueryFilter(
            $"PartitionKey le {WorkItem.PartitionFor(now)} and Status eq {nameof(WorkItemStatus.Pending)} and DueAt le {now} and (LeasedUntil le {now} or DispatchCount eq {0})"), cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>
    /// An item an operator retried under an earlier version, which cleared the lease, is pending, was dispatched and has
    /// no <c>LeasedUntil</c>: the pending query never finds it. Each gets the lease a retry sets now, its due time, by a
    /// merge conditional on the row as read (a dispatch or a handler that wrote it since has set a lease anyway). No
    /// filter can ask for an absent column, so every pending dispatched item is read: hence only now and then.
    /// </summary>
    private async Task LeaseLeaselessRetriesAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WorkItems, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"Status eq {nameof(WorkItemStatus.Pending)} and DispatchCount gt {0}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (entity.GetDateTimeOffset("LeasedUntil") is null && entity.GetDateTimeOffset("DueAt") is { } dueAt)
            {
                await table.TryMergeAsync(new TableEntity(entity.PartitionKey, entity.RowKey) { ["LeasedUntil"] = dueAt, ETag = entity.ETag }, cancellationToken);
            }
        }
    }

    public IAsyncEnumerable<WorkItem> QueryFailedAsync(CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"Status eq {nameof(WorkItemStatus.Failed)}"), cancellationToken);

    public async Task<WorkItem?> FindAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WorkItems, cancellationToken);
        return await table.FindAsync<TableEntity>(partitionKey, rowKey, cancellationToken) is { } entity ? FromEntity(entity) : null;
    }

    public async Task<bool> TryUpdateAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WorkItems, cancellationToken);
        var etag = await table.TryReplaceReadAsync(ToEntity(item), item.ETag, cancellationToken);
        item.ETag = etag ?? item.ETag;
        return etag is not null;
    }

    public async Task CompleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WorkItems, cancellationToken);
        await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
    }

    private async IAsyncEnumerable<WorkItem> QueryAsync(string? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WorkItems, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    public async Task<IReadOnlyList<WorkItem>> AboutAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        // A subject may end with the id, which no server-side filter can express: the table is read whole (it holds only
        // open work) and matched here.
        var items = new List<WorkItem>();
        await foreach (var item in QueryAsync(null, cancellationToken))
        {
            if (WorkSubjects.IsAbout(item.SubjectId, alumnusId))
            {
                items.Add(item);
            }
        }

        return items;
    }

    private static WorkItem FromEntity(TableEntity entity) => WorkItem.Restore(
        entity.GetString("Kind"),
        entity.GetString("SubjectId"),
        entity.GetDateTimeOffset("DueAt")!.Value,
        Enum.Parse<WorkItemStatus>(entity.GetString("Status")),
        entity.GetDateTimeOffset("LeasedUntil"),
        entity.GetInt32("DispatchCount") ?? 0,
        entity.ETag.ToString(),
        entity.GetInt32("UnhandledDispatches") ?? 0,
        entity.GetInt32("Attempts") ?? 0,
        entity.GetString("LastError"),
        entity.GetDateTimeOffset("FailedAt"));

    private static TableEntity ToEntity(WorkItem item) => new(item.PartitionKey, item.RowKey)
    {
        ["Kind"] = item.Kind,
        ["SubjectId"] = item.SubjectId,
        ["DueAt"] = item.DueAt,
        ["Status"] = item.Status.ToString(),
        ["LeasedUntil"] = item.LeasedUntil,
        ["DispatchCount"] = item.DispatchCount,
        ["UnhandledDispatches"] = item.UnhandledDispatches,
        ["Attempts"] = item.Attempts,
        ["LastError"] = item.LastError,
        ["FailedAt"] = item.FailedAt,
    };
}
