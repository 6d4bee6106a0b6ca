using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Starts Azurite (from the repo's node_modules) on free ports, in memory, and stops it afterwards.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Process? process;
    private string? location;

    public int BlobPort { get; } = FreePort();
    public int QueuePort { get; } = FreePort();
    public int TablePort { get; } = FreePort();

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public async Task InitializeAsync()
    {
        var azurite = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run 'npm ci' in the repository root (scripts/test.sh does).");
        }

        location = Directory.CreateTempSubdirectory("azurite-").FullName;
        process = Process.Start(new ProcessStartInfo(azurite)
        {
            ArgumentList =
            {
                "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
                "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}",
            },
            WorkingDirectory = location,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        foreach (var port in new[] { QueuePort, TablePort })
        {
            await WaitForPortAsync(port);
        }
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process?.Dispose();
        if (location is not null)
        {
            Directory.Delete(location, recursive: true);
        }

        return Task.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Azurite did not listen on port {port} within 60 seconds.");
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
