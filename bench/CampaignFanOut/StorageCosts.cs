using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// What one storage operation of the fan-out costs on Azurite as its table grows: a one-bucket range query, a point
/// read, a 100-row insert transaction into a fresh partition, and a 100-row update transaction with ETags on the grown
/// table. One at a time, on a fresh Azurite per size, so each figure is the emulator's own cost.
/// </summary>
internal static class StorageCosts
{
    private const int Rounds = 10;

    public static async Task RunAsync(string root, int members)
    {
        await using var azurite = await AzuriteProcess.StartAsync(root);
        var service = new TableServiceClient(azurite.ConnectionString);
        const string name = "CostMembers";
        await Members.SeedAsync(service, members, name);
        var table = service.GetTableClient(name);
        var buckets = new List<TableEntity[]>();
        foreach (var bucket in Enumerable.Range(0, Rounds).Select(i => (i * 25).ToString("x2", CultureInfo.InvariantCulture)))
        {
            buckets.Add(await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {bucket}")).ToArrayAsync());
        }

        var ranges = await TimeAsync(buckets, async rows =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {rows[0].PartitionKey} and RowKey ge {rows[0].RowKey} and RowKey le {rows[^1].RowKey}");
            await table.QueryAsync<TableEntity>(filter, maxPerPage: 1000).ToArrayAsync();
        });
        var points = await TimeAsync(buckets, async rows => await table.GetEntityAsync<TableEntity>(rows[0].PartitionKey, rows[0].RowKey));
        var fresh = service.GetTableClient("CostLedger");
        await fresh.CreateIfNotExistsAsync();
        var inserts = await TimeAsync(buckets, async rows => await fresh.SubmitTransactionAsync(rows.Take(100).Select(r =>
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(r.PartitionKey, r.RowKey) { ["Status"] = "Unknown" }))));
        var updates = await TimeAsync(buckets, async rows => await table.SubmitTransactionAsync(rows.Take(100).Select(r =>
        {
            r["Contacts"] = "probe";
            return new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag);
        })));
        var perTransaction = buckets.Average(b => Math.Min(100, b.Length));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {members:N0} | {ranges:F1} ms ({buckets.Average(b => b.Length):F0} rows) | {points:F2} ms | {inserts:F1} ms | {updates:F1} ms | {perTransaction:F0} |"));
    }

    public const string Header =
        "| Rows in the table | One-bucket range query | Point read | Insert transaction | Update transaction (ETag) | Rows per transaction |\n" +
        "|---|---|---|---|---|---|";

    /// <summary>Mean milliseconds of one operation per bucket, after one untimed warm-up.</summary>
    private static async Task<double> TimeAsync(List<TableEntity[]> buckets, Func<TableEntity[], Task> operation)
    {
        await operation(buckets[^1]);
        var clock = Stopwatch.StartNew();
        foreach (var rows in buckets.Take(buckets.Count - 1))
        {
            await operation(rows);
        }

        return clock.Elapsed.TotalMilliseconds / (buckets.Count - 1);
    }
}
