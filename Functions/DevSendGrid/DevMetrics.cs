using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AlumniNetwork.Functions.DevSendGrid;

/// <summary>
/// Development only: the app's own counters (meters named <c>AlumniNetwork.*</c>), totalled since start, at
/// <c>/dev/metrics</c>, so a local run or a benchmark can read how many table transactions a campaign made; histograms
/// as their count, sum and maximum (<c>name;stat=max</c>). Only this app's instruments count (the meters its own factory
/// made), so apps sharing a process do not add up. In Azure the same instruments go to Application Insights.
/// </summary>
public sealed class DevMetrics : IDisposable
{
    private readonly ConcurrentDictionary<string, long> totals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Count, double Sum, double Max)> histograms = new(StringComparer.Ordinal);
    private readonly MeterListener listener = new();

    public DevMetrics(IMeterFactory meters)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name.StartsWith("AlumniNetwork.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $";{t.Key}={t.Value}"));
            totals.AddOrUpdate(key, value, (_, total) => total + value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            histograms.AddOrUpdate(instrument.Name, (1, value, value), (_, h) => (h.Count + 1, h.Sum + value, Math.Max(h.Max, value))));
        listener.Start();
    }

    public IReadOnlyDictionary<string, double> Totals => totals.Select(t => KeyValuePair.Create(t.Key, (double)t.Value))
        .Concat(histograms.SelectMany(h => new[]
        {
            KeyValuePair.Create($"{h.Key};stat=count", (double)h.Value.Count),
            KeyValuePair.Create($"{h.Key};stat=sum", h.Value.Sum),
            KeyValuePair.Create($"{h.Key};stat=max", h.Value.Max),
        }))
        .ToDictionary(StringComparer.Ordinal);

    public void Dispose() => listener.Dispose();
}
