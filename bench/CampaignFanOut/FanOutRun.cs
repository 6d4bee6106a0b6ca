using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Azure.Data.Tables;
using AlumniNetwork.Bench.IntakeLoad;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// One size: a fresh Azurite; N members seeded (twice: the app's table and the engine floor's copy); the two floors
/// (<see cref="RawLedger"/>, <see cref="RawEngine"/>) run first, each on tables of its own that it drops; then the sink and the app are
/// started as two processes (dispatch every second, the sink counting without keeping mails), a news item is created
/// and the ComposeNewsletter timer is invoked as the host would, which starts the campaign. The clock runs from that
/// invocation to the sink's last accepted personalization. Once the campaign's progress shows every batch done, the
/// mails, distinct recipients and requests come from the sink's statistics, the Sends rows from Azurite itself, the
/// transaction counts from the app's own meters (<c>/dev/metrics</c>) and, independently, from the <see cref="TableProxy"/>
/// every table request passes on its way to Azurite, the peak memory from the app's process alone.
/// </summary>
internal static class FanOutRun
{
    /// <summary>Batches a function instance sends at once: the trigger's <c>maxConcurrentCalls</c> in host.json.</summary>
    private const int Concurrency = 8;

    /// <summary>How long the driver waits, once the campaign's progress shows every batch done, before it reads the figures.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private sealed record Stats(long Requests, long Mails, long Recipients, long Duplicates, DateTimeOffset? FirstAcceptedAt, DateTimeOffset? LastAcceptedAt);

    private sealed record Progress(string CampaignId, string Status, int Pending, int Batches, int BatchesDone);

    public static async Task<FanOutResult> RunAsync(string root, int members)
    {
        await using var azurite = await AzuriteProcess.StartAsync(root);
        // Every table request of the run goes through the proxy, the floors' as the app's: the same hop for both.
        await using var proxy = await TableProxy.StartAsync(azurite);
        var service = new TableServiceClient(proxy.ConnectionString);
        var seeding = Stopwatch.StartNew();
        // BENCH_SKIP_FLOORS=1: the app's run alone (its memory and wall time are the same), the floors reported as zero.
        var skipFloors = Environment.GetEnvironmentVariable("BENCH_SKIP_FLOORS") == "1";
        await Members.SeedAsync(service, members, skipFloors ? [AlumniTables.Alumni] : [AlumniTables.Alumni, RawEngine.MembersTable]);
        Console.WriteLine($"{members:N0}: seeded in {seeding.Elapsed.TotalSeconds:F1} s");
        var (rawElapsed, rawTransactions) = skipFloors ? (TimeSpan.Zero, 0) : await RawLedger.WriteAsync(service, members, Concurrency);
        var scanFloor = skipFloors ? TimeSpan.Zero : await RawScan.RunAsync(service);
        var engineFloor = skipFloors ? TimeSpan.Zero : await RawEngine.RunAsync(service, Concurrency);

        // From here the proxy counts the app's requests (and the sink's and the driver's few), not the seeding's or the floors'.
        proxy.Reset();

        // The sink is a second instance of the app with no triggers: the measured app's memory and CPU are its own.
        var sinkAddress = new Uri($"http://127.0.0.1:{AzuriteProcess.FreePort()}/");
        await using var sink = await AppChild.StartAsync(root, sinkAddress, new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = proxy.ConnectionString,
            ["Company:PublicBaseUrl"] = sinkAddress.ToString(),
            ["LocalTriggerHost:Enabled"] = "false",
            ["DevSendGrid:OutboxCapacity"] = "0",
        });
        using var sinkHttp = new HttpClient { BaseAddress = sinkAddress };
        var baseAddress = new Uri($"http://127.0.0.1:{AzuriteProcess.FreePort()}/");
        await using var app = await AppChild.StartAsync(root, baseAddress, new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = proxy.ConnectionString,
            ["Company:PublicBaseUrl"] = baseAddress.ToString(),
            ["SendGrid:BaseUrl"] = new Uri(sinkAddress, "dev/sendgrid").ToString(),
            ["DispatchSchedule"] = "*/1 * * * * *",
            // Due every day (the closest allowed): the ComposeNewsletter tick finds the month's issue due whenever the bench runs.
            ["NewsletterSchedule"] = "0 0 0 * * *",
        }.Concat(AppOnlyEnvironment()).ToDictionary());
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken());
        var item = await http.PostAsync("api/manage/news", Json($$"""
            {"titleJa": "ベンチマーク号", "titleEn": "Benchmark issue", "bodyJa": "本文", "bodyEn": "Body",
             "publishFrom": "{{TimeProvider.System.GetUtcNow().AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}}"}
            """));
        Ensure(item, HttpStatusCode.Created, "creating the news item");

        var started = TimeProvider.System.GetUtcNow();
        var composed = await http.PostAsync("ComposeNewsletter", Json("""{"Data":{"timer":{}},"Metadata":{}}"""));
        Ensure(composed, HttpStatusCode.OK, "the ComposeNewsletter timer");
        if (!(await composed.Content.ReadAsStringAsync()).Contains("Newsletter: Started", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the ComposeNewsletter timer started no campaign: is NewsletterSchedule due?");
        }

        // Until the campaign's progress shows every batch done, and a quiet period after (the last batches save their
        // row and record the sent-mark window after the sink accepted their request), or two minutes without a change.
        var stats = await WaitForCampaignAsync(http, sinkHttp, members);
        var metrics = (await http.GetFromJsonAsync<Dictionary<string, double>>("dev/metrics"))!;
        var atAzurite = proxy.Counts();
        var ledger = await SendsLedger.CheckAsync(service, stats.CampaignId, members);
        return new FanOutResult(
            members,
            stats.Sink.Mails,
            stats.Sink.Recipients,
            stats.Sink.Duplicates,
            stats.Sink.Requests,
            ledger,
            (long)metrics.GetValueOrDefault("storage.transactions;table=Sends"),
            (long)metrics.GetValueOrDefault("storage.transactions;table=Alumni"),
            atAzurite,
            (stats.Sink.FirstAcceptedAt ?? started) - started,
            (stats.Sink.LastAcceptedAt ?? started) - started,
            rawElapsed,
            rawTransactions,
            scanFloor,
            engineFloor,
            metrics.GetValueOrDefault("campaign.batch.sent_mark_window;stat=max"),
            app.PeakMemoryMiB());
    }

    /// <summary>
    /// Polls the sink's statistics (cheap) until every recipient has a mail, then also the campaign's progress until
    /// every batch is done; after a further <see cref="Quiet"/> (a batch re-sent late would show) reads the sink's
    /// figures. Gives up after two minutes without a change at the sink.
    /// </summary>
    private static async Task<(string CampaignId, Stats Sink)> WaitForCampaignAsync(HttpClient app, HttpClient sink, int members)
    {
        var stats = new Stats(0, 0, 0, 0, null, null);
        for (var idle = Stopwatch.StartNew(); idle.Elapsed < TimeSpan.FromMinutes(2); await Task.Delay(250))
        {
            var now = (await sink.GetFromJsonAsync<Stats>("dev/outbox/stats"))!;
            if (now != stats)
            {
                stats = now;
                idle.Restart();
            }

            if (stats.Recipients >= members && await ProgressAsync(app) is { Status: "Completed", Pending: 0 } done)
            {
                await Task.Delay(Quiet);
                return (done.CampaignId, (await sink.GetFromJsonAsync<Stats>("dev/outbox/stats"))!);
            }
        }

        var last = await ProgressAsync(app);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{members:N0}: no change at the sink for two minutes, the campaign {last.Status} with {last.BatchesDone} of {last.Batches} batches done, {last.Pending} pending"));
        return (last.CampaignId, stats);
    }

    /// <summary>The run's one campaign (the Azurite is fresh), as admins see it.</summary>
    private static async Task<Progress> ProgressAsync(HttpClient app) => (await app.GetFromJsonAsync<Progress[]>("api/manage/campaigns"))!.Single();

    /// <summary>BENCH_APP_X=v sets X=v for the measured app alone (say a runtime knob such as DOTNET_GCHeapHardLimit), not for the driver or the sink.</summary>
    private static IEnumerable<KeyValuePair<string, string>> AppOnlyEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("BENCH_APP_", StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(((string)e.Key)["BENCH_APP_".Length..], (string)e.Value!));

    private static string AdminToken()
    {
        var options = new AdminAuthOptions
        {
            Audience = Repository.DevelopmentSetting("AdminAuth", "Audience"),
            DevelopmentSigningKey = Repository.DevelopmentSetting("AdminAuth", "DevelopmentSigningKey"),
        };
        return DevelopmentAdminToken.Create(options, ["Alumni.Admin"], TimeProvider.System);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static void Ensure(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{what} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}"));
        }
    }
}
