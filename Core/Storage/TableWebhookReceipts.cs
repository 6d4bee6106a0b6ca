using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using AlumniNetwork.Core.Webhooks;

namespace AlumniNetwork.Core.Storage;

/// <summary>Receipts keyed by a hash of the webhook id: ids are sender-chosen and may hold characters row keys forbid.</summary>
public sealed class TableWebhookReceipts(AlumniTables tables) : IWebhookReceipts
{
    public async Task<string?> FindAsync(string source, string webhookId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WebhookReceipts, cancellationToken);
        var entity = await table.FindAsync<TableEntity>(source, Key(webhookId), cancellationToken);
        return entity?.GetString("Outcome");
    }

    public async Task RecordAsync(string source, string webhookId, string outcome, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WebhookReceipts, cancellationToken);
        await table.TryAddAsync(new TableEntity(source, Key(webhookId)) { ["Outcome"] = outcome }, cancellationToken);
    }

    private static string Key(string webhookId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(webhookId)));
}
