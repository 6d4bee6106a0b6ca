using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.Hosting;

/// <summary>
/// The local trigger host against a recording stand-in app and Azurite queues: timers, delivery counts,
/// redelivery, dead-lettering, bounded concurrency, outputs only after success, functions switched off by their app
/// setting, and timers due further away than one delay can wait.
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

    public async Task InitializeAsync()
    {
        scriptRoot = Directory.CreateTempSubdirectory("script-root-").FullName;
        File.WriteAllText(Path.Combine(scriptRoot, "host.json"),
            """{"version":"2.0","extensions":{"http":{"routePrefix":"api"},"serviceBus":{"maxConcurrentCalls":2,"maxDeliveryCount":3}}}""");
        Function("Tick", $$"""[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"%TickSchedule%"},{"type":"serviceBus","direction":"out","name":"out","queueName":"{{prefix}}-ticks"}]""");
        Function("Off", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"*/1 * * * * *"}]""");
        Function("OffToo", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"*/1 * * * * *"}]""");
        Function("Startup", """[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 0 0 1 1 *","runOnStartup":true}]""");
        Function("Work", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-work"}]""");
        Function("Flaky", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-flaky"}]""");
        Function("Poison", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-poison"}]""");
        Function("Slow", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-slow"}]""");
        Function("FailEmit", $$"""[{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{{prefix}}-failemit"},{"type":"serviceBus","direction":"out","name":"out","queueName":"{{prefix}}-failout"}]""");

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

    private void Function(string name, string bindings)
    {
        Directory.CreateDirectory(Path.Combine(scriptRoot, name));
        File.WriteAllText(Path.Combine(scriptRoot, name, "function.json"), $$"""{"bindings":{{bindings}}}""");
    }

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
        var root = Directory.CreateTempSubdirectory("script-root-").FullName;
        File.Copy(Path.Combine(scriptRoot, "host.json"), Path.Combine(root, "host.json"));
        Directory.CreateDirectory(Path.Combine(root, "Yearly"));
        File.WriteAllText(Path.Combine(root, "Yearly", "function.json"),
            """{"bindings":[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 0 0 1 1 *"}]}""");
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero));
        using var stopYearly = new CancellationTokenSource();
        var host = new LocalTriggerHost(
            root,
            new FunctionInvoker(new HttpClient(), new Uri(fakeApp.Urls.First() + "/"), clock),
            new MessageQueues(queues),
            new LocalTriggerHostOptions(),
            new ConfigurationBuilder().Build(),
            clock,
            NullLogger<LocalTriggerHost>.Instance);
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
}
