using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Sends;

/// <summary>A sent email: one per campaign and recipient.</summary>
public sealed record SendRecord(string CampaignId, AlumnusId AlumnusId, string ProviderMessageId, DateTimeOffset SentAt);

public enum SendClaim
{
    /// <summary>This caller may send; nobody else will until it records or releases the claim.</summary>
    Claimed,
    AlreadySent,

    /// <summary>Another delivery of the same message is sending right now.</summary>
    InProgress,
}

/// <param name="ClaimId">Identifies this caller's claim, so releasing it can never remove another delivery's claim.</param>
public readonly record struct SendClaimResult(SendClaim Status, string? ClaimId);

public enum BatchSendStatus
{
    /// <summary>Claimed for the batch's request; sent once the batch is (see <see cref="Campaigns.CampaignBatch.Status"/>).</summary>
    Claimed,

    /// <summary>Sent on its own: the batch was split (the provider refused it as a whole) and this part was accepted.</summary>
    Sent,

    /// <summary>Refused by the outreach gate when the batch was sent; <see cref="BatchSend.Reason"/> says why.</summary>
    Skipped,

    /// <summary>The provider refused this recipient (say, an address it cannot take); the rest of the batch went.</summary>
    Failed,
}

/// <summary>What a campaign batch did about one recipient. No personal data: the reason is a code.</summary>
public sealed record BatchSend(AlumnusId AlumnusId, BatchSendStatus Status, string? Reason, DateTimeOffset At);

/// <summary>
/// The Sends ledger: what makes a send idempotent under redelivery and concurrent delivery. A send is claimed
/// (insert-if-absent) before the provider is called and marked sent after, so two deliveries never both send;
/// a claim whose sender died is taken over once it is stale.
/// </summary>
public interface ISendLedger
{
    Task<SendClaimResult> ClaimAsync(string campaignId, AlumnusId alumnusId, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken);

    /// <summary>Marks the claimed send as sent.</summary>
    Task RecordSentAsync(SendRecord record, CancellationToken cancellationToken);

    /// <summary>Gives up this caller's claim (if still its own) when nothing was sent, so a later delivery may try again.</summary>
    Task ReleaseAsync(string campaignId, AlumnusId alumnusId, string? claimId, CancellationToken cancellationToken);

    /// <summary>
    /// Records what a campaign batch did about its recipients, in the batch's own partition (campaign and batch number),
    /// 100 rows a transaction. Writing the same rows again (a retried batch) leaves one row per recipient.
    /// </summary>
    Task RecordBatchAsync(string batchKey, IReadOnlyList<BatchSend> sends, CancellationToken cancellationToken);

    /// <summary>The rows a batch recorded so far (none before its first attempt).</summary>
    Task<IReadOnlyList<BatchSend>> ListBatchAsync(string batchKey, CancellationToken cancellationToken);

    /// <summary>Every email sent to the alumnus (data export); reads across campaigns, so not for hot paths.</summary>
    Task<IReadOnlyList<SendRecord>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
