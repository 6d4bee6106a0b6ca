using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Outreach;

public enum EngagementKind
{
    Delivered,
    Opened,
    Clicked,
}

/// <summary>How an alumnus engages with our email, as counts only: which messages they opened is not kept.</summary>
public sealed record Engagement(AlumnusId AlumnusId, long Delivered, long Opened, long Clicked, DateTimeOffset? LastEventAt);

/// <summary>Per-alumnus engagement counts, fed by the email provider's events.</summary>
public interface IEngagementCounters
{
    /// <summary>
    /// Adds one to the count of <paramref name="kind"/>; safe under concurrent increments. Not idempotent by itself:
    /// callers de-duplicate on the provider's event id first.
    /// </summary>
    Task IncrementAsync(AlumnusId alumnusId, EngagementKind kind, DateTimeOffset at, CancellationToken cancellationToken);

    Task<Engagement?> GetAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Removes the alumnus's counts (erasure, retention); removing twice is harmless.</summary>
    Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
