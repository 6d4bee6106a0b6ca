using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Sends;

/// <summary>A sent email: one per campaign and recipient.</summary>
/// <param name="RecipientKey">The alumnus id, or for someone who is not an alumnus (a current employee invited by work
/// address) a keyed pseudonym of the address: never an address.</param>
public sealed record SendRecord(string CampaignId, string RecipientKey, string ProviderMessageId, DateTimeOffset SentAt);

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

/// <summary>
/// The Sends ledger: what makes a send idempotent under redelivery and concurrent delivery. A send is claimed
/// (insert-if-absent) before the provider is called and marked sent after, so two deliveries never both send;
/// a claim whose sender died is taken over once it is stale.
/// </summary>
public interface ISendLedger
{
    /// <param name="recipientKey">See <see cref="SendRecord.RecipientKey"/>.</param>
    Task<SendClaimResult> ClaimAsync(string campaignId, string recipientKey, DateTimeOffset now, TimeSpan staleAfter, CancellationToken cancellationToken);

    /// <summary>Marks the claimed send as sent.</summary>
    Task RecordSentAsync(SendRecord record, CancellationToken cancellationToken);

    /// <summary>Gives up this caller's claim (if still its own) when nothing was sent, so a later delivery may try again.</summary>
    Task ReleaseAsync(string campaignId, string recipientKey, string? claimId, CancellationToken cancellationToken);

    /// <summary>Every email sent to the alumnus (data export); reads across campaigns, so not for hot paths.</summary>
    Task<IReadOnlyList<SendRecord>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
