using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Storage;

/// <summary>One row per alumnus, partitioned by id bucket like the Alumni table; increments retry on ETag conflicts.</summary>
public sealed class TableEngagementCounters(AlumniTables tables) : IEngagementCounters
{
    private const int MaxConflictRetries = 20;

    public async Task IncrementAsync(AlumnusId alumnusId, EngagementKind kind, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Engagement, cancellationToken);
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var entity = await table.FindAsync<TableEntity>(alumnusId.Bucket, alumnusId.Value, cancellationToken);
            if (entity is null)
            {
                var created = new TableEntity(alumnusId.Bucket, alumnusId.Value)
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

            entity[kind.ToString()] = (entity.GetInt64(kind.ToString()) ?? 0) + 1;
            if (entity.GetDateTimeOffset("LastEventAt") is not { } last || at > last)
            {
                entity["LastEventAt"] = at;
            }

            if (await table.TryReplaceAsync(entity, cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Engagement counts of alumnus {alumnusId} kept changing while they were incremented.");
    }

    public async Task<Engagement?> GetAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Engagement, cancellationToken);
        var entity = await table.FindAsync<TableEntity>(alumnusId.Bucket, alumnusId.Value, cancellationToken);
        return entity is null
            ? null
            : new Engagement(
                alumnusId,
                entity.GetInt64(nameof(EngagementKind.Delivered)) ?? 0,
                entity.GetInt64(nameof(EngagementKind.Opened)) ?? 0,
                entity.GetInt64(nameof(EngagementKind.Clicked)) ?? 0,
                entity.GetDateTimeOffset("LastEventAt"));
    }

    public async Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Engagement, cancellationToken);
        await table.DeleteEntityAsync(alumnusId.Bucket, alumnusId.Value, ETag.All, cancellationToken);
    }
}
