using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.EndToEnd;

/// <summary>
/// The unlucky operator's tests (issue 7): the app killed with SIGKILL while invitations go out, and a SendGrid that
/// accepts mail but answers after our timeout. A SendGrid stand-in outside the app records every mail it accepted.
/// No test measures speed: each waits, with generous bounds, for the state that must come.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CrashAndSlowProviderTests(AzuriteFixture azurite)
{
    /// <summary>Longer than any restart of the app here, so a mail the stand-in accepted is always settled by its event first.</summary>
    private static readonly TimeSpan CrashOutcomeWindow = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task AppKilledWhileInvitationsGoOut_AfterRestartEveryoneHasExactlyOneInvitation()
    {
        const int people = 24;
        await WelcomeQueue.EmptyAsync(azurite);
        await using var sendGrid = await SendGridStandIn.StartAsync();
        var baseAddress = new Uri($"http://127.0.0.1:{AzuriteFixture.FreePort()}/");
        sendGrid.EventWebhook = baseAddress;
        // Slow enough that the kill after the first answers finds most invitations still going out.
        sendGrid.AnswerDelay = TimeSpan.FromSeconds(1);
        var prefix = "k" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string>
        {
            ["Company:PublicBaseUrl"] = baseAddress.ToString(),
            ["SendGrid:BaseUrl"] = sendGrid.BaseAddress.ToString(),
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["LocalTriggerHost:Enabled"] = "true",
            ["LocalTriggerHost:QueueConnection"] = azurite.ConnectionString,
            ["LocalTriggerHost:PollInterval"] = "00:00:00.100",
            ["LocalTriggerHost:LockDuration"] = "00:00:05",
            ["DispatchSchedule"] = "*/1 * * * * *",
            ["Sending:ClaimLease"] = "00:00:05",
            ["Sending:OutcomeWindow"] = CrashOutcomeWindow.ToString(),
        };

        var app = await AppProcess.StartAsync(baseAddress, settings);
        using var client = new HttpClient { BaseAddress = baseAddress };
        var tables = new TableServiceClient(azurite.ConnectionString);
        for (var i = 0; i < people; i++)
        {
            var response = await PostDepartureAsync(client, i);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await Eventually.TrueAsync(() => Task.FromResult(sendGrid.Mails.Count >= 4), "the first invitations reached SendGrid", seconds: 120);
        app.Kill();
        var sentBeforeTheKill = sendGrid.Mails.Count;

        // A dispatch lost with the killed dispatcher comes back only after its lease, which outlasts a run (7 minutes).
        await using var restarted = await AppProcess.StartAsync(baseAddress, settings);
        await Eventually.TrueAsync(async () => sendGrid.Mails.Select(m => m.To).Distinct().Count() == people && await RowsAsync(tables, prefix, AlumniTables.WorkItems) == 0,
            "every invitation was sent and every work item completed", seconds: 660);

        var mails = sendGrid.Mails;
        Assert.True(sentBeforeTheKill < people, "the kill came while invitations were still going out");
        Assert.All(mails.GroupBy(m => m.To), g => Assert.Single(g));
        Assert.Equal(people, mails.Count);
        await foreach (var row in tables.GetTableClient(prefix + AlumniTables.Sends).QueryAsync<TableEntity>())
        {
            Assert.Equal(nameof(SendState.Sent), row.GetString("Status"));
        }
    }

    [Fact]
    public async Task ProviderAnswersAfterTheTimeout_SendIsSettledByItsProcessedEventAndNeverRepeated()
    {
        var (sendGrid, app) = await StartSlowAsync(TimeSpan.FromSeconds(10));
        await using var _ = sendGrid;
        await using var __ = app;
        sendGrid.EventWebhook = app.BaseAddress;
        var id = await app.DepartAsync(lastWorkingDay: "2026-11-01");

        await Eventually.TrueAsync(async () => (await SendRowAsync(app))?.GetString("Status") == nameof(SendState.Sent), "the processed event settled the send", seconds: 120);
        await Eventually.TrueAsync(async () => (await app.RowsAsync(AlumniTables.WorkItems)).Count == 0, "the work item completed after the window", seconds: 120);

        var mail = Assert.Single(sendGrid.Mails);
        Assert.Equal($"welcome/{id.Value}/1", mail.CustomArgs[SendId.CustomArg]);
        Assert.Equal("event:processed", (await SendRowAsync(app))!.GetString("Evidence"));
        Assert.Equal("Invited", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("Status"));
    }

    [Fact]
    public async Task ProviderAnswersAfterTheTimeoutAndNoEventComes_PersonWhoJoinedMeanwhileIsNotInvitedAgain()
    {
        // The person must join inside the window: thirty seconds leaves a loaded machine room for the mail and the join.
        var (sendGrid, app) = await StartSlowAsync(TimeSpan.FromSeconds(30));
        await using var _ = sendGrid;
        await using var __ = app;

        // The webhook accepts posts throughout, so the silence about the mail lets it be tried again (ADR 0024), and the
        // rule then finds it no longer wanted.
        using var stop = new CancellationTokenSource();
        await app.WebhookAcceptsPostsForAsync(TimeSpan.Zero);
        var accepting = app.WebhookAcceptsPostsForAsync(TimeSpan.FromMinutes(5), stop.Token);
        await app.DepartAsync(lastWorkingDay: "2026-11-01");
        await Eventually.TrueAsync(async () => sendGrid.Mails.Count == 1 && (await SendRowAsync(app))?.GetString("Status") == nameof(SendState.Unknown),
            "SendGrid accepted the mail and the send's outcome is unknown to the app", seconds: 120);

        // The invitation did arrive: the person follows its join link before the window ends.
        var joinLink = new Uri(Assert.Single(sendGrid.Mails).Text.Split(' ', '\n').First(w => w.Contains("/api/alumni/join?token=", StringComparison.Ordinal)).Trim());
        var form = new FormUrlEncodedContent([new("token", Uri.UnescapeDataString(joinLink.Query["?token=".Length..])), new("membership", "yes")]);
        (await app.Client.PostAsync("api/alumni/join", form)).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(async () => (await app.RowsAsync(AlumniTables.WorkItems)).Count == 0, "the rule settled the send after the window", seconds: 120);
        await stop.CancelAsync();
        await accepting;

        Assert.Single(sendGrid.Mails);
        var row = (await SendRowAsync(app))!;
        Assert.Equal((nameof(SendState.Unconfirmed), "rule:no-longer-wanted"), (row.GetString("Status"), row.GetString("Evidence")));
        Assert.Equal("Joined", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("Status"));
    }

    /// <summary>The app in this process with its local trigger host, against a stand-in that answers only after the client gave up.</summary>
    private async Task<(SendGridStandIn, TestApp)> StartSlowAsync(TimeSpan window)
    {
        await WelcomeQueue.EmptyAsync(azurite);
        var sendGrid = await SendGridStandIn.StartAsync();
        sendGrid.AnswerDelay = TimeSpan.FromSeconds(30);
        var settings = WelcomeQueue.LocalRunSettings();
        settings["SendGrid:BaseUrl"] = sendGrid.BaseAddress.ToString();
        settings["SendGrid:RequestTimeout"] = "00:00:02";
        settings["Sending:OutcomeWindow"] = window.ToString();
        settings["Sending:WebhookGap"] = "00:00:04";
        return (sendGrid, await TestApp.StartAsync(azurite, settings));
    }

    private static async Task<TableEntity?> SendRowAsync(TestApp app) => (await app.RowsAsync(AlumniTables.Sends)).SingleOrDefault();

    private static Task<HttpResponseMessage> PostDepartureAsync(HttpClient client, int i)
    {
        var body = Departures.Body(employeeId: $"K{i:D4}", email: $"person{i}@example.net", lastWorkingDay: "2026-11-01");
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "api/hris/departures") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Core.Webhooks.StandardWebhookVerifier.Sign(TestApp.WebhookSecret, id, timestamp, bytes));
        return client.SendAsync(request);
    }

    private static async Task<int> RowsAsync(TableServiceClient tables, string prefix, string table)
    {
        var count = 0;
        try
        {
            await foreach (var _ in tables.GetTableClient(prefix + table).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                count++;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }

        return count;
    }
}
