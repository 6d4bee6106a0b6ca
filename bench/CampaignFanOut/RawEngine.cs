using System.Diagnostics;
using System.Threading.Channels;
using Azure.Data.Tables;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// The second floor: the storage work the engine's design requires, straight on Azure.Data.Tables and nothing else.
/// One scan of the members in pages of 1,000, cut in table order into batches of 1,000 per language (as the planner
/// cuts them); per batch, its rows read with one range query per bucket, each row written back with its ETag in
/// 100-row transactions per bucket (the promotional cap's claim, ADR 0023), and its ledger rows written in 100-row
/// transactions. Eight batches at once, eight round trips in flight within a batch, as the product runs. No gate, no
/// mail, no dispatch, no provider: what is left between this and the product is the engine's own cost.
/// </summary>
/// <remarks>Runs before the app starts, on its own copy of the members and its own ledger table, so neither run sees the other's writes.</remarks>
internal static class RawEngine
{
    public const string Members = "RawEngineMembers";
    private const int InFlight = 8;

    public static async Task<TimeSpan> RunAsync(TableServiceClient service, int concurrency)
    {
        var alumni = service.GetTableClient(Members);
        var ledger = service.GetTableClient("RawEngineSends");
        await ledger.CreateIfNotExistsAsync();
        var batches = Channel.CreateBounded<string[]>(concurrency);
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            await foreach (var batch in batches.Reader.ReadAllAsync())
            {
                await SendAsync(alumni, ledger, $"rawengine-w{worker}-{Guid.NewGuid():N}", batch);
            }
        })).ToArray();

        var open = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var page in alumni.QueryAsync<TableEntity>("Status eq 'Joined'", maxPerPage: 1000).AsPages(pageSizeHint: 1000))
        {
            foreach (var row in page.Values)
            {
                var batch = open.TryGetValue(row.GetString("Locale"), out var b) ? b : open[row.GetString("Locale")] = [];
                batch.Add(row.RowKey);
                if (batch.Count == 1000)
                {
                    await batches.Writer.WriteAsync([.. batch]);
                    batch.Clear();
                }
            }
        }

        foreach (var rest in open.Values.Where(b => b.Count > 0))
        {
            await batches.Writer.WriteAsync([.. rest]);
        }

        batches.Writer.Complete();
        await Task.WhenAll(workers);
        return wall.Elapsed;
    }

    private static async Task SendAsync(TableClient alumni, TableClient ledger, string batchKey, string[] recipients)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = InFlight };
        var buckets = recipients.GroupBy(id => id[..2]).Select(g => g.Order(StringComparer.Ordinal).ToArray()).ToArray();
        var rows = new System.Collections.Concurrent.ConcurrentBag<TableEntity>();
        await Parallel.ForEachAsync(buckets, options, async (ids, ct) =>
        {
            var wanted = ids.ToHashSet(StringComparer.Ordinal);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ids[0][..2]} and RowKey ge {ids[0]} and RowKey le {ids[^1]}");
            await foreach (var row in alumni.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                if (wanted.Contains(row.RowKey))
                {
                    rows.Add(row);
                }
            }
        });

        var claims = rows.GroupBy(r => r.PartitionKey).SelectMany(bucket => bucket.Chunk(100));
        await Parallel.ForEachAsync(claims, options, async (chunk, ct) =>
        {
            await alumni.SubmitTransactionAsync(chunk.Select(row =>
            {
                row["RawClaim"] = batchKey;
                return new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag);
            }), ct);
        });

        var now = TimeProvider.System.GetUtcNow();
        foreach (var chunk in recipients.Chunk(100))
        {
            await ledger.SubmitTransactionAsync(chunk.Select(id => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(batchKey, id)
            {
                ["Status"] = "Unknown",
                ["Attempts"] = 1,
                ["AttemptedAt"] = now,
                ["SendId"] = $"{batchKey}/{id}/1",
                ["Evidence"] = null,
                ["SentAt"] = null,
            })));
        }
    }
}
