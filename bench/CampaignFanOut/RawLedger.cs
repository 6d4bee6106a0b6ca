using System.Diagnostics;
using Azure.Data.Tables;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// The floor: N ledger rows of the shape the engine writes (one partition per batch of 1,000, 100 rows a transaction,
/// a batch's transactions one after another), with as many batches at once as the trigger host runs
/// (<c>maxConcurrentCalls</c>), straight on Azure.Data.Tables. No reads, no claims, no provider request. The table is
/// dropped afterwards, so the app runs on an Azurite holding only its own data.
/// </summary>
internal static class RawLedger
{
    public static async Task<(TimeSpan Elapsed, int Transactions)> WriteAsync(TableServiceClient service, int count, int concurrency)
    {
        var table = service.GetTableClient("RawSends");
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("warm-up", "0")); // the connection, not timed
        var now = TimeProvider.System.GetUtcNow();
        var batches = Enumerable.Range(0, count).Chunk(1000).Select((recipients, number) => (Key: $"raw-b{number + 1:D5}", Recipients: recipients)).ToArray();
        var transactions = 0;
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (batch, ct) =>
        {
            foreach (var chunk in batch.Recipients.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(i =>
                {
                    var alumnus = Guid.NewGuid().ToString("N");
                    return new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(batch.Key, alumnus)
                    {
                        ["Status"] = "Unknown",
                        ["Attempts"] = 1,
                        ["AttemptedAt"] = now,
                        ["SendId"] = $"{batch.Key}/{alumnus}/1",
                        ["Evidence"] = null,
                        ["SentAt"] = null,
                    });
                }), ct);
                Interlocked.Increment(ref transactions);
            }
        });
        var elapsed = wall.Elapsed;
        await table.DeleteAsync();
        return (elapsed, transactions);
    }
}
