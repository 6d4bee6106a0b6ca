using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Azure.Data.Tables;
using AlumniNetwork.Bench.IntakeLoad;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// One size: a fresh Azurite; N members seeded; the raw floor written into a table of its own; then the app is started
/// (dispatch every second, the sink counting without keeping mails), a news item is created and the ComposeNewsletter
/// timer is invoked as the host would, which starts the campaign. The clock runs from that invocation to the sink's last
/// accepted personalization; the counts come from the sink's statistics and the app's own meters (<c>/dev/metrics</c>).
/// </summary>
internal static class FanOutRun
{
    /// <summary>Batches a function instance sends at once: the trigger's <c>maxConcurrentCalls</c> in host.json.</summary>
    private const int Concurrency = 8;

    private sealed record Stats(long Requests, long Mails, DateTimeOffset? LastAcceptedAt);

    public static async Task<FanOutResult> RunAsync(string root, int members)
    {
        await using var azurite = await AzuriteProcess.StartAsync(root);
        var service = new TableServiceClient(azurite.ConnectionString);
        var seeding = Stopwatch.StartNew();
        await Members.SeedAsync(service, members);
        Console.WriteLine($"{members:N0}: seeded in {seeding.Elapsed.TotalSeconds:F1} s");
        var (rawElapsed, rawTransactions) = await RawLedger.WriteAsync(service, members, Concurrency);

        var baseAddress = new Uri($"http://127.0.0.1:{AzuriteProcess.FreePort()}/");
        await using var app = await AppChild.StartAsync(root, baseAddress, new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Company:PublicBaseUrl"] = baseAddress.ToString(),
            ["SendGrid:BaseUrl"] = new Uri(baseAddress, "dev/sendgrid").ToString(),
            ["DispatchSchedule"] = "*/1 * * * * *",
            ["DevSendGrid:OutboxCapacity"] = "0",
        });
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken());
        var item = await http.PostAsync("api/admin/news", Json($$"""
            {"titleJa": "ベンチマーク号", "titleEn": "Benchmark issue", "bodyJa": "本文", "bodyEn": "Body",
             "publishFrom": "{{TimeProvider.System.GetUtcNow().AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}}"}
            """));
        Ensure(item, HttpStatusCode.Created, "creating the news item");

        var started = TimeProvider.System.GetUtcNow();
        var composed = await http.PostAsync("ComposeNewsletter", Json("""{"Data":{"timer":{}},"Metadata":{}}"""));
        Ensure(composed, HttpStatusCode.OK, "the ComposeNewsletter timer");

        // Until every mail is in, or nothing has moved for two minutes.
        var stats = new Stats(0, 0, null);
        TimeSpan? firstMail = null;
        for (var idle = Stopwatch.StartNew(); stats.Mails < members && idle.Elapsed < TimeSpan.FromMinutes(2); await Task.Delay(250))
        {
            var now = (await http.GetFromJsonAsync<Stats>("dev/outbox/stats"))!;
            if (now.Mails != stats.Mails)
            {
                idle.Restart();
                firstMail ??= now.LastAcceptedAt - started;
            }

            stats = now;
        }

        var metrics = (await http.GetFromJsonAsync<Dictionary<string, double>>("dev/metrics"))!;
        return new FanOutResult(
            members,
            stats.Mails,
            stats.Requests,
            (long)metrics.GetValueOrDefault("storage.transactions;table=Sends"),
            (long)metrics.GetValueOrDefault("storage.transactions;table=Alumni"),
            firstMail ?? TimeSpan.Zero,
            (stats.LastAcceptedAt ?? TimeProvider.System.GetUtcNow()) - started,
            rawElapsed,
            rawTransactions,
            metrics.GetValueOrDefault("campaign.batch.sent_mark_window;stat=max"),
            app.PeakMemoryMiB());
    }

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
