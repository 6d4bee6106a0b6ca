using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using AlumniNetwork.Core.Webhooks;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// Receipts keyed by a hash of the webhook id (ids are sender-chosen and may hold characters row keys forbid),
/// partitioned by source and the hash's first two hex characters, so a burst of events spreads over 256 partitions.
/// </summary>
public sealed class TableWebhookReceipts(AlumniTables tables) : IWebhookReceipts
{
    public async Task<string?> FindAsync(string source, string webhookId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WebhookReceipts, cancellationToken);
        var key = Key(webhookId);
        var entity = await table.FindAsync<TableEntity>(Partition(source, key), key, cancellationToken);
        return entity?.GetString("Outcome");
    }

    public async Task<bool> RecordAsync(string source, string webhookId, string outcome, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WebhookReceipts, cancellationToken);
        var key = Key(webhookId);
        return await table.TryAddAsync(new TableEntity(Partition(source, key), key) { ["Outcome"] = outcome }, cancellationToken);
    }

    private static string Partition(string source, string key) => $"{source}:{key[..2]}";

    private static string Key(string webhookId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(webhookId)));
}
