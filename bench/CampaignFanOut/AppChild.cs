using System.Diagnostics;
using System.Globalization;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// The function app as its own process, from its Release build output, with its Development settings and the local
/// trigger host on, so its memory is its own: peak resident memory is read from <c>/proc/&lt;pid&gt;/status</c> (VmHWM).
/// </summary>
internal sealed class AppChild : IAsyncDisposable
{
    private readonly Process process;

    private AppChild(Process process, Uri baseAddress) => (this.process, BaseAddress) = (process, baseAddress);

    public Uri BaseAddress { get; }

    public static async Task<AppChild> StartAsync(string repositoryRoot, Uri baseAddress, IReadOnlyDictionary<string, string> settings)
    {
        var functions = Path.Combine(repositoryRoot, "Functions");
        var dll = Path.Combine(functions, "bin", "Release", "net10.0", "AlumniNetwork.Functions.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: run the benchmark with -c Release, which builds the app.");
        }

        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, WorkingDirectory = functions, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["Urls"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => errors.Enqueue(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        for (var ready = Stopwatch.StartNew(); ready.Elapsed < TimeSpan.FromMinutes(2); await Task.Delay(200))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode}: {string.Join('\n', errors.TakeLast(20))}");
            }

            try
            {
                if ((await probe.GetAsync("/")).IsSuccessStatusCode)
                {
                    return new AppChild(process, baseAddress);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The app did not answer within two minutes.");
    }

    /// <summary>Peak resident set size of the app process so far, in MiB.</summary>
    public double PeakMemoryMiB()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
