using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Sends;

/// <summary>
/// Where one send stands in the ledger. <c>Claimed</c> → <c>Unknown</c> (written just before the provider is called) →
/// <c>Sent</c> or <c>Dropped</c> from the provider's answer or its events, or <c>Unconfirmed</c> by rule when no evidence
/// came within the window. The last three are final: nothing in a final state is ever sent again.
/// </summary>
public enum SendState
{
    /// <summary>Reserved by one sender for a short lease; the provider has not been called for this claim.</summary>
    Claimed,

    /// <summary>Handed to the provider (or about to be); whether it went out is not known yet. Never repeated blindly.</summary>
    Unknown,

    /// <summary>The provider accepted it (202) or reported it processed, delivered, deferred, bounced, opened…</summary>
    Sent,

    /// <summary>The provider reported it will not deliver it (suppressed or invalid address).</summary>
    Dropped,

    /// <summary>No evidence arrived within the window and the rule chose not to send again: treated as sent.</summary>
    Unconfirmed,
}

/// <summary>A send as the ledger holds it (one per campaign and recipient).</summary>
/// <param name="SentAt">When it was handed to the provider, or when the ledger last learned its outcome.</param>
/// <param name="RecipientKey">The alumnus id, or for someone who is not an alumnus a keyed pseudonym of the address (<see cref="SendId.RecipientKey"/>).</param>
public sealed record SendRecord(string CampaignId, string RecipientKey, string ProviderMessageId, DateTimeOffset SentAt)
{
    public SendState State { get; init; } = SendState.Sent;

    /// <summary>Provider calls whose outcome may have been a delivered mail.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>How the recipient was reached by this mail, as the provider's events noted it (<see cref="ISendLedger.MarkEngagedAsync"/>).</summary>
    public IReadOnlyList<Outreach.EngagementKind> Engaged { get; init; } = [];
}

/// <summary>How long claims and unknown outcomes are honoured, and how often an unknown send may be tried.</summary>
/// <param name="ClaimLease">A claim older than this belongs to a sender that is gone; another delivery takes it over.</param>
/// <param name="OutcomeWindow">How long an unknown outcome waits for provider events before the rule decides.</param>
/// <param name="MaxAttempts">Provider calls allowed in all: 1 treats an unknown outcome as sent; 2 re-sends once.</param>
public sealed record SendPolicy(TimeSpan ClaimLease, TimeSpan OutcomeWindow, int MaxAttempts)
{
    /// <summary>
    /// With the event webhook on, a re-send waits until this rule finds the webhook was accepting posts throughout, and
    /// is treated as sent when SendGrid's retries are over (ADR 0015). Null with the webhook off: the window alone decides.
    /// </summary>
    public SilenceRule? Silence { get; init; }
}

/// <summary>One sender's hold on a send.</summary>
/// <param name="PriorAttempts">Provider calls made for this send before the claim (a re-send after an unknown outcome has one).</param>
/// <param name="PriorAttemptAt">When the last of those was made; restored if the claim is released.</param>
/// <param name="Version">The store's concurrency token of the row as this claim last wrote it.</param>
public sealed record SendClaim(string CampaignId, string RecipientKey, string ClaimId, int PriorAttempts, DateTimeOffset? PriorAttemptAt, string Version)
{
    /// <summary>The attempt this claim makes: what the mail carries in its custom args.</summary>
    public SendId SendId => new(CampaignId, RecipientKey, PriorAttempts + 1);
}

public enum ClaimStatus
{
    /// <summary>This caller holds the send; nobody else will call the provider for it until the claim ends.</summary>
    Claimed,

    /// <summary>The send is in a final state (<see cref="SendClaimResult.State"/>); nothing more to do.</summary>
    Final,

    /// <summary>Another sender holds it, or its outcome is awaited; ask again at <see cref="SendClaimResult.RetryAt"/>.</summary>
    Busy,
}

public sealed record SendClaimResult(ClaimStatus Status, SendClaim? Claim = null, SendState? State = null, DateTimeOffset? RetryAt = null);

/// <summary>
/// One recipient of a campaign batch in the ledger, in the batch's partition, with the same states as any send:
/// <see cref="SendState.Claimed"/> when the batch's attempt claimed them but no request has carried them yet,
/// <see cref="SendState.Unknown"/> from just before the request that carries them (settled by its answer or by the
/// provider's events about that request), <see cref="SendState.Sent"/> when a part of a split batch was accepted on its
/// own, <see cref="SendState.Dropped"/> when the provider refused this recipient. No personal data: ids and codes.
/// </summary>
/// <param name="Attempt">The batch attempt this row rides on: what its send id carries.</param>
/// <param name="Request">Which of the attempt's provider requests carries the row, from 1; 0 while none does (claimed).</param>
public sealed record BatchSend(AlumnusId AlumnusId, SendState State, DateTimeOffset At, int Attempt = 1, string? Evidence = null, int Request = 0)
{
    /// <summary>The row's version (ETag) as <see cref="ISendLedger.RecordBatchAsync"/> wrote it; null when not known.</summary>
    public string? Version { get; init; }
}

/// <summary>
/// The Sends ledger: what makes a send at most once under redelivery, concurrent delivery, crashes and provider
/// timeouts. A send is claimed (insert-if-absent) with a short lease, marked <see cref="SendState.Unknown"/> just before
/// the provider is called, and resolved by the provider's answer, by its events, or by rule once the window passes.
/// </summary>
public interface ISendLedger
{
    /// <summary>
    /// Claims the send: a new row, a claim whose lease ran out, or an unknown outcome whose window passed with attempts
    /// left under <paramref name="policy"/>. An unknown outcome whose window passed with no attempts left becomes
    /// <see cref="SendState.Unconfirmed"/>.
    /// </summary>
    /// <param name="recipientKey">See <see cref="SendId.RecipientKey"/>.</param>
    Task<SendClaimResult> ClaimAsync(string campaignId, string recipientKey, DateTimeOffset now, SendPolicy policy, CancellationToken cancellationToken);

    /// <summary>
    /// Whether an attempt of the send may have reached the recipient: it is sent, unconfirmed, or was handed to the
    /// provider with its outcome unknown (also while a re-send after that is claimed). False when there is no row, when
    /// only an unattempted claim holds it, or when the provider dropped it. Reads, never claims.
    /// </summary>
    Task<bool> MayHaveReachedAsync(string campaignId, string recipientKey, CancellationToken cancellationToken);

    /// <summary>
    /// Which of <paramref name="recipientKeys"/> a send may have reached (as <see cref="MayHaveReachedAsync"/> decides) in
    /// any campaign whose id starts with <paramref name="campaignIdPrefix"/>: one range query over those campaigns, not a
    /// read per campaign and recipient. Rows of other recipients are read but not kept. Reads, never claims.
    /// </summary>
    /// <returns>Each such send as its campaign id and recipient key.</returns>
    Task<IReadOnlyList<(string CampaignId, string RecipientKey)>> WhichMayHaveReachedAsync(
        string campaignIdPrefix, IReadOnlySet<string> recipientKeys, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the claimed send <see cref="SendState.Unknown"/> just before the provider is called. Null when the claim
    /// was lost meanwhile (taken over, or resolved by an event): then the provider must not be called.
    /// </summary>
    Task<SendClaim?> BeginAttemptAsync(SendClaim claim, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The provider accepted the mail: marks it sent. Written even if the send was resolved meanwhile.</summary>
    Task RecordSentAsync(SendRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Nothing this claim did reached the provider: gives the send back as it was before the claim (removed when it
    /// had no earlier attempt), so a later delivery may try again. Never touches another sender's claim.
    /// </summary>
    Task ReleaseAsync(SendClaim claim, CancellationToken cancellationToken);

    /// <summary>An earlier attempt may have arrived and the rule forbids another: the send ends <see cref="SendState.Unconfirmed"/>.</summary>
    Task GiveUpAsync(SendClaim claim, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Applies provider evidence about one attempt (<see cref="SendState.Sent"/> or <see cref="SendState.Dropped"/>);
    /// false when the ledger holds no such send or already knew. Dropped outranks sent; nothing goes back to unknown.
    /// </summary>
    Task<bool> ResolveAsync(SendId sendId, SendState outcome, string evidence, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Records what a campaign batch did about its recipients, in the batch's own partition (campaign and batch number),
    /// 100 rows a transaction. Writing the same rows again (a retried batch) leaves one row per recipient.
    /// </summary>
    /// <param name="removed">Recipients whose rows go, in the same transactions: the rules refused them in a later
    /// attempt, and nothing that may have reached the provider carried them. Each must have a row.</param>
    /// <returns>The rows as written, each with its <see cref="BatchSend.Version"/>.</returns>
    Task<IReadOnlyList<BatchSend>> RecordBatchAsync(string batchKey, IReadOnlyList<BatchSend> sends, IReadOnlyList<AlumnusId> removed, CancellationToken cancellationToken);

    /// <summary>
    /// Settles unknown rows of a campaign batch (<see cref="SendState.Sent"/> or <see cref="SendState.Unconfirmed"/>), each
    /// only while it is still unknown under the same attempt, written with its ETag and keeping what events noted on it
    /// (opened, clicked…). A row an event settled meanwhile (a drop, a later attempt's claim) is left as it is. Rows given
    /// with the <see cref="BatchSend.Version"/> their unknown mark was written with are written with it, unread (a part of
    /// a batch the provider accepted: no more storage round trips than the mark); a row changed since is read and decided.
    /// </summary>
    /// <returns>Each given row as the ledger now holds it (as written, or as it was found), less rows gone meanwhile.</returns>
    Task<IReadOnlyList<BatchSend>> SettleBatchAsync(string batchKey, IReadOnlyList<BatchSend> settled, CancellationToken cancellationToken);

    /// <summary>The rows a batch recorded so far (none before its first attempt).</summary>
    Task<IReadOnlyList<BatchSend>> ListBatchAsync(string batchKey, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the recipient of a send has yet to be noted as reached in this way: false once
    /// <see cref="MarkEngagedAsync"/> noted it, or when the ledger holds no such send.
    /// </summary>
    Task<bool> IsFirstEngagementAsync(SendId sendId, Outreach.EngagementKind kind, CancellationToken cancellationToken);

    /// <summary>Notes that the recipient of a send was reached in this way (delivered, opened, clicked).</summary>
    /// <returns>True the first time for this send and kind; false after, or when the ledger holds no such send.</returns>
    Task<bool> MarkEngagedAsync(SendId sendId, Outreach.EngagementKind kind, CancellationToken cancellationToken);

    /// <summary>
    /// Blanks the provider's message id on every send to the alumnus (erasure): the id looks their address up in the
    /// provider's activity log; and clears the engagement noted on each (<see cref="MarkEngagedAsync"/>), which mails
    /// they opened or clicked, needed by neither the cap nor the evidence. State, attempts and times stay, for the
    /// promotional cap and as evidence. Repeatable.
    /// </summary>
    Task ForgetMessageIdsAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Every email handed to the provider for the alumnus (data export); reads across campaigns, so not for hot paths.</summary>
    Task<IReadOnlyList<SendRecord>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
