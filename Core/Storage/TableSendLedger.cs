using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Storage;

/// <summary>Rows keyed by campaign and alumnus; <c>Status</c> is <c>Pending</c> while claimed, <c>Sent</c> after.</summary>
public sealed class TableSendLedger(AlumniTables tables) : ISendLedger
{
    private const string Pending = "Pending";
    private const string Sent = "Sent";

    public async Task<SendClaim> ClaimAsync(string campaignId, AlumnusId alumnusId, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var claim = new TableEntity(campaignId, alumnusId.Value) { ["Status"] = Pending, ["ClaimedAt"] = now };
        if (await table.TryAddAsync(claim, cancellationToken))
        {
            return SendClaim.Claimed;
        }

        var existing = await table.FindAsync<TableEntity>(campaignId, alumnusId.Value, cancellationToken);
        if (existing is null)
        {
            return await table.TryAddAsync(claim, cancellationToken) ? SendClaim.Claimed : SendClaim.InProgress;
        }

        if (existing.GetString("Status") == Sent)
        {
            return SendClaim.AlreadySent;
        }

        if (now - (existing.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue) < staleAfter)
        {
            return SendClaim.InProgress;
        }

        claim.ETag = existing.ETag;
        return await table.TryReplaceAsync(claim, cancellationToken) ? SendClaim.Claimed : SendClaim.InProgress;
    }

    public async Task RecordSentAsync(SendRecord record, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(record.CampaignId, record.AlumnusId.Value)
        {
            ["Status"] = Sent,
            ["ProviderMessageId"] = record.ProviderMessageId,
            ["SentAt"] = record.SentAt,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task ReleaseAsync(string campaignId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        if (await table.FindAsync<TableEntity>(campaignId, alumnusId.Value, cancellationToken) is { } row && row.GetString("Status") == Pending)
        {
            // Conditional: a claim taken over by another delivery meanwhile is not ours to delete.
            try
            {
                await table.DeleteEntityAsync(campaignId, alumnusId.Value, row.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
            }
        }
    }

    public async Task<IReadOnlyList<SendRecord>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var records = new List<SendRecord>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {alumnusId.Value} and Status eq {Sent}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            records.Add(new SendRecord(e.PartitionKey, alumnusId, e.GetString("ProviderMessageId") ?? "", e.GetDateTimeOffset("SentAt")!.Value));
        }

        return records;
    }
}
