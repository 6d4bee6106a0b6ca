using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace AlumniNetwork.Bench.IntakeLoad;

/// <summary>
/// Load driver for the running local system (scripts/run-local.sh): posts signed departures concurrently, then waits
/// until every welcome email has reached the development sink. Prints throughput and latency percentiles.
/// </summary>
internal static class EndToEndRun
{
    /// <summary>The sink's distinct recipient addresses, and mails to an address that already had one.</summary>
    private sealed record SinkStats(long Recipients, long Duplicates);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var baseUrl = new Uri(args.Length > 2 ? args[2] : "http://localhost:7071/");
        var departures = SignedDepartures.FromDevelopmentSettings();
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var run = Guid.NewGuid().ToString("N")[..6];

        // The sink's counts (not its mails: downloading them every 250 ms would load the app under measurement), against
        // those before the run. Each departure has an address of its own, so each welcome is one more distinct recipient
        // (any other mail the local system sends meanwhile counts too).
        async Task<SinkStats> SinkAsync() => (await http.GetFromJsonAsync<SinkStats>("dev/outbox/stats"))!;
        var before = await SinkAsync();
        var latencies = new double[count];
        var failures = 0;
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            using var request = departures.Create($"B{run}-{i}", $"load{i}.{run}@example.net", new DateOnly(2026, 11, 1));
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, ct);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
            }
        });
        var intake = wall.Elapsed;

        SinkStats sink;
        while ((sink = await SinkAsync()).Recipients - before.Recipients < count - failures && wall.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(250);
        }

        var (delivered, duplicates) = (sink.Recipients - before.Recipients, sink.Duplicates - before.Duplicates);

        Array.Sort(latencies);
        Console.WriteLine($"departures: {count}, concurrency: {concurrency}, failures: {failures}");
        Console.WriteLine($"intake: {intake.TotalSeconds:F1} s, {count / intake.TotalSeconds:F0} webhooks/s, latency ms p50 {P(0.50):F0} p95 {P(0.95):F0} p99 {P(0.99):F0} max {latencies[^1]:F0}");
        Console.WriteLine($"welcome emails in sink: {delivered} recipients ({duplicates} duplicates) after {wall.Elapsed.TotalSeconds:F1} s from the first webhook");
        return failures == 0 && delivered >= count && duplicates == 0 ? 0 : 1;

        double P(double q) => Latencies.Percentile(latencies, q);
    }
}
