using System.Net.Http.Json;
using System.Text;
using Azure.Data.Tables;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Webhooks;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

    /// <param name="services">Registrations added after the app's own, e.g. an in-memory telemetry exporter.</param>
    /// <param name="logs">Receives the app's log records (none are kept otherwise).</param>
    /// <param name="storageRoundTrips">Counts every request the app's Table Storage client sends.</param>
    public static async Task<TestApp> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? overrides = null, string environment = "Development",
        Action<IServiceCollection>? services = null, CapturedLogs? logs = null, RoundTripCounter? storageRoundTrips = null)
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
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs.CreateProvider());
        }

        builder.AddAlumniFunctions();
        if (storageRoundTrips is not null)
        {
            var options = new TableClientOptions();
            options.AddPolicy(storageRoundTrips, Azure.Core.HttpPipelinePosition.PerRetry);
            builder.Services.AddSingleton(new AlumniTables(new TableServiceClient(azurite.ConnectionString, options), prefix));
        }

        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapAlumniFunctions();
        await app.StartAsync();
        return new TestApp(app, baseAddress, prefix, new TableServiceClient(azurite.ConnectionString));
    }

    /// <summary>
    /// What the Production environment needs beyond the test's storage and addresses (the Development files are not
    /// read there): an Entra authority, never contacted by these tests, and throwaway keys.
    /// </summary>
    public static Dictionary<string, string?> ProductionSettings() => new()
    {
        ["AdminAuth:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        ["AdminAuth:Audience"] = "api://alumni",
        ["Company:Name"] = "Example",
        ["Hris:WebhookSecrets:0"] = WebhookSecret,
        ["Links:ActiveKeyId"] = "k1",
        ["Links:Keys:k1"] = Convert.ToBase64String(new byte[32]),
        ["SendGrid:ApiKey"] = "key",
        ["SendGrid:FromEmail"] = "alumni@example.com",
        ["SendGrid:FromName"] = "Example Alumni",
        ["Outreach:PostalAddress"] = "1-1-1 Marunouchi, Tokyo",
        ["Outreach:EnquiryContact"] = "alumni@example.com",
        ["Privacy:PseudonymKey"] = Convert.ToBase64String(new byte[32]),
        ["SendGrid:EventWebhookPublicKey"] = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Functions, "appsettings.Development.json")).Build()["SendGrid:EventWebhookPublicKey"],
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Posts a departure signed as the HR system would, with the development secret.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string body, string? webhookId = null, DateTimeOffset? signedAt = null,
        string secret = WebhookSecret, string contentType = "application/json", string path = "api/hris/departures",
        IReadOnlyDictionary<string, string>? headers = null) =>
        PostSignedBytesAsync(Encoding.UTF8.GetBytes(body), webhookId, signedAt, secret, contentType, path, headers);

    /// <summary>Posts exact bytes signed as the HR system would: for bodies that are not valid UTF-8.</summary>
    public async Task<HttpResponseMessage> PostSignedBytesAsync(byte[] bytes, string? webhookId = null, DateTimeOffset? signedAt = null,
        string secret = WebhookSecret, string contentType = "application/json", string path = "api/hris/departures",
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var id = webhookId ?? "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = (signedAt ?? DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds())).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookVerifier.Sign(secret, id, timestamp, bytes));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

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

    /// <summary>
    /// Every row of every table as <c>table|partition|row|etag</c>, sorted: two equal snapshots prove that nothing was
    /// added, changed or removed in between (an update changes the ETag).
    /// </summary>
    public async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        var rows = new List<string>();
        foreach (var name in AlumniTables.All)
        {
            try
            {
                await foreach (var row in Tables.GetTableClient(TablePrefix + name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                {
                    rows.Add($"{name}|{row.PartitionKey}|{row.RowKey}|{row.ETag}");
                }
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // The table was never created: nothing was stored in it.
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary><see cref="SnapshotAsync"/> without the console's antiforgery key ring, which the first form token of a session may create.</summary>
    public async Task<IReadOnlyList<string>> SnapshotWithoutKeyRingAsync() =>
        [.. (await SnapshotAsync()).Where(r => !r.StartsWith(AlumniTables.DataProtectionKeys + "|", StringComparison.Ordinal))];

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
