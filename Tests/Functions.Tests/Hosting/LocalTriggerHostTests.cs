using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.Hosting;

/// <summary>
/// The local trigger host against a recording stand-in app and Azurite queues: timers, delivery counts,
/// redelivery, dead-lettering, bounded concurrency, outputs only after success, functions switched off by their app
/// setting or skipped for a setting they cannot resolve, timers due further away than one delay can wait, host.json's
/// function timeout, a lock renewal answered after its function ended, a lock renewal whose answer was lost, and a
/// delete after success refused for a receipt gone stale unseen.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalTriggerHostTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private readonly string prefix = "q" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentQueue<(string Function, JsonObject Envelope)> invocations = new();
    private readonly CancellationTokenSource stop = new();
    private string scriptRoot = null!;
    private WebApplication fakeApp = null!;
    private QueueServiceClient queues = null!;
    private Task running = Task.CompletedTask;
    private int slowInFlight;
    private int slowMaxInFlight;
    private int hangsCut;

    public async Task InitializeAsync()
    {
        scriptRoot = Directory.CreateTempSubdirectory("script-root-").FullName;
        File.WriteAllText(Path.Combine(scriptRoot, "host.json"),
            """{"version":"2.0","functionTimeout":"00:00:02","extensions":{"http":{"routePrefix":"api"},"serviceBus":{"maxConcurrentCalls":2,"maxDeliveryCount":3}}}""");
        Function("Tick", $$"""[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"%TickSchedule%"},{"type":"serviceBus","direction":"out","name":"out","queueName":"{{prefix}}-ticks"}]""");
        Function("Off", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"*/1 * * * * *"}]""");
        Function("OffToo", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"*/1 * * * * *"}]""");
        Function("Startup", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 0 0 1 1 *","runOnStartup":true}]""");
        Function("Work", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-work"}]""");
        Function("Flaky", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-flaky"}]""");
        Function("Poison", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-poison"}]""");
        Function("Slow", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-slow"}]""");
        Function("FailEmit", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-failemit"},{"type":"serviceBus","direction":"out","name":"out","queueName":"{{prefix}}-failout"}]""");
        Function("Hang", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-hang"}]""");

        fakeApp = StartFakeApp();
        await fakeApp.StartAsync();
        queues = new QueueServiceClient(azurite.ConnectionString);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["TickSchedule"] = "*/1 * * * * *", ["AzureWebJobs.Off.Disabled"] = "True", ["AzureWebJobs_OffToo_Disabled"] = "1" }).Build();
        var host = new LocalTriggerHost(
            scriptRoot,
            new FunctionInvoker(new HttpClient(), new Uri(fakeApp.Urls.First() + "/"), TimeProvider.System),
            new MessageQueues(queues),
            new LocalTriggerHostOptions { PollInterval = TimeSpan.FromMilliseconds(50), RetryDelay = TimeSpan.FromMilliseconds(100), LockDuration = TimeSpan.FromSeconds(30) },
            configuration,
            TimeProvider.System,
            NullLogger<LocalTriggerHost>.Instance);
        running = host.RunAsync(stop.Token);
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        await fakeApp.StopAsync();
        await fakeApp.DisposeAsync();
        Directory.Delete(scriptRoot, recursive: true);
    }

    public void Dispose() => stop.Dispose();

    private void Function(string name, string bindings) => Function(scriptRoot, name, bindings);

    private static void Function(string root, string name, string bindings)
    {
        Directory.CreateDirectory(Path.Combine(root, name));
        File.WriteAllText(Path.Combine(root, name, "function.json"), $$"""{"bindings":{{bindings}}}""");
    }

    /// <summary>A script root of its own, with the shared host.json, for a test that needs its own host.</summary>
    private string NewScriptRoot()
    {
        var root = Directory.CreateTempSubdirectory("script-root-").FullName;
        File.Copy(Path.Combine(scriptRoot, "host.json"), Path.Combine(root, "host.json"));
        return root;
    }

    /// <summary>
    /// A script root whose host.json lets a function run for a minute: for the lock-renewal tests, whose functions outlast
    /// the shared two-second timeout, which would otherwise fail them (and run them again) instead of the lock.
    /// </summary>
    private static string LongTimeoutScriptRoot(int maxDeliveryCount = 3)
    {
        var root = Directory.CreateTempSubdirectory("script-root-").FullName;
        File.WriteAllText(Path.Combine(root, "host.json"), $$"""{"version":"2.0","functionTimeout":"00:01:00","extensions":{"serviceBus":{"maxConcurrentCalls":2,"maxDeliveryCount":{{maxDeliveryCount}} } } }""");
        return root;
    }

    private LocalTriggerHost NewHost(
        string root, QueueServiceClient storage, LocalTriggerHostOptions options, IConfiguration configuration, TimeProvider clock, ILogger<LocalTriggerHost>? logger = null, ScheduleMonitor? monitor = null) => new(
        root,
        new FunctionInvoker(new HttpClient(), new Uri(fakeApp.Urls.First() + "/"), clock),
        new MessageQueues(storage),
        options,
        configuration,
        clock,
        logger ?? NullLogger<LocalTriggerHost>.Instance,
        monitor);

    private WebApplication StartFakeApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Urls"] = $"http://127.0.0.1:{AzuriteFixture.FreePort()}";
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{function}", async (string function, HttpRequest request) =>
        {
            var envelope = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            invocations.Enqueue((function, envelope));
            var deliveryCount = envelope["Metadata"]?["DeliveryCount"]?.GetValue<long>() ?? 0;
            switch (function)
            {
                case "Tick":
                    return Results.Json(new { Outputs = new { @out = new[] { new { tick = true } } }, Logs = Array.Empty<string>() });
                case "Flaky" when deliveryCount < 3:
                case "Poison":
                    return Results.StatusCode(500);
                case "FailEmit":
                    return Results.Json(new { Outputs = new { @out = new[] { new { leaked = true } } } }, statusCode: 500);
                case "Hang":
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(30), request.HttpContext.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        Interlocked.Increment(ref hangsCut);
                    }

                    break;
                case "Renewed":
                case "Outage":
                case "LockLost":
                case "StaleDelete":
                    await Task.Delay(RenewalTick * 1.5);
                    break;
                case "LockLostPoison":
                    await Task.Delay(RenewalTick * 1.5);
                    return Results.StatusCode(500);
                case "Slow":
                    var now = Interlocked.Increment(ref slowInFlight);
                    InterlockedMax(ref slowMaxInFlight, now);
                    await Task.Delay(200);
                    Interlocked.Decrement(ref slowInFlight);
                    break;
            }

            return Results.Json(new { Outputs = new { }, Logs = Array.Empty<string>() });
        });
        return app;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private IEnumerable<JsonObject> Of(string function) => invocations.Where(i => i.Function == function).Select(i => i.Envelope);

    private async Task<int> CountAsync(string queue)
    {
        var client = queues.GetQueueClient(queue);
        return await client.ExistsAsync() ? (await client.PeekMessagesAsync(32)).Value.Length : 0;
    }

    private async Task SendAsync(string queue, string text)
    {
        var client = queues.GetQueueClient(queue);
        await client.CreateIfNotExistsAsync();
        await client.SendMessageAsync(text);
    }

    [Fact]
    public async Task TimerWithAppSettingSchedule_FiresRepeatedlyAndWritesOutputsAfterSuccess()
    {
        await Eventually.TrueAsync(() => Task.FromResult(Of("Tick").Count() >= 2), "the one-second timer fired twice");

        var timer = Of("Tick").First()["Data"]!["timer"]!;
        Assert.False(timer["IsPastDue"]!.GetValue<bool>());
        Assert.NotNull(timer["ScheduleStatus"]!["Next"]);
        Assert.Equal("Tick", Of("Tick").First()["Metadata"]!["sys"]!["MethodName"]!.GetValue<string>());
        await Eventually.TrueAsync(async () => await CountAsync($"{prefix}-ticks") >= 1, "tick outputs reached their queue");
    }

    [Fact]
    public async Task OutputsAndDeadLetters_NeverExpire_AsServiceBusKeepsThemUntilHandledOrDeadLettered()
    {
        await SendAsync($"{prefix}-poison", """{"poison":true}""");
        await Eventually.TrueAsync(async () => await CountAsync($"{prefix}-ticks") >= 1, "tick outputs reached their queue");
        await Eventually.TrueAsync(async () => await CountAsync($"{prefix}-poison-deadletter") == 1, "the message was dead-lettered");

        // Azurite's default time to live is 7 days; a message sent with -1 expires at the end of time.
        var farFuture = TimeProvider.System.GetUtcNow().AddYears(1000);
        foreach (var queue in new[] { $"{prefix}-ticks", $"{prefix}-poison-deadletter" })
        {
            var peeked = (await queues.GetQueueClient(queue).PeekMessagesAsync()).Value.First();
            Assert.True(peeked.ExpiresOn > farFuture, $"{queue}: expires {peeked.ExpiresOn:O}");
        }
    }

    [Fact]
    public async Task RunOnStartup_FiresOnceAtStartEvenWhenNextOccurrenceIsFarAway()
    {
        await Eventually.TrueAsync(() => Task.FromResult(Of("Startup").Any()), "the startup timer fired");
        Assert.Single(Of("Startup"));
    }

    [Fact]
    public async Task FunctionDisabledByItsAppSetting_NeverFires_WhileTheOthersDo()
    {
        await Eventually.TrueAsync(() => Task.FromResult(Of("Tick").Count() >= 2), "the one-second timer fired twice");

        Assert.Empty(Of("Off"));
        Assert.Empty(Of("OffToo"));
    }

    [Fact]
    public async Task TimerDueInAYear_WaitsWithoutStoppingTheHost_AndFiresWhenDue()
    {
        var root = NewScriptRoot();
        Function(root, "Yearly", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 0 0 1 1 *"}]""");
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero));
        using var stopYearly = new CancellationTokenSource();
        var host = NewHost(root, queues, new LocalTriggerHostOptions(), new ConfigurationBuilder().Build(), clock);
        var yearly = host.RunAsync(stopYearly.Token);

        clock.Advance(TimeSpan.FromDays(364));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var runningBeforeDue = !yearly.IsCompleted;
        var firedBeforeDue = Of("Yearly").Count();
        clock.Advance(TimeSpan.FromDays(1));
        await Eventually.TrueAsync(() => Task.FromResult(Of("Yearly").Any()), "the yearly timer fired on 1 January 2028");
        await stopYearly.CancelAsync();
        await yearly;
        Directory.Delete(root, recursive: true);

        Assert.True(runningBeforeDue);
        Assert.Equal(0, firedBeforeDue);
        Assert.StartsWith("2029-01-01T00:00:00", Of("Yearly").Single()["Data"]!["timer"]!["ScheduleStatus"]!["Next"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitoredTimerMissedWhileTheAppWasDown_RunsAtTheNextStartPastDue_AndOnlyThen()
    {
        var root = NewScriptRoot();
        Function(root, "Nightly", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 30 3 * * *","useMonitor":true}]""");
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 3, 0, 0, TimeSpan.Zero));
        var table = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient(ScheduleMonitor.TableName);
        var missed = new DateTime(2027, 3, 1, 3, 30, 0, DateTimeKind.Utc);

        async Task RunAsync(Func<Task> meanwhile)
        {
            using var stopNightly = new CancellationTokenSource();
            var host = NewHost(root, queues, new LocalTriggerHostOptions(), new ConfigurationBuilder().Build(), clock, monitor: new ScheduleMonitor(table, root));
            var nightly = host.RunAsync(stopNightly.Token);
            await meanwhile();
            await stopNightly.CancelAsync();
            await nightly;
        }

        // Started at 03:00: the status is recorded, nothing runs. The app is then down over 03:30.
        await RunAsync(() => Eventually.TrueAsync(
            async () => await table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey == "Nightly").AnyAsync(e => e.GetInt64("Next") == missed.Ticks),
            "the first start recorded the next occurrence"));
        clock.Advance(TimeSpan.FromHours(1));

        // Started at 04:00, as the host with useMonitor: the missed 03:30 runs at once, past due.
        await RunAsync(() => Eventually.TrueAsync(
            async () => Of("Nightly").Any() && await table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey == "Nightly").AnyAsync(e => e.GetInt64("Next") == missed.AddDays(1).Ticks),
            "the missed run was made at the next start and recorded"));
        clock.Advance(TimeSpan.FromMinutes(1));

        // Started again at 04:01: that run was recorded, so nothing is past due any more.
        await RunAsync(() => Task.Delay(TimeSpan.FromMilliseconds(500)));
        Directory.Delete(root, recursive: true);

        var timer = Of("Nightly").Single()["Data"]!["timer"]!;
        Assert.True(timer["IsPastDue"]!.GetValue<bool>());
        Assert.StartsWith("2027-03-01T03:30:00", timer["ScheduleStatus"]!["Next"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueMessage_IsDeliveredAsObjectWithDeliveryMetadataAndRemoved()
    {
        await SendAsync($"{prefix}-work", """{"kind":"test","subjectId":"abc"}""");

        await Eventually.TrueAsync(() => Task.FromResult(Of("Work").Any()), "the message was delivered");
        var envelope = Of("Work").Single();
        Assert.Equal("abc", envelope["Data"]!["message"]!["subjectId"]!.GetValue<string>());
        Assert.Equal(1, envelope["Metadata"]!["DeliveryCount"]!.GetValue<long>());
        Assert.False(string.IsNullOrEmpty(envelope["Metadata"]!["MessageId"]!.GetValue<string>()));
        await Eventually.TrueAsync(async () => await CountAsync($"{prefix}-work") == 0, "the handled message was removed");
    }

    [Fact]
    public async Task NonJsonMessage_IsDeliveredAsString()
    {
        await SendAsync($"{prefix}-work", "plain text");

        await Eventually.TrueAsync(() => Task.FromResult(Of("Work").Any()), "the message was delivered");
        Assert.Equal("plain text", Of("Work").Single()["Data"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailedDelivery_IsRedeliveredWithIncreasingCountUntilItSucceeds()
    {
        await SendAsync($"{prefix}-flaky", """{"n":1}""");

        await Eventually.TrueAsync(() => Task.FromResult(Of("Flaky").Count() >= 3), "the message was delivered three times");
        Assert.Equal([1L, 2L, 3L], Of("Flaky").Select(e => e["Metadata"]!["DeliveryCount"]!.GetValue<long>()).Take(3));
        await Eventually.TrueAsync(async () => await CountAsync($"{prefix}-flaky") == 0, "the message was removed after success");
        Assert.Equal(0, await CountAsync($"{prefix}-flaky-deadletter"));
    }

    [Fact]
    public async Task AlwaysFailing_IsDeadLetteredAfterMaxDeliveryCount()
    {
        await SendAsync($"{prefix}-poison", """{"poison":true}""");

        await Eventually.TrueAsync(async () => await CountAsync($"{prefix}-poison-deadletter") == 1, "the message was dead-lettered");
        Assert.Equal(3, Of("Poison").Count());
        Assert.Equal(0, await CountAsync($"{prefix}-poison"));
        var peeked = (await queues.GetQueueClient($"{prefix}-poison-deadletter").PeekMessagesAsync()).Value.Single();
        var deadLettered = Core.Messaging.StoredDeadLetter.Parse(new Core.Messaging.QueueMessageText(peeked.MessageId, peeked.MessageText, peeked.InsertedOn));
        Assert.Equal("""{"poison":true}""", deadLettered.Body);
        Assert.Equal(("MaxDeliveryCountExceeded", 3), (deadLettered.Reason, deadLettered.DeliveryCount));
    }

    [Fact]
    public async Task FailedInvocation_WritesNoOutputs()
    {
        await SendAsync($"{prefix}-failemit", """{"n":1}""");

        await Eventually.TrueAsync(async () => await CountAsync($"{prefix}-failemit-deadletter") == 1, "the failing message was dead-lettered");
        Assert.Equal(0, await CountAsync($"{prefix}-failout"));
    }

    [Fact]
    public async Task Concurrency_IsBoundedByMaxConcurrentCalls()
    {
        for (var i = 0; i < 8; i++)
        {
            await SendAsync($"{prefix}-slow", $$"""{"n":{{i}}}""");
        }

        await Eventually.TrueAsync(() => Task.FromResult(Of("Slow").Count() >= 8), "all eight messages were handled");
        Assert.InRange(slowMaxInFlight, 1, 2);
    }

    [Fact]
    public async Task InvocationPastHostJsonsFunctionTimeout_IsCutAndFails_AndItsMessageIsRetriedThenDeadLettered()
    {
        await SendAsync($"{prefix}-hang", """{"n":1}""");

        // Each delivery is cut at host.json's two seconds, not after the handler's thirty.
        await Eventually.TrueAsync(async () => await CountAsync($"{prefix}-hang-deadletter") == 1, "the hanging message was dead-lettered", seconds: 20);
        Assert.Equal([1L, 2L, 3L], Of("Hang").Select(e => e["Metadata"]!["DeliveryCount"]!.GetValue<long>()));
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref hangsCut) == 3), "each cut invocation's handler saw its request aborted");
    }

    [Fact]
    public void FunctionTimeout_IsReadFromHostJson_AndItsNoLimitForm()
    {
        var deployed = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!["functionTimeout"]!.GetValue<string>();
        var root = Directory.CreateTempSubdirectory("script-root-").FullName;
        File.WriteAllText(Path.Combine(root, "host.json"), """{"version":"2.0","functionTimeout":"-1"}""");
        var unbounded = FunctionCatalog.LoadHost(root).FunctionTimeout;
        File.WriteAllText(Path.Combine(root, "host.json"), """{"version":"2.0"}""");
        var unset = FunctionCatalog.LoadHost(root).FunctionTimeout;
        Directory.Delete(root, recursive: true);

        Assert.Equal(TimeSpan.Parse(deployed, System.Globalization.CultureInfo.InvariantCulture), FunctionCatalog.LoadHost(RepoPaths.Root).FunctionTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, unbounded);
        Assert.Equal(TimeSpan.FromMinutes(30), unset);
    }

    [Fact]
    public async Task AppsLocalTriggerHostClient_HasNoTimeoutOfItsOwn_SoOnlyHostJsonsFunctionTimeoutCutsACall()
    {
        var root = Directory.CreateTempSubdirectory("script-root-").FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "host.json"), Path.Combine(root, "host.json"));
        await using (var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["LocalTriggerHost:Enabled"] = "true", ["LocalTriggerHost:ScriptRoot"] = root }))
        {
            var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(LocalTriggerHostService.HttpClientName);

            Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
        }

        Directory.Delete(root, recursive: true);
    }

    /// <summary>
    /// Half the lock in the two lock-renewal tests: the lock is renewed one tick in and lasts two. Seconds, not one: on a
    /// loaded machine (a full test run) a 1.5-second function hit the shared two-second timeout, or a renewal a second late
    /// found its lock gone, and the message ran twice.
    /// </summary>
    private static readonly TimeSpan RenewalTick = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Starts a host of its own for a lock-renewal test: the one queue function <paramref name="name"/> (the fake app's
    /// case of that name) on its own queue, host.json's timeout long enough for it, a lock of two renewal ticks, and
    /// <paramref name="storagePolicy"/> between the host and Azurite, with client retries 50 ms apart.
    /// </summary>
    private RenewalHost StartRenewalHost(
        string name, HttpPipelinePolicy storagePolicy, HttpPipelinePosition position, int maxDeliveryCount = 3, ILogger<LocalTriggerHost>? logger = null)
    {
        var root = LongTimeoutScriptRoot(maxDeliveryCount);
        var queue = $"{prefix}-{name.ToLowerInvariant()}";
        Function(root, name, $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{queue}}"}]""");
        var storage = new QueueClientOptions();
        storage.Retry.Delay = TimeSpan.FromMilliseconds(50);
        storage.AddPolicy(storagePolicy, position);
        var host = NewHost(root, new QueueServiceClient(azurite.ConnectionString, storage),
            new LocalTriggerHostOptions { PollInterval = TimeSpan.FromMilliseconds(50), LockDuration = RenewalTick * 2 },
            new ConfigurationBuilder().Build(), TimeProvider.System, logger);
        var stopping = new CancellationTokenSource();
        return new RenewalHost(queue, root, host.RunAsync(stopping.Token), stopping);
    }

    /// <summary>A running host of a lock-renewal test and the queue its function reads.</summary>
    private sealed class RenewalHost(string queue, string root, Task running, CancellationTokenSource stopping) : IDisposable
    {
        public string Queue => queue;

        /// <summary>Stops the host, waiting for its deliveries to end, and deletes its script root.</summary>
        public async Task StopAsync()
        {
            await stopping.CancelAsync();
            await running;
            Directory.Delete(root, recursive: true);
        }

        public void Dispose() => stopping.Dispose();
    }

    private async Task<int> CountWithHiddenAsync(string queue) => (await queues.GetQueueClient(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    [Fact]
    public async Task FunctionEndingWhileItsLockRenewalIsAnswered_IsDeletedWithTheRenewedReceipt_AndRunsOnce()
    {
        // The lock is renewed at one tick, and storage's answer comes at two: the function ends at 1.5, in between.
        using var host = StartRenewalHost("Renewed", new SlowAnswersToRenewals(RenewalTick), HttpPipelinePosition.PerCall);

        await SendAsync(host.Queue, """{"n":1}""");
        await Eventually.TrueAsync(() => Task.FromResult(Of("Renewed").Any()), "the message was delivered");
        await Eventually.TrueAsync(async () => await CountAsync(host.Queue) == 0, "the handled message was deleted");
        await Task.Delay(RenewalTick * 4); // past the renewed lock, when an undeleted message would come back
        await host.StopAsync();

        Assert.Single(Of("Renewed"));
        Assert.Equal(0, await CountAsync(host.Queue));
    }

    [Fact]
    public async Task LockRenewalFailingWithAConnectionError_IsTriedAgain_AndTheHandledMessageIsDeletedAndRunsOnce()
    {
        // A renewal at one tick, refused as if Azurite were restarting; the function ends at 1.5, within host.json's
        // timeout and the lock it was received with.
        var outage = new FirstRenewalsUnreachable(1);
        using var host = StartRenewalHost("Outage", outage, HttpPipelinePosition.PerCall);

        await SendAsync(host.Queue, """{"n":1}""");
        await Eventually.TrueAsync(() => Task.FromResult(Of("Outage").Any()), "the message was delivered");
        await Task.Delay(RenewalTick * 4); // past the function's end and its lock, when an undeleted message would run again
        await host.StopAsync();

        Assert.Equal(1, outage.Refused);
        Assert.Single(Of("Outage"));
        Assert.Equal(0, await CountWithHiddenAsync(host.Queue));
    }

    [Fact]
    public async Task LockRenewalWhoseAnswerIsLost_LosesTheLock_SoTheMessageIsNotCompletedWithAStaleReceiptButDeliveredAgain()
    {
        // Per retry, as a connection reset after the request went out: the client sends the renewal again with the receipt
        // storage has just replaced, and storage refuses it.
        var lost = new FirstRenewalAnswersLost(1);
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs.CreateProvider()]);
        using var host = StartRenewalHost("LockLost", lost, HttpPipelinePosition.PerRetry, logger: loggers.CreateLogger<LocalTriggerHost>());

        await SendAsync(host.Queue, """{"n":1}""");
        // Renewed at one tick (answer lost), the function ends at 1.5; the renewed lock runs out at three, and the second
        // delivery, whose renewal is answered, is deleted.
        await Eventually.TrueAsync(async () => Of("LockLost").Count() == 2 && await CountWithHiddenAsync(host.Queue) == 0,
            "the message was delivered again and then deleted", seconds: 30);
        await host.StopAsync();

        Assert.Equal([1L, 2L], Of("LockLost").Select(e => e["Metadata"]!["DeliveryCount"]!.GetValue<long>()));
        Assert.Equal(1, lost.Refused); // the retried renewal only: no delete was tried with the stale receipt
        AssertLockLostLoggedOnly(logs, Of("LockLost").First());
    }

    [Fact]
    public async Task DeleteAfterSuccessWithAReceiptStaleUnseen_IsALostLock_SoTheMessageIsDeliveredAgainAndNoErrorIsLogged()
    {
        // Per call, as an answer lost past the client's retries: the host keeps the receipt storage has replaced, and the
        // function succeeds (at 1.5 ticks) before the next renewal would find out, so the delete is refused.
        var lost = new FirstRenewalAnswersLost(1);
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs.CreateProvider()]);
        using var host = StartRenewalHost("StaleDelete", lost, HttpPipelinePosition.PerCall, logger: loggers.CreateLogger<LocalTriggerHost>());

        await SendAsync(host.Queue, """{"n":1}""");
        await Eventually.TrueAsync(async () => Of("StaleDelete").Count() == 2 && await CountWithHiddenAsync(host.Queue) == 0,
            "the message came back when the renewed lock ran out, was delivered again and then deleted", seconds: 30);
        await host.StopAsync();

        Assert.Equal([1L, 2L], Of("StaleDelete").Select(e => e["Metadata"]!["DeliveryCount"]!.GetValue<long>()));
        Assert.Equal(1, lost.Refused); // the delete with the stale receipt
        AssertLockLostLoggedOnly(logs, Of("StaleDelete").First());
    }

    /// <summary>The first delivery's lock logged as lost, a warning naming the message; no error, and never the body.</summary>
    private static void AssertLockLostLoggedOnly(CapturedLogs logs, JsonObject firstDelivery)
    {
        var messageId = firstDelivery["Metadata"]!["MessageId"]!.GetValue<string>();
        Assert.Contains(logs.Records, r => r.Level == LogLevel.Warning && r.Message.Contains("lock of message " + messageId + " was lost", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Records, r => r.Level == LogLevel.Error);
        Assert.DoesNotContain(logs.Records, r => r.Message.Contains("\"n\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LastDeliveryFailingWithAReceiptStaleUnseen_IsNotDeadLetteredThen_ButOnceWhenItComesBack()
    {
        // Per call, as an answer lost past the client's retries: the host cannot tell whether storage applied the renewal,
        // and the function fails (at its only delivery) before the next renewal would find out.
        using var host = StartRenewalHost("LockLostPoison", new FirstRenewalAnswersLost(1), HttpPipelinePosition.PerCall, maxDeliveryCount: 1);

        await SendAsync(host.Queue, """{"n":1}""");
        await Eventually.TrueAsync(async () => await CountAsync(host.Queue + "-deadletter") >= 1 && await CountWithHiddenAsync(host.Queue) == 0,
            "the message left its queue for the dead-letter queue", seconds: 30);
        await host.StopAsync();

        Assert.Single(Of("LockLostPoison"));
        var peeked = (await queues.GetQueueClient(host.Queue + "-deadletter").PeekMessagesAsync(32)).Value.Single();
        var deadLettered = Core.Messaging.StoredDeadLetter.Parse(new Core.Messaging.QueueMessageText(peeked.MessageId, peeked.MessageText, peeked.InsertedOn));
        Assert.Equal(("MaxDeliveryCountExceeded", 2), (deadLettered.Reason, deadLettered.DeliveryCount));
        Assert.Equal("""{"n":1}""", deadLettered.Body);
    }

    [Fact]
    public async Task FunctionWithAnUnsetSettingOrAFiveFieldSchedule_IsSkippedWithAnErrorNamingIt_WhileTheOthersRun()
    {
        var root = NewScriptRoot();
        Function(root, "NoSetting", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"%UnsetSchedule%"}]""");
        Function(root, "NoOutputSetting", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"*/1 * * * * *"},{"type":"serviceBus","direction":"out","name":"out","queueName":"%UnsetQueue%"}]""");
        Function(root, "FiveFields", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"%FiveFieldSchedule%"}]""");
        Function(root, "Fine", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"*/1 * * * * *"}]""");
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs.CreateProvider()]);
        using var stopSkipping = new CancellationTokenSource();
        var host = NewHost(root, queues, new LocalTriggerHostOptions(),
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FiveFieldSchedule"] = "0 7 * * 1" }).Build(),
            TimeProvider.System, loggers.CreateLogger<LocalTriggerHost>());

        var running = host.RunAsync(stopSkipping.Token);
        await Eventually.TrueAsync(() => Task.FromResult(Of("Fine").Count() >= 2), "the valid timer fired twice");
        await stopSkipping.CancelAsync();
        await running;
        Directory.Delete(root, recursive: true);

        Assert.Empty(Of("NoSetting"));
        Assert.Empty(Of("NoOutputSetting"));
        Assert.Empty(Of("FiveFields"));
        var errors = logs.Records.Where(r => r.Level == LogLevel.Error).Select(r => r.Message).ToArray();
        Assert.Contains(errors, m => m.Contains("NoSetting", StringComparison.Ordinal) && m.Contains("UnsetSchedule", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("NoOutputSetting", StringComparison.Ordinal) && m.Contains("UnsetQueue", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("FiveFields", StringComparison.Ordinal) && m.Contains("%FiveFieldSchedule%", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Records, r => r.Message.Contains("0 7 * * 1", StringComparison.Ordinal));
    }

    /// <summary>Holds back storage's answer to a lock renewal (an update with a pop receipt) after storage applied it.</summary>
    private sealed class SlowAnswersToRenewals(TimeSpan delay) : HttpPipelinePolicy
    {
        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Method == RequestMethod.Put && message.Request.Uri.Query.Contains("popreceipt=", StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(delay, message.CancellationToken);
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The queue client here is used asynchronously only.");
    }

    /// <summary>
    /// Lets the first <paramref name="count"/> lock renewals reach storage, which applies them, and then loses their answers,
    /// as a connection reset does; counts the renewals and deletes storage refused for their receipt.
    /// </summary>
    private sealed class FirstRenewalAnswersLost(int count) : HttpPipelinePolicy
    {
        private int renewals;
        private int refused;

        public int Refused => Volatile.Read(ref refused);

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Uri.Query.Contains("popreceipt=", StringComparison.OrdinalIgnoreCase) && message.Response.Status is 400 or 404)
            {
                Interlocked.Increment(ref refused);
            }

            if (message.Request.Method == RequestMethod.Put && message.Request.Uri.Query.Contains("popreceipt=", StringComparison.OrdinalIgnoreCase)
                && message.Response.Status == 204 && Interlocked.Increment(ref renewals) <= count)
            {
                throw new IOException("Connection reset (stand-in for an answer lost on its way back)");
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The queue client here is used asynchronously only.");
    }

    /// <summary>Fails the first <paramref name="count"/> lock renewals before they reach storage, as a connection refused does.</summary>
    private sealed class FirstRenewalsUnreachable(int count) : HttpPipelinePolicy
    {
        private int renewals;

        public int Refused => Math.Min(Volatile.Read(ref renewals), count);

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Put && message.Request.Uri.Query.Contains("popreceipt=", StringComparison.OrdinalIgnoreCase)
                && Interlocked.Increment(ref renewals) <= count)
            {
                throw new HttpRequestException("Connection refused (stand-in for Azurite restarting)");
            }

            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The queue client here is used asynchronously only.");
    }
}
