using Azure.Data.Tables;
using AlumniNetwork.Core.Insights;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// The snapshot as UTF-8 JSON in one row, split over binary properties of at most 64 KiB (Table Storage's limit per
/// property); a row holds up to 1 MiB, far more than two years of figures need.
/// </summary>
public sealed class TableInsightStore(AlumniTables tables) : IInsightStore
{
    private const string Partition = "snapshot";
    private const string Row = "latest";
    private const int ChunkBytes = 60 * 1024;
    private const int MaxChunks = 15;

    public async Task<(InsightSnapshot Snapshot, string? ETag)> GetAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Insights, cancellationToken);
        if (await table.FindAsync<TableEntity>(Partition, Row, cancellationToken) is not { } entity)
        {
            return (InsightSnapshot.Empty, null);
        }

        using var json = new MemoryStream();
        for (var i = 0; entity.GetBinary($"Data{i}") is { } chunk; i++)
        {
            json.Write(chunk);
        }

        return (InsightSnapshot.FromJson(json.ToArray()), entity.ETag.ToString());
    }

    public async Task<bool> TrySaveAsync(InsightSnapshot snapshot, string? etag, CancellationToken cancellationToken)
    {
        var json = snapshot.ToJson();
        var chunks = json.Chunk(ChunkBytes).ToArray();
        if (chunks.Length > MaxChunks)
        {
            throw new InvalidOperationException($"The insight snapshot is {json.Length} bytes, more than one row holds.");
        }

        var entity = new TableEntity(Partition, Row) { ["ComputedAt"] = snapshot.ComputedAt };
        for (var i = 0; i < chunks.Length; i++)
        {
            entity[$"Data{i}"] = chunks[i];
        }

        var table = await tables.GetAsync(AlumniTables.Insights, cancellationToken);
        return etag is null ? await table.TryAddAsync(entity, cancellationToken) : await table.TryReplaceReadAsync(entity, etag, cancellationToken) is not null;
    }
}
