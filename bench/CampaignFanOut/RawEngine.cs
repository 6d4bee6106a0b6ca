using System.Diagnostics;
using System.Threading.Channels;
using Azure.Data.Tables;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// The second floor: the engine's per-recipient storage work, straight on Azure.Data.Tables. One scan of the members
/// in pages of 1,000, cut in table order into batches of 1,000 per language, the remainders of both languages in one
/// last batch when they fit (as the planner cuts them); per batch, its rows read with one range query per bucket, each
/// row's contacts column merged with its ETag in 100-row transactions per bucket (the promotional cap's claim, ADR
/// 0023), and its ledger rows written in 100-row transactions. Eight batches at once, eight round trips in flight
/// within a batch: more than the product's four per instance (ADR 0033), so the floor stays a floor. Left out, and so
/// counted against the engine: the rules, the mail, the provider, and each batch's bookkeeping (its batch row, work
/// item, queue message and planning checkpoint, and the look at its earlier sends).
/// </summary>
/// <remarks>Runs before the app starts, on its own copy of the members and its own ledger table, both dropped afterwards.</remarks>
internal static class RawEngine
{
    public const string MembersTable = "RawEngineMembers";
    private const string LedgerTable = "RawEngineSends";
    private const int InFlight = 8;

    public static async Task<TimeSpan> RunAsync(TableServiceClient service, int concurrency)
    {
        var alumni = service.GetTableClient(MembersTable);
        var ledger = service.GetTableClient(LedgerTable);
        await ledger.CreateIfNotExistsAsync();
        var batches = Channel.CreateBounded<string[]>(concurrency);
        var wall = Stopwatch.StartNew();
        var sending = Parallel.ForEachAsync(batches.Reader.ReadAllAsync(), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (batch, _) => await SendAsync(alumni, ledger, $"rawengine-{Guid.NewGuid():N}", batch));

        // A failed batch ends the run: the planner's next write fails instead of waiting for a reader that is gone.
        _ = sending.ContinueWith(t => batches.Writer.TryComplete(t.Exception), TaskScheduler.Default);
        try
        {
            foreach (var batch in await PlanAsync(alumni, batches.Writer))
            {
                await batches.Writer.WriteAsync(batch);
            }
        }
        finally
        {
            batches.Writer.TryComplete();
        }

        await sending;
        var elapsed = wall.Elapsed;
        await service.DeleteTableAsync(MembersTable);
        await service.DeleteTableAsync(LedgerTable);
        return elapsed;
    }

    /// <summary>Writes every full batch as the scan reaches it; returns the last batches (the remainders).</summary>
    private static async Task<IReadOnlyList<string[]>> PlanAsync(TableClient alumni, ChannelWriter<string[]> batches)
    {
        var open = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var page in alumni.QueryAsync<TableEntity>("Status eq 'Joined'", maxPerPage: 1000).AsPages(pageSizeHint: 1000))
        {
            foreach (var row in page.Values)
            {
                var locale = row.GetString("Locale");
                var batch = open.TryGetValue(locale, out var b) ? b : open[locale] = [];
                batch.Add(row.RowKey);
                if (batch.Count == 1000)
                {
                    await batches.WriteAsync([.. batch]);
                    batch.Clear();
                }
            }
        }

        var rest = open.Values.Where(b => b.Count > 0).ToArray();
        return rest.Sum(b => b.Count) <= 1000 ? rest.Length == 0 ? [] : [rest.SelectMany(b => b).ToArray()] : rest.Select(b => b.ToArray()).ToArray();
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
            await alumni.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(
                TableTransactionActionType.UpdateMerge, new TableEntity(row.PartitionKey, row.RowKey) { ["Contacts"] = batchKey }, row.ETag)), ct);
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
