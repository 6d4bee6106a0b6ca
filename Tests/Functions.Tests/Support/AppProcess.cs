using System.Diagnostics;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The function app as its own operating-system process (<c>dotnet AlumniNetwork.Functions.dll</c>, Development settings,
/// the local trigger host on), so a test can kill it with SIGKILL mid-work and start it again on the same storage.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> errors = new();

    private AppProcess(Process process) => this.process = process;

    /// <summary>The Functions project's own build output, in the configuration the tests were built in.</summary>
    public static string AppDll { get; } = Path.Combine(RepoPaths.Functions, "bin", BuildConfiguration(), "net10.0", "AlumniNetwork.Functions.dll");

    private static string BuildConfiguration()
    {
        var segments = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory).Split(Path.DirectorySeparatorChar);
        return segments[Array.LastIndexOf(segments, "bin") + 1];
    }

    public static async Task<AppProcess> StartAsync(Uri baseAddress, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AppDll },
            WorkingDirectory = RepoPaths.Functions,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["Urls"] = baseAddress.ToString().TrimEnd('/'),
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => app.errors.Enqueue(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                Assert.Fail($"The app process exited with code {process.ExitCode} before it was ready: {string.Join('\n', app.errors.TakeLast(20))}");
            }

            try
            {
                return (await probe.GetAsync("/")).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, "the app process answered its readiness probe", seconds: 120);
        return app;
    }

    /// <summary>SIGKILL: the process ends at once, mid-request, with no shutdown code run.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
