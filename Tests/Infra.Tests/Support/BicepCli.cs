using System.Diagnostics;
using System.Reflection;

namespace AlumniNetwork.Infra.Tests.Support;

/// <summary>The outcome of one bicep invocation.</summary>
public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the CLI printed; bicep writes diagnostics to standard error.</summary>
    public string Output => string.Join(Environment.NewLine, new[] { StandardOutput, StandardError }
        .Where(text => !string.IsNullOrWhiteSpace(text))
        .Select(text => text.Trim()));
}

/// <summary>
/// Runs the bicep executable that the Azure.Bicep.CommandLine.linux-x64 package restores (tools/bicep). The build
/// writes the package folder into an assembly attribute; the global packages folder is the fallback, and
/// BICEP_PATH overrides both (e.g. on a machine that is not linux-x64).
/// </summary>
public static class BicepCli
{
    private const string PackageId = "azure.bicep.commandline.linux-x64";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<string> LazyExecutable = new(FindExecutable);

    public static string Executable => LazyExecutable.Value;

    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryLayout.Root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {Executable}.");
        using var timeout = new CancellationTokenSource(Timeout);
        var standardOutput = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var standardError = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepResult(process.ExitCode, await standardOutput, await standardError);
    }

    private static string FindExecutable()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("BICEP_PATH") is { Length: > 0 } overridePath)
        {
            candidates.Add(overridePath);
        }

        var packagePath = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "BicepPackagePath")?.Value;
        if (!string.IsNullOrEmpty(packagePath))
        {
            candidates.Add(Path.Combine(packagePath, "tools", "bicep"));
        }

        candidates.AddRange(FromGlobalPackagesFolder());

        var executable = candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "bicep not found. Restore Tests/Infra.Tests (it references Azure.Bicep.CommandLine.linux-x64) or set BICEP_PATH. Looked in: "
                + string.Join(", ", candidates));
        EnsureExecutable(executable);
        return executable;
    }

    private static IEnumerable<string> FromGlobalPackagesFolder()
    {
        var folder = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(folder))
        {
            folder = AskDotnetForGlobalPackagesFolder();
        }

        var packageFolder = folder is null ? null : Path.Combine(folder, PackageId);
        if (packageFolder is null || !Directory.Exists(packageFolder))
        {
            return [];
        }

        // Newest version first.
        return Directory.EnumerateDirectories(packageFolder)
            .Select(directory => (Directory: directory, Version: Version.TryParse(Path.GetFileName(directory), out var v) ? v : new Version(0, 0)))
            .OrderByDescending(entry => entry.Version)
            .Select(entry => Path.Combine(entry.Directory, "tools", "bicep"));
    }

    private static string? AskDotnetForGlobalPackagesFolder()
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "nuget", "locals", "global-packages", "--list" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        string output;
        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return null;
            }

            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No dotnet on PATH: the caller reports where it looked.
            return null;
        }

        // "global-packages: /root/.nuget/packages/"
        const string Prefix = "global-packages:";
        return output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .Select(line => line[Prefix.Length..].Trim())
            .FirstOrDefault();
    }

    // NuGet extracts package files without the execute bit on some systems.
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | Execute);
        }
    }
}
