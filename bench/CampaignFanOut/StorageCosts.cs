using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// What one storage operation of the fan-out costs on Azurite as the table grows, with the same 30 rows per operation
/// at every size: a range query of 30 rows of one bucket, a point read, a 30-row insert transaction into a new
/// partition of the grown table, a 30-row replace transaction with ETags, and a 30-row merge of one column with ETags
/// (the campaign claim's, ADR 0023). One at a time, on a fresh Azurite per size, so each figure is the emulator's own
/// cost.
/// </summary>
internal static class StorageCosts
{
    private const int Rounds = 10;
    private const int Rows = 30;

    public const string Header =
        "| Rows in the table | Range query (30 rows) | Point read | Insert transaction (30 rows) | Update transaction (30 rows, ETag) | Merge transaction (30 rows, ETag, one column) |\n" +
        "|---|---|---|---|---|---|";

    public static async Task RunAsync(string root, int members)
    {
        await using var azurite = await AzuriteProcess.StartAsync(root);
        var service = new TableServiceClient(azurite.ConnectionString);
        const string name = "CostMembers";
        await Members.SeedAsync(service, members, name);
        var table = service.GetTableClient(name);
        var buckets = new List<TableEntity[]>();
        foreach (var bucket in Enumerable.Range(0, 256).Select(i => (i * 25 % 256).ToString("x2", CultureInfo.InvariantCulture)))
        {
            var rows = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {bucket}")).ToArrayAsync();
            if (rows.Length >= Rows && buckets.Count < Rounds)
            {
                buckets.Add(rows[..Rows]);
            }
        }

        if (buckets.Count < Rounds)
        {
            throw new InvalidOperationException($"Fewer than {Rounds} buckets hold {Rows} rows: seed more members.");
        }

        var ranges = await TimeAsync(buckets, async rows =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {rows[0].PartitionKey} and RowKey ge {rows[0].RowKey} and RowKey le {rows[^1].RowKey}");
            await table.QueryAsync<TableEntity>(filter, maxPerPage: 1000).ToArrayAsync();
        });
        var points = await TimeAsync(buckets, async rows => await table.GetEntityAsync<TableEntity>(rows[0].PartitionKey, rows[0].RowKey));
        var inserts = await TimeAsync(buckets, async rows => await table.SubmitTransactionAsync(rows.Select(r =>
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity($"ledger-{r.PartitionKey}", r.RowKey) { ["Status"] = "Unknown" }))));
        var updates = await TimeAsync(buckets, async rows =>
        {
            var written = await table.SubmitTransactionAsync(rows.Select(r =>
            {
                r["Contacts"] = "probe";
                return new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag);
            }));

            // The merges below go over the same rows, with the ETags the replaces left.
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i].ETag = written.Value[i].Headers.ETag!.Value;
            }
        });
        var merges = await TimeAsync(buckets, async rows => await table.SubmitTransactionAsync(rows.Select(r =>
            new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(r.PartitionKey, r.RowKey) { ["Contacts"] = "merged" }, r.ETag))));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {members:N0} | {ranges:F1} ms | {points:F2} ms | {inserts:F1} ms | {updates:F1} ms | {merges:F1} ms |"));
    }

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
