using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Campaigns;

public enum BatchStatus
{
    /// <summary>Planned; not yet accepted by the provider (or every attempt so far failed before it could be).</summary>
    Planned,

    /// <summary>One attempt holds the batch until <see cref="CampaignBatch.LeaseUntil"/> while it decides and claims; the provider is not called yet.</summary>
    Claiming,

    /// <summary>The provider accepted the batch's request: its claimed recipients are sent.</summary>
    Sent,

    /// <summary>
    /// The request is being made, or was and got no answer (a timeout, a crash): it may have reached the provider, so it
    /// is never made again blindly; the provider's events settle it.
    /// </summary>
    Unknown,

    /// <summary>The campaign was stopped before the batch was sent; it sends nothing.</summary>
    Stopped,

    /// <summary>The request's outcome stayed unknown with no way to learn it (the event webhook is off): treated as sent, never sent again.</summary>
    Unconfirmed,
}

/// <summary>
/// Up to 1,000 recipients of one campaign, sent in one provider request. The batch row is also the campaign's record
/// of what happened to them: counts by outcome, and engagement reported later by the provider.
/// </summary>
public sealed class CampaignBatch
{
    public required string CampaignId { get; init; }
    public required int Number { get; init; }
    public required IReadOnlyList<AlumnusId> Recipients { get; init; }
    /// <summary>How long one attempt may hold a batch before another takes over (claims of 1,000 take seconds).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public BatchStatus Status { get; set; } = BatchStatus.Planned;

    /// <summary>Until when the attempt that is claiming holds the batch.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>When the provider was (last) called for the batch.</summary>
    public DateTimeOffset? RequestedAt { get; set; }

    /// <summary>
    /// Not taken before this instant: the wait the provider asked for when it last refused the batch (a 429's
    /// <c>Retry-After</c> or <c>X-RateLimit-Reset</c>), so another delivery of its message, or a re-drive, does not send
    /// into the rate limit the work item is waiting out.
    /// </summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>Requests made for the batch that may have reached the provider; what its send ids carry as the attempt.</summary>
    public int Attempts { get; set; }
    public string? ProviderMessageId { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Sent { get; set; }
    public int Failed { get; set; }

    /// <summary>Recipients the gate refused at send time (consent withdrawn since planning, the cap…), by reason.</summary>
    public Dictionary<string, int> Skipped { get; set; } = new(StringComparer.Ordinal);

    public int Delivered { get; set; }
    public int Opened { get; set; }
    public int Clicked { get; set; }
    public string? ETag { get; set; }

    /// <summary>Id of the batch's work item and its Sends ledger partition: campaign and batch number, <c>{campaign}-b00001</c>.</summary>
    public string Key => KeyOf(CampaignId, Number);

    public bool IsDone => Status is BatchStatus.Sent or BatchStatus.Stopped or BatchStatus.Unconfirmed;

    /// <summary>Whether an attempt may take the batch now: planned, or held by an attempt that died before calling the provider.</summary>
    public bool IsFree(DateTimeOffset now) => Status == BatchStatus.Planned || (Status == BatchStatus.Claiming && LeaseUntil <= now);

    public static string KeyOf(string campaignId, int number) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{campaignId}-b{number:D5}");

    public static bool TryParseKey(string key, out string campaignId, out int number)
    {
        const int suffix = 7;
        campaignId = key.Length > suffix && key[^suffix..^5] == "-b" ? key[..^suffix] : "";
        number = 0;
        return campaignId.Length > 0 &&
            int.TryParse(key.AsSpan(key.Length - 5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number);
    }
}

/// <summary>Campaigns and their batches.</summary>
public interface ICampaignStore
{
    /// <summary>Stores a new campaign; false (and nothing changed) when one with its id exists.</summary>
    Task<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken);

    Task<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>Writes the campaign if unchanged since read (ETag); false when someone else changed it first.</summary>
    Task<bool> TryUpdateAsync(Campaign campaign, CancellationToken cancellationToken);

    /// <summary>Campaigns, newest first.</summary>
    IAsyncEnumerable<Campaign> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a planned batch unless one with its number exists: a planner resuming from an older checkpoint must never
    /// put a batch that may have been sent back to planned.
    /// </summary>
    Task AddBatchAsync(CampaignBatch batch, CancellationToken cancellationToken);

    Task<CampaignBatch?> GetBatchAsync(string campaignId, int number, CancellationToken cancellationToken);

    /// <summary>Writes the batch if unchanged since read (ETag); false when someone else changed it first.</summary>
    Task<bool> TryUpdateBatchAsync(CampaignBatch batch, CancellationToken cancellationToken);

    Task<IReadOnlyList<CampaignBatch>> ListBatchesAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>Adds one to the batch's count of recipients reached in this way; nothing when there is no such batch.</summary>
    Task CountEngagementAsync(string campaignId, int number, Outreach.EngagementKind kind, CancellationToken cancellationToken);
}
