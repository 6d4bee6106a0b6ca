using Azure;
using Azure.Data.Tables;

namespace AlumniNetwork.Core.Storage;

internal static class TableExtensions
{
    public static async Task<T?> FindAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Inserts unless the row exists; true when this call inserted it.</summary>
    public static async Task<bool> TryAddAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="entity"/> over the row last read with <paramref name="etag"/> (any row when null).
    /// Returns the row's new ETag, or null when someone changed or removed it since.
    /// </summary>
    public static async Task<string?> TryReplaceReadAsync(this TableClient table, TableEntity entity, string? etag, CancellationToken cancellationToken)
    {
        entity.ETag = etag is null ? ETag.All : new ETag(etag);
        return await table.TryReplaceAsync(entity, cancellationToken) ? entity.ETag.ToString() : null;
    }

    /// <summary>Replaces the row if its ETag still matches; false when someone changed or removed it since.</summary>
    public static Task<bool> TryReplaceAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken) =>
        table.TryUpdateAsync(entity, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Writes the entity's columns over the row's (the others stay) if its ETag still matches; false when someone changed or removed it since.</summary>
    public static Task<bool> TryMergeAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken) =>
        table.TryUpdateAsync(entity, TableUpdateMode.Merge, cancellationToken);

    private static async Task<bool> TryUpdateAsync(this TableClient table, ITableEntity entity, TableUpdateMode mode, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.UpdateEntityAsync(entity, entity.ETag, mode, cancellationToken);
            entity.ETag = response.Headers.ETag ?? entity.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }
}
