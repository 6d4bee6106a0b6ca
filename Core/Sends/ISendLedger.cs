using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Sends;

/// <summary>One row per campaign and recipient: what makes a send idempotent under redelivery.</summary>
public sealed record SendRecord(string CampaignId, AlumnusId AlumnusId, string ProviderMessageId, DateTimeOffset SentAt);

public interface ISendLedger
{
    Task<SendRecord?> FindAsync(string campaignId, AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Records the send; recording the same send twice keeps the first record.</summary>
    Task RecordAsync(SendRecord record, CancellationToken cancellationToken);

    /// <summary>Every send to the alumnus (data export); reads across campaigns, so not for hot paths.</summary>
    Task<IReadOnlyList<SendRecord>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
