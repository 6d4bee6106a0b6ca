using System.IO.Compression;
using Microsoft.AspNetCore.Hosting;
using System.Text;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// A stand-in for Application Insights' ingestion endpoint on loopback: it accepts the Azure Monitor exporter's
/// <c>/v2.1/track</c> posts (gzip, one JSON envelope a line) and keeps every envelope, so a test can read exactly what
/// would have reached Application Insights.
/// </summary>
public sealed class FakeIngestion : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly LockedCollection<string> envelopes = [];

    private FakeIngestion(WebApplication app, Uri endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>A connection string that sends everything here, never to Azure.</summary>
    public string ConnectionString =>
        $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={Endpoint};LiveEndpoint={Endpoint}";

    public IReadOnlyList<string> Envelopes => envelopes.Snapshot();

    public static async Task<FakeIngestion> StartAsync()
    {
        var port = AzuriteFixture.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var ingestion = new FakeIngestion(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/v2.1/track", async (HttpRequest request) =>
        {
            var body = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(request.Body, CompressionMode.Decompress)
                : request.Body;
            using var reader = new StreamReader(body, Encoding.UTF8);
            var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in lines)
            {
                ingestion.envelopes.Add(line);
            }

            return Results.Json(new { itemsReceived = lines.Length, itemsAccepted = lines.Length, errors = Array.Empty<object>() });
        });
        await app.StartAsync();
        return ingestion;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
