using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;

namespace AlumniNetwork.Core.Storage;

/// <summary>Append-only: one partition per alumnus, rows keyed by time and purpose, never updated.</summary>
public sealed class TableConsentLedger(AlumniTables tables) : IConsentLedger
{
    public async Task AppendAsync(ConsentRecord record, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Consents, cancellationToken);
        await table.TryAddAsync(new TableEntity(record.AlumnusId.Value, RowKey(record))
        {
            ["Purpose"] = record.Purpose.ToString(),
            ["Granted"] = record.Granted,
            ["At"] = record.At,
            ["Method"] = record.Method.ToString(),
            ["WordingVersion"] = record.WordingVersion,
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ConsentRecord>> HistoryAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Consents, cancellationToken);
        var records = new List<ConsentRecord>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {alumnusId.Value}"), cancellationToken: cancellationToken))
        {
            records.Add(ToRecord(alumnusId, e));
        }

        return records.OrderBy(r => r.At).ToArray();
    }

    public async IAsyncEnumerable<ConsentRecord> AllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Consents, cancellationToken);
        // Rows come sorted by partition (alumnus) and then row key (time), which is the order promised.
        await foreach (var e in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (AlumnusId.TryParse(e.PartitionKey, out var id))
            {
                yield return ToRecord(id, e);
            }
        }
    }

    private static ConsentRecord ToRecord(AlumnusId alumnusId, TableEntity e) => new(
        alumnusId,
        Enum.Parse<ConsentPurpose>(e.GetString("Purpose")),
        e.GetBoolean("Granted") ?? false,
        e.GetDateTimeOffset("At")!.Value,
        Enum.Parse<ConsentMethod>(e.GetString("Method")),
        e.GetString("WordingVersion"))
    { LedgerKey = e.RowKey };

    public async Task<int> RemoveAsync(IEnumerable<ConsentRecord> records, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Consents, cancellationToken);
        var removed = 0;
        foreach (var record in records)
        {
            // By the key the row was read with; deleting a row that is gone already answers 404 without throwing:
            // a repeated purge is harmless and counts nothing.
            var response = await table.DeleteEntityAsync(record.AlumnusId.Value, record.LedgerKey ?? RowKey(record), Azure.ETag.All, cancellationToken);
            if (response.Status != 404)
            {
                removed++;
            }
        }

        return removed;
    }

    public async IAsyncEnumerable<AlumnusId> SubjectsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Consents, cancellationToken);
        string? previous = null;
        await foreach (var e in table.QueryAsync<TableEntity>(select: ["PartitionKey"], maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            // Rows come sorted by partition, so each alumnus appears once.
            if (e.PartitionKey != previous && AlumnusId.TryParse(e.PartitionKey, out var id))
            {
                yield return id;
            }

            previous = e.PartitionKey;
        }
    }

    private static string RowKey(ConsentRecord record) => $"{record.At.UtcTicks:D19}-{record.Purpose}";
}
