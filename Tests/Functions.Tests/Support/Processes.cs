using System.Diagnostics;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Runs a command to its end and keeps what it printed, for tests of the build and the scripts.</summary>
internal static class Processes
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Log => Output + Error;
    }

    public static Task<Result> RunAsync(string command, string workingDirectory, params string[] arguments) =>
        RunAsync(command, workingDirectory, new Dictionary<string, string>(), arguments);

    public static async Task<Result> RunAsync(string command, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
