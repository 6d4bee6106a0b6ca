using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Storage;

/// <summary>Work items partitioned by due hour; completed items are deleted, so a scan reads only open work.</summary>
public sealed class TableWorkItemStore(AlumniTables tables) : IWorkItemStore
{
    public async Task ScheduleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WorkItems, cancellationToken);
        await table.TryAddAsync(ToEntity(item), cancellationToken);
    }

    public IAsyncEnumerable<WorkItem> QueryPendingAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        // Due and not held, in the query: a backlog of held items (deferred, backing off, in flight) is not read each run.
        // An item never dispatched has no lease (the column is absent, and a comparison with it is false), hence the
        // DispatchCount clause; every later write of the item sets the lease (a retry sets it to the due time).
        QueryAsync(TableClient.CreateQueryFilter(
            $"PartitionKey le {WorkItem.PartitionFor(now)} and Status eq {nameof(WorkItemStatus.Pending)} and DueAt le {now} and (LeasedUntil le {now} or DispatchCount eq {0})"), cancellationToken);

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
