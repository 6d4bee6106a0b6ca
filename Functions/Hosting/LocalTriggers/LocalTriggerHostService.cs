using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Hosting.LocalTriggers;

/// <summary>Runs the local trigger host once the app listens, against the app's own loopback address.</summary>
public sealed class LocalTriggerHostService(
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<LocalTriggerHostOptions> options,
    IConfiguration configuration,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    public const string HttpClientName = "local-trigger-host";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var settings = options.Value;
        var connection = settings.QueueConnection ?? configuration["Storage:ConnectionString"]
            ?? throw new InvalidOperationException("LocalTriggerHost:QueueConnection or Storage:ConnectionString is required for the local trigger host.");
        var scriptRoot = settings.ScriptRoot ?? AppContext.BaseDirectory;
        var host = new LocalTriggerHost(
            scriptRoot,
            new FunctionInvoker(httpClients.CreateClient(HttpClientName), LoopbackAddress(), time),
            new MessageQueues(new QueueServiceClient(connection)),
            settings,
            configuration,
            time,
            loggers.CreateLogger<LocalTriggerHost>(),
            // With the app's table prefix, as its other tables: apps sharing a storage account keep their own status.
            new ScheduleMonitor(new TableServiceClient(connection).GetTableClient(configuration["Storage:TablePrefix"] + ScheduleMonitor.TableName), scriptRoot));
        await host.RunAsync(stoppingToken);
    }

    private Uri LoopbackAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The local trigger host needs the app to listen on an http:// address.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "localhost")
        {
            uri.Host = "127.0.0.1";
        }

        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}
