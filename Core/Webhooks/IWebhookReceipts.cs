namespace AlumniNetwork.Core.Webhooks;

/// <summary>Webhook ids already handled, with what they resulted in, so a redelivered webhook gets the same answer.</summary>
public interface IWebhookReceipts
{
    Task<string?> FindAsync(string source, string webhookId, CancellationToken cancellationToken);

    Task RecordAsync(string source, string webhookId, string outcome, CancellationToken cancellationToken);
}
