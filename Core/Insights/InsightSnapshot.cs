using System.Text.Json;

namespace AlumniNetwork.Core.Insights;

/// <summary>One figure of the snapshot, with the period it belongs to (a month or quarter name), if any.</summary>
public sealed record InsightMetric(long Value, string? Period = null);

/// <summary>
/// The rolled-up figures the dashboard reads: a flat map from metric name (<see cref="InsightKeys"/>) to a count, kept in
/// one small row so the dashboard costs one read however many alumni there are. A name nobody has produced yet reads 0,
/// so a section can show a figure before the feature that counts it exists.
/// </summary>
public sealed class InsightSnapshot
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public InsightSnapshot(DateTimeOffset? computedAt, IReadOnlyDictionary<string, InsightMetric> metrics)
    {
        ComputedAt = computedAt;
        Metrics = metrics;
    }

    public static InsightSnapshot Empty { get; } = new(null, new Dictionary<string, InsightMetric>());

    /// <summary>When the figures were rolled up; null before the first roll-up.</summary>
    public DateTimeOffset? ComputedAt { get; }

    public IReadOnlyDictionary<string, InsightMetric> Metrics { get; }

    public long Value(string key) => Metrics.TryGetValue(key, out var metric) ? metric.Value : 0;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new Stored(ComputedAt, Metrics), Json);

    public static InsightSnapshot FromJson(ReadOnlySpan<byte> json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json, Json) ?? throw new JsonException("An insight snapshot is a JSON object.");
        return new InsightSnapshot(stored.ComputedAt, stored.Metrics ?? new Dictionary<string, InsightMetric>());
    }

    private sealed record Stored(DateTimeOffset? ComputedAt, IReadOnlyDictionary<string, InsightMetric>? Metrics);
}

/// <summary>Where the snapshot is kept: one row, written with optimistic concurrency.</summary>
public interface IInsightStore
{
    /// <returns>The snapshot and its concurrency token, or the empty snapshot and null before the first roll-up.</returns>
    Task<(InsightSnapshot Snapshot, string? ETag)> GetAsync(CancellationToken cancellationToken);

    /// <summary>Writes the snapshot if the stored one is still <paramref name="etag"/> (absent when null); false when another roll-up wrote first.</summary>
    Task<bool> TrySaveAsync(InsightSnapshot snapshot, string? etag, CancellationToken cancellationToken);
}
