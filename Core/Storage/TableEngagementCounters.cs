using System.Globalization;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// One row per alumnus, partitioned by id bucket like the Alumni table; and rows per campaign kind and month in
/// partitions <c>campaign:yyyy-MM</c>, sharded 16 ways so a burst of events does not queue on one row.
/// Increments retry on ETag conflicts.
/// </summary>
public sealed class TableEngagementCounters(AlumniTables tables) : IEngagementCounters
{
    private const int MaxConflictRetries = 20;
    private const string CampaignPrefix = "campaign:";

    public Task IncrementAsync(AlumnusId alumnusId, EngagementKind kind, DateTimeOffset at, CancellationToken cancellationToken) =>
        IncrementAsync(alumnusId.Bucket, alumnusId.Value, kind, at, cancellationToken);

    public Task IncrementCampaignAsync(string campaignKind, string month, AlumnusId alumnusId, EngagementKind kind, DateTimeOffset at, CancellationToken cancellationToken) =>
        IncrementAsync(CampaignPrefix + month, $"{campaignKind}|{alumnusId.Value[0]}", kind, at, cancellationToken);

    public async IAsyncEnumerable<CampaignEngagement> CampaignCountsAsync(string fromMonth, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Engagement, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {CampaignPrefix + fromMonth} and PartitionKey lt {"campaign;"}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return new CampaignEngagement(
                e.RowKey[..e.RowKey.LastIndexOf('|')],
                e.PartitionKey[CampaignPrefix.Length..],
                Count(e, EngagementKind.Delivered),
                Count(e, EngagementKind.Opened),
                Count(e, EngagementKind.Clicked));
        }
    }

    public async Task<Engagement?> GetAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Engagement, cancellationToken);
        var entity = await table.FindAsync<TableEntity>(alumnusId.Bucket, alumnusId.Value, cancellationToken);
        return entity is null
            ? null
            : new Engagement(
                alumnusId,
                Count(entity, EngagementKind.Delivered),
                Count(entity, EngagementKind.Opened),
                Count(entity, EngagementKind.Clicked),
                entity.GetDateTimeOffset("LastEventAt"));
    }

    public async Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Engagement, cancellationToken);
        await table.DeleteEntityAsync(alumnusId.Bucket, alumnusId.Value, ETag.All, cancellationToken);
    }

    private async Task IncrementAsync(string partitionKey, string rowKey, EngagementKind kind, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Engagement, cancellationToken);
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var entity = await table.FindAsync<TableEntity>(partitionKey, rowKey, cancellationToken);
            if (entity is null)
            {
                var created = new TableEntity(partitionKey, rowKey)
                {
                    [nameof(EngagementKind.Delivered)] = 0L,
                    [nameof(EngagementKind.Opened)] = 0L,
                    [nameof(EngagementKind.Clicked)] = 0L,
                    [kind.ToString()] = 1L,
                    ["LastEventAt"] = at,
                };
                if (await table.TryAddAsync(created, cancellationToken))
                {
                    return;
                }

                continue;
            }

            entity[kind.ToString()] = Count(entity, kind) + 1;
            if (entity.GetDateTimeOffset("LastEventAt") is not { } last || at > last)
            {
                entity["LastEventAt"] = at;
            }

            if (await table.TryReplaceAsync(entity, cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Engagement counts in {partitionKey} kept changing while they were incremented."));
    }

    private static long Count(TableEntity entity, EngagementKind kind) => entity.GetInt64(kind.ToString()) ?? 0;
}
