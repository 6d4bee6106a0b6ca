using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AlumniNetwork.Functions.DevSendGrid;

/// <summary>
/// Development only: the app's own counters (meters named <c>AlumniNetwork.*</c>), totalled since start, at
/// <c>/dev/metrics</c>, so a local run or a benchmark can read how many table transactions a campaign made. In Azure
/// the same counters go to Application Insights.
/// </summary>
public sealed class DevMetrics : IDisposable
{
    private readonly ConcurrentDictionary<string, long> totals = new(StringComparer.Ordinal);
    private readonly MeterListener listener = new();

    public DevMetrics()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name.StartsWith("AlumniNetwork.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $";{t.Key}={t.Value}"));
            totals.AddOrUpdate(key, value, (_, total) => total + value);
        });
        listener.Start();
    }

    public IReadOnlyDictionary<string, long> Totals => totals.ToDictionary(StringComparer.Ordinal);

    public void Dispose() => listener.Dispose();
}
