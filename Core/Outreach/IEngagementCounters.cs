using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Outreach;

public enum EngagementKind
{
    Delivered,
    Opened,
    Clicked,
}

/// <summary>
/// How an alumnus engages with our email, as counts. Which sends were delivered, opened or clicked is noted on each send's
/// row instead (<see cref="Sends.ISendLedger.MarkEngagedAsync"/>), shown in the data export and cleared by erasure and
/// take-back (<see cref="Sends.ISendLedger.ForgetMessageIdsAsync"/>).
/// </summary>
public sealed record Engagement(AlumnusId AlumnusId, long Delivered, long Opened, long Clicked, DateTimeOffset? LastEventAt);

/// <summary>Counts of one campaign kind in one month (one shard of them: callers add shards up).</summary>
public sealed record CampaignEngagement(string CampaignKind, string Month, long Delivered, long Opened, long Clicked);

/// <summary>Per-alumnus engagement counts, and counts per campaign kind and month, fed by the email provider's events.</summary>
public interface IEngagementCounters
{
    /// <summary>
    /// Adds one to the count of <paramref name="kind"/>; safe under concurrent increments. Not idempotent by itself:
    /// callers de-duplicate on the provider's event id first.
    /// </summary>
    Task IncrementAsync(AlumnusId alumnusId, EngagementKind kind, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Adds one to the count of <paramref name="kind"/> for <paramref name="campaignKind"/> in <paramref name="month"/>
    /// (<c>yyyy-MM</c>: the company's month of <paramref name="at"/>, which the caller decides). The alumnus only spreads
    /// concurrent writes over shards; nothing is kept per person.
    /// </summary>
    Task IncrementCampaignAsync(string campaignKind, string month, AlumnusId alumnusId, EngagementKind kind, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The per-campaign-kind counts from month <paramref name="fromMonth"/> (<c>yyyy-MM</c>) on, shard by shard.</summary>
    IAsyncEnumerable<CampaignEngagement> CampaignCountsAsync(string fromMonth, CancellationToken cancellationToken);

    Task<Engagement?> GetAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Removes the alumnus's counts (erasure, retention); removing twice is harmless.</summary>
    Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
