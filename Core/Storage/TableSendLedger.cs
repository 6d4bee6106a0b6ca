using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Storage;

/// <summary>Rows keyed by campaign and recipient (an alumnus id, or a pseudonym of a non-alumnus address); <c>Status</c> is <c>Pending</c> while claimed, <c>Sent</c> after.</summary>
public sealed class TableSendLedger(AlumniTables tables) : ISendLedger
{
    private const string Pending = "Pending";
    private const string Sent = "Sent";

    public async Task<SendClaimResult> ClaimAsync(string campaignId, string recipientKey, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var claimId = Guid.NewGuid().ToString("N");
        var claim = new TableEntity(campaignId, recipientKey) { ["Status"] = Pending, ["ClaimedAt"] = now, ["ClaimId"] = claimId };
        var claimed = new SendClaimResult(SendClaim.Claimed, claimId);
        var inProgress = new SendClaimResult(SendClaim.InProgress, null);
        if (await table.TryAddAsync(claim, cancellationToken))
        {
            return claimed;
        }

        var existing = await table.FindAsync<TableEntity>(campaignId, recipientKey, cancellationToken);
        if (existing is null)
        {
            return await table.TryAddAsync(claim, cancellationToken) ? claimed : inProgress;
        }

        // A row without a status predates claims: it records a send.
        if (existing.GetString("Status") is Sent or null)
        {
            return new SendClaimResult(SendClaim.AlreadySent, null);
        }

        if (now - (existing.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue) < staleAfter)
        {
            return inProgress;
        }

        claim.ETag = existing.ETag;
        return await table.TryReplaceAsync(claim, cancellationToken) ? claimed : inProgress;
    }

    public async Task RecordSentAsync(SendRecord record, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(record.CampaignId, record.RecipientKey)
        {
            ["Status"] = Sent,
            ["ProviderMessageId"] = record.ProviderMessageId,
            ["SentAt"] = record.SentAt,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task ReleaseAsync(string campaignId, string recipientKey, string? claimId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        if (await table.FindAsync<TableEntity>(campaignId, recipientKey, cancellationToken) is { } row &&
            row.GetString("Status") == Pending && row.GetString("ClaimId") == claimId)
        {
            // Only our own claim, and only as read: one taken over by another delivery meanwhile is not ours to delete.
            try
            {
                await table.DeleteEntityAsync(campaignId, recipientKey, row.ETag, cancellationToken);
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
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {alumnusId.Value}"), cancellationToken: cancellationToken))
        {
            if (e.GetString("Status") == Pending)
            {
                continue;
            }

            records.Add(new SendRecord(e.PartitionKey, alumnusId.Value, e.GetString("ProviderMessageId") ?? "", e.GetDateTimeOffset("SentAt")!.Value));
        }

        return records;
    }
}
