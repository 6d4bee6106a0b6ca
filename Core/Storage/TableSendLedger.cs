using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Storage;

public sealed class TableSendLedger(AlumniTables tables) : ISendLedger
{
    public async Task<SendRecord?> FindAsync(string campaignId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var entity = await table.FindAsync<TableEntity>(campaignId, alumnusId.Value, cancellationToken);
        return entity is null
            ? null
            : new SendRecord(campaignId, alumnusId, entity.GetString("ProviderMessageId") ?? "", entity.GetDateTimeOffset("SentAt")!.Value);
    }

    public async Task<IReadOnlyList<SendRecord>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var records = new List<SendRecord>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {alumnusId.Value}"), cancellationToken: cancellationToken))
        {
            records.Add(new SendRecord(e.PartitionKey, alumnusId, e.GetString("ProviderMessageId") ?? "", e.GetDateTimeOffset("SentAt")!.Value));
        }

        return records;
    }

    public async Task RecordAsync(SendRecord record, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        await table.TryAddAsync(new TableEntity(record.CampaignId, record.AlumnusId.Value)
        {
            ["ProviderMessageId"] = record.ProviderMessageId,
            ["SentAt"] = record.SentAt,
        }, cancellationToken);
    }
}
