using System.Diagnostics;
using System.Globalization;
using System.Net;
using Azure.Core;
using Azure.Data.Tables;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Bench.IntakeLoad;

/// <summary>
/// Intake alone, measured side by side in one process against one Azurite: (a) <see cref="RawIntake"/>, the storage
/// calls the product makes per departure and nothing else; (b) the product over HTTP, signed webhooks to the function
/// app. Last working days lie two months ahead, so no invitation is due, and the local trigger host is off anyway.
/// Each concurrency is run in alternating rounds (a, b, a, b) so drift on a shared machine hits both alike.
/// </summary>
internal static class SideBySideRun
{
    public const string Command = "side-by-side";
    private static readonly int[] Concurrencies = [1, 16, 64];

    private sealed record Measurement(int Count, TimeSpan Elapsed, double[] Latencies, long RoundTrips);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var root = Repository.Root();
        await using var azurite = await AzuriteProcess.StartAsync(root);
        var counter = new RoundTripCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var service = new TableServiceClient(azurite.ConnectionString, options);
        var run = Guid.NewGuid().ToString("N")[..6];
        var raw = await RawIntake.CreateAsync(service, $"r{run}", Base64Key.Decode(Repository.DevelopmentSetting("Privacy", "PseudonymKey"))!);
        await using var product = await ProductHost.StartAsync(root, service, azurite.ConnectionString, $"p{run}");
        using var http = new HttpClient { BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var departures = SignedDepartures.FromDevelopmentSettings();
        var lastWorkingDay = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(60);
        var batch = 0;

        Task<Measurement> Raw(int n, int concurrency)
        {
            var label = $"R{run}-{batch++}";
            return MeasureAsync(n, concurrency, counter, (i, ct) => raw.RecordAsync($"{label}-{i}", $"r{i}.{label}@example.net", lastWorkingDay, ct));
        }

        Task<Measurement> Product(int n, int concurrency)
        {
            var label = $"P{run}-{batch++}";
            var requests = Enumerable.Range(0, n).Select(i => departures.Create($"{label}-{i}", $"p{i}.{label}@example.net", lastWorkingDay)).ToArray();
            return MeasureAsync(n, concurrency, counter, async (i, ct) =>
            {
                using var response = await http.SendAsync(requests[i], ct);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"The product answered {(int)response.StatusCode} to a new departure.");
                }
            });
        }

        // Warm-up: JIT, connection pools, and the tables' creation, which is once per process and not per departure.
        await Raw(200, 16);
        await Product(200, 16);

        var results = new Dictionary<(string Mode, int Concurrency), List<Measurement>>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var concurrency in Concurrencies)
            {
                var n = concurrency == 1 ? count / 4 : count;
                Add(results, ("raw", concurrency), await Raw(n, concurrency));
                Add(results, ("product", concurrency), await Product(n, concurrency));
            }
        }

        Report(results, count, rounds);
        return 0;
    }

    private static void Add(Dictionary<(string, int), List<Measurement>> results, (string, int) key, Measurement measurement)
    {
        if (!results.TryGetValue(key, out var list))
        {
            results[key] = list = [];
        }

        list.Add(measurement);
    }

    private static async Task<Measurement> MeasureAsync(int n, int concurrency, RoundTripCounter counter, Func<int, CancellationToken, Task> departure)
    {
        var latencies = new double[n];
        var before = counter.Count;
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            await departure(i, ct);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        return new Measurement(n, wall.Elapsed, latencies, counter.Count - before);
    }

    private static void Report(Dictionary<(string Mode, int Concurrency), List<Measurement>> results, int count, int rounds)
    {
        Console.WriteLine($"Intake side by side: {count} departures per run (a quarter at concurrency 1), {rounds} alternating rounds, {Environment.ProcessorCount} cores");
        Console.WriteLine("| Concurrency | (a) raw loop: departures/s | p50 / p99 ms | (b) product over HTTP: departures/s | p50 / p99 ms | (b)/(a) | storage round trips per departure (a) / (b) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var concurrency in Concurrencies)
        {
            var (raw, product) = (Summary(results[("raw", concurrency)]), Summary(results[("product", concurrency)]));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {raw.Rate:F0} | {raw.P50:F1} / {raw.P99:F1} | {product.Rate:F0} | {product.P50:F1} / {product.P99:F1} | {product.Rate / raw.Rate:F2} | {raw.RoundTrips:F2} / {product.RoundTrips:F2} |"));
        }
    }

    private static (double Rate, double P50, double P99, double RoundTrips) Summary(List<Measurement> runs)
    {
        var total = runs.Sum(r => r.Count);
        var latencies = runs.SelectMany(r => r.Latencies).Order().ToArray();
        return (total / runs.Sum(r => r.Elapsed.TotalSeconds), Latencies.Percentile(latencies, 0.50), Latencies.Percentile(latencies, 0.99),
            (double)runs.Sum(r => r.RoundTrips) / total);
    }
}
