using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// Azurite from the repository's node_modules, in memory, on free ports: started by the test fixture and by the
/// intake benchmark (which links this file), so both run against the same kind of store.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string location;

    private AzuriteProcess(Process process, string location, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        this.location = location;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <param name="repositoryRoot">The folder whose node_modules holds Azurite (npm ci installs it).</param>
    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot)
    {
        var azurite = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run 'npm ci' in the repository root (scripts/test.sh does).");
        }

        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var location = Directory.CreateTempSubdirectory("azurite-").FullName;
        var process = Process.Start(new ProcessStartInfo(azurite)
        {
            ArgumentList =
            {
                "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            },
            WorkingDirectory = location,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = new AzuriteProcess(process, location, blob, queue, table);
        foreach (var port in new[] { queue, table })
        {
            await started.WaitForPortAsync(port);
        }

        return started;
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
        Directory.Delete(location, recursive: true);
        return ValueTask.CompletedTask;
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
            if (process.HasExited)
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
