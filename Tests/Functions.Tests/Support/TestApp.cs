using System.Net.Http.Json;
using System.Text;
using Azure.Data.Tables;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Webhooks;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Hosting;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real function app on real Kestrel (loopback, free port), wired to the test's Azurite with its own table prefix,
/// its own SendGrid sink, and Development settings from the app's appsettings files.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_ZGV2ZWxvcG1lbnQtb25seS1ocmlzLXdlYmhvb2stc2VjcmV0";

    private readonly WebApplication app;

    private TestApp(WebApplication app, Uri baseAddress, string tablePrefix, TableServiceClient tables)
    {
        this.app = app;
        BaseAddress = baseAddress;
        TablePrefix = tablePrefix;
        Tables = tables;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }
    public string TablePrefix { get; }
    public TableServiceClient Tables { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => app.Services;

    public static async Task<TestApp> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? overrides = null, string environment = "Development")
    {
        var port = AzuriteFixture.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = baseAddress.ToString().TrimEnd('/'),
            ["Company:PublicBaseUrl"] = baseAddress.ToString(),
            ["SendGrid:BaseUrl"] = new Uri(baseAddress, "dev/sendgrid").ToString(),
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["LocalTriggerHost:Enabled"] = "false",
            ["LocalTriggerHost:QueueConnection"] = azurite.ConnectionString,
            ["LocalTriggerHost:ScriptRoot"] = AppContext.BaseDirectory,
            ["LocalTriggerHost:PollInterval"] = "00:00:00.100",
            ["LocalTriggerHost:RetryDelay"] = "00:00:00.200",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = RepoPaths.Functions,
            ApplicationName = typeof(FunctionsApp).Assembly.GetName().Name,
        });
        if (environment != Environments.Development)
        {
            // The same settings as Development, so that only what the environment itself switches differs.
            builder.Configuration.AddJsonFile(Path.Combine(RepoPaths.Functions, "appsettings.Development.json"));
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        var app = builder.BuildAlumniFunctions();
        await app.StartAsync();
        return new TestApp(app, baseAddress, prefix, new TableServiceClient(azurite.ConnectionString));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Posts a departure signed as the HR system would, with the development secret.</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string body, string? webhookId = null, DateTimeOffset? signedAt = null,
        string secret = WebhookSecret, string contentType = "application/json", string path = "api/hris/departures")
    {
        var id = webhookId ?? "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = (signedAt ?? DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds())).ToUnixTimeSeconds();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookVerifier.Sign(secret, id, timestamp, bytes));
        return await Client.SendAsync(request);
    }

    public async Task<IReadOnlyList<OutboxMail>> OutboxAsync() =>
        (await Client.GetFromJsonAsync<List<OutboxMail>>("dev/outbox/messages"))!;

    /// <summary>Every row in every table of this app: the proof that a refused request stored nothing.</summary>
    public async Task<int> CountAllRowsAsync(params string[] except)
    {
        var count = 0;
        foreach (var name in AlumniTables.All.Except(except))
        {
            var table = Tables.GetTableClient(TablePrefix + name);
            try
            {
                await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
                {
                    count++;
                }
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // The table was never created: nothing was stored in it.
            }
        }

        return count;
    }

    public async Task<List<TableEntity>> RowsAsync(string table)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in Tables.GetTableClient(TablePrefix + table).QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }

        return rows;
    }
}
