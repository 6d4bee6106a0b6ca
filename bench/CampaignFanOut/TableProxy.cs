using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// A counting reverse proxy in front of Azurite's table endpoint, in the driver's process (Kestrel in, HttpClient out,
/// bodies streamed both ways), so the Sends ledger's transactions are counted by something other than the app's own
/// meter. It counts every request by table and kind: an entity-group transaction as <c>$batch</c> under the table its
/// body's request lines name (<see cref="BatchTables"/>), any other request under its method and the table in its path,
/// <c>GET entity</c> and the like where the path addresses one entity. A request is counted once its answer arrives,
/// whatever the answer, so a failed transaction counts, as it does in the app's meter.
/// </summary>
internal sealed class TableProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Upgrade", "Proxy-Connection", "Content-Length",
    };

    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly HttpClient azurite;
    private readonly Uri upstream;
    private WebApplication? server;

    private TableProxy(Uri upstream)
    {
        this.upstream = upstream;
        azurite = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Azurite's connection string with its table endpoint replaced by the proxy's.</summary>
    public string ConnectionString { get; private set; } = "";

    public static async Task<TableProxy> StartAsync(AzuriteProcess azurite)
    {
        var proxy = new TableProxy(new Uri($"http://127.0.0.1:{azurite.TablePort}"));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            // Refuse nothing Azurite would take: its bodies are unlimited here, its request head up to Node's 16 KiB.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestLineSize = kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
        });
        proxy.server = builder.Build();
        proxy.server.Run(proxy.ForwardAsync);
        await proxy.server.StartAsync();
        var address = proxy.server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var direct = $"TableEndpoint=http://127.0.0.1:{azurite.TablePort}/";
        proxy.ConnectionString = azurite.ConnectionString.Contains(direct, StringComparison.Ordinal)
            ? azurite.ConnectionString.Replace(direct, $"TableEndpoint={address.TrimEnd('/')}/", StringComparison.Ordinal)
            : throw new InvalidOperationException($"Azurite's connection string has no '{direct}' to route through the proxy.");
        return proxy;
    }

    /// <summary>The counts since the start or the last <see cref="Reset"/>, by <c>"{table} {kind}"</c> (<c>"Sends $batch"</c>, <c>"Alumni GET"</c>).</summary>
    public IReadOnlyDictionary<string, long> Counts() => counts.ToDictionary(StringComparer.Ordinal);

    /// <summary>Starts the counts afresh; call it with no request in flight.</summary>
    public void Reset() => counts.Clear();

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }

        azurite.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var table = BatchTables.TableOfPath(request.Path.Value ?? "") ?? "(none)";
        var batch = table == "$batch" && HttpMethods.IsPost(request.Method) ? new BatchTables() : null;
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream, target));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            outgoing.Content = new ForwardedBody(request.Body, batch);
        }

        foreach (var (name, values) in request.Headers.Where(h => !HopByHop.Contains(h.Key)))
        {
            if (!outgoing.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (outgoing.Content is not null)
        {
            outgoing.Content.Headers.ContentLength = request.ContentLength;
        }

        using var response = await azurite.SendAsync(outgoing, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        counts.AddOrUpdate(batch is null ? $"{table} {Kind(request)}" : $"{Named(batch)} $batch", 1, (_, n) => n + 1);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key) || h.Key == "Content-Length"))
        {
            context.Response.Headers[name] = values.ToArray();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>The method, and <c>entity</c> where the path addresses one entity (or one table) by its keys, not a query (<c>Sends()</c>).</summary>
    private static string Kind(HttpRequest request) =>
        request.Path.Value is { } path && path.Contains('(', StringComparison.Ordinal) && !path.EndsWith("()", StringComparison.Ordinal)
            ? $"{request.Method} entity"
            : request.Method;

    /// <summary>The one table a transaction writes; several joined with '+' (the service refuses that, so it would show); '(none)' if none was read.</summary>
    private static string Named(BatchTables batch) => batch.Tables.Count == 0 ? "(none)" : string.Join('+', batch.Tables);

    /// <summary>A request body sent on as it is read, passed through <see cref="BatchTables"/> on the way when it is a transaction's.</summary>
    private sealed class ForwardedBody(Stream body, BatchTables? batch) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    batch?.Read(buffer.AsSpan(0, read));
                    await stream.WriteAsync(buffer.AsMemory(0, read));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
