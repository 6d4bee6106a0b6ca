namespace AlumniNetwork.Core.Webhooks;

/// <summary>Webhook ids already handled, with what they resulted in, so a redelivered webhook gets the same answer.</summary>
public interface IWebhookReceipts
{
    Task<string?> FindAsync(string source, string webhookId, CancellationToken cancellationToken);

    /// <summary>
    /// Records the receipt unless one is there already (insert-if-absent, safe under concurrent calls). True when this
    /// call recorded it: a caller whose effect is not idempotent claims the receipt first and applies the effect only then.
    /// </summary>
    Task<bool> RecordAsync(string source, string webhookId, string outcome, CancellationToken cancellationToken);
}
