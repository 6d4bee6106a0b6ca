using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.DispatchDueWork;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace AlumniNetwork.Functions.Tests.Contract;

/// <summary>The app against the custom-handler contract: function.json files, routes, and every envelope shape.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionContractTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] KnownBindingTypes = ["httpTrigger", "http", "timerTrigger", "serviceBusTrigger", "serviceBus"];
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static string Envelope(string binding, string value, string metadata = "{}") =>
        "{\"Data\":{\"" + binding + "\":" + value + "},\"Metadata\":" + metadata + "}";

    private static IReadOnlyList<FunctionDefinition> Functions => FunctionCatalog.LoadFunctions(RepoPaths.Functions);

    [Fact]
    public void EveryFunctionJson_ParsesWithOneTriggerAndKnownBindings()
    {
        Assert.NotEmpty(Functions);
        Assert.All(Functions, f =>
        {
            Assert.Single(f.Bindings, b => b.IsTrigger);
            Assert.All(f.Bindings, b => Assert.Contains(b.Type, KnownBindingTypes));
            Assert.All(f.Bindings.Where(b => b.Type.StartsWith("serviceBus", StringComparison.Ordinal)), b => Assert.False(string.IsNullOrEmpty(b.QueueName)));
        });
    }

    [Fact]
    public void HostJson_DeclaresCustomHandlerProxyingAndBundle()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!;

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableProxyingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("AlumniNetwork.Functions", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal("[4.*, 5.0.0)", host["extensionBundle"]!["version"]!.GetValue<string>());
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    /// <summary>
    /// Host categories that write the full request URL, signed-link tokens and survey scores included, at Information,
    /// where the app's telemetry scrubber never sees them (ADR 0007): the host's ASP.NET Core request log, and YARP's
    /// forwarder, through which enableProxyingHttpRequest sends every request to the app ("Proxying to {targetUrl}",
    /// the absolute URI). Each, under the longest prefix host.json gives it as the host matches them, must be at
    /// Warning or above.
    /// </summary>
    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics")]
    [InlineData("Yarp.ReverseProxy.Forwarder.HttpForwarder")]
    public void HostJson_KeepsHostCategoriesThatLogRequestUrls_AtWarningOrAbove(string category)
    {
        var levels = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!["logging"]!["logLevel"]!.AsObject();

        var rule = levels.Where(l => category.Equals(l.Key, StringComparison.OrdinalIgnoreCase) || category.StartsWith(l.Key + ".", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(l => l.Key.Length)
            .Select(l => l.Value!.GetValue<string>())
            .DefaultIfEmpty(levels["default"]!.GetValue<string>())
            .First();

        Assert.True(Enum.Parse<Microsoft.Extensions.Logging.LogLevel>(rule) >= Microsoft.Extensions.Logging.LogLevel.Warning, $"{category} logs at {rule}");
    }

    /// <summary>
    /// The host's dependency telemetry may record its proxied call to the app with the full URL, signed-link
    /// <c>token=</c> and function key <c>code=</c> included (azure-functions-host issue 11602; ADR 0007): kept off.
    /// </summary>
    [Fact]
    public void HostJson_TurnsOffTheHostsDependencyTracking()
    {
        var insights = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!["logging"]!["applicationInsights"]!;

        Assert.False(insights["enableDependencyTracking"]?.GetValue<bool>() ?? true);
    }

    [Fact]
    public void EveryFunction_IsServedByTheApp()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Route: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .ToHashSet();

        foreach (var function in Functions)
        {
            var trigger = function.Trigger;
            if (trigger.Type == "httpTrigger")
            {
                Assert.All(trigger.Methods!, method => Assert.Contains((method.ToUpperInvariant(), $"/api/{trigger.Route}"), endpoints));
            }
            else
            {
                Assert.Contains(("POST", "/" + function.Name), endpoints);
            }
        }
    }

    /// <summary>
    /// The Functions host refuses, and never registers, an HTTP function whose route (or, without one, whose name) starts
    /// with <c>admin</c> or <c>runtime</c>, whatever the route prefix: those are its own built-in routes (ADR 0038).
    /// </summary>
    [Fact]
    public void NoHttpRoute_StartsWithTheHostsReservedSegments()
    {
        var http = Functions.Where(f => f.Trigger.Type == "httpTrigger").ToList();

        Assert.NotEmpty(http);
        Assert.All(http, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Trigger.Route), $"{f.Name} has no route");
            Assert.DoesNotMatch("^(?i:admin|runtime)", f.Trigger.Route!.Trim().TrimStart('/'));
        });
    }

    [Fact]
    public async Task Readiness_AnswersGetRoot() =>
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

    public static TheoryData<string> MessageShapes => new()
    {
        // Object body, a JSON string, and a JSON string encoded twice.
        """{"kind":"welcome-invitation","subjectId":"00000000000000000000000000000000","partitionKey":"2026120100","rowKey":"r","dueAt":"2026-12-01T00:00:00Z"}""",
        JsonSerializer.Serialize("""{"kind":"welcome-invitation","subjectId":"00000000000000000000000000000000","partitionKey":"2026120100","rowKey":"r","dueAt":"2026-12-01T00:00:00Z"}"""),
        JsonSerializer.Serialize(JsonSerializer.Serialize("""{"kind":"welcome-invitation","subjectId":"00000000000000000000000000000000","partitionKey":"2026120100","rowKey":"r","dueAt":"2026-12-01T00:00:00Z"}""")),
    };

    [Theory]
    [MemberData(nameof(MessageShapes))]
    public async Task ServiceBusEnvelope_AcceptsEveryBodyShape(string message)
    {
        var envelope = Envelope("message", message, """{"DeliveryCount":1,"MessageId":"m1","sys":{"MethodName":"SendWelcomeInvitation","UtcNow":"2026-12-01T00:00:00Z","RandGuid":"x"}}""");

        var response = await app.Client.PostAsync("SendWelcomeInvitation", new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Contains("UnknownAlumnus", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"not json at all\"")]
    [InlineData("42")]
    public async Task UnreadableMessage_FailsTheInvocationWithNoOutputs(string message)
    {
        var response = await app.Client.PostAsync("SendWelcomeInvitation",
            new StringContent(Envelope("message", message), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Outputs").EnumerateObject());
    }

    [Fact]
    public async Task MalformedEnvelope_FailsTheInvocation() =>
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsync("DispatchDueWork", new StringContent("{oops", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

    public static TheoryData<string> TimerShapes => new()
    {
        """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-12-01T00:00:00Z","Next":"2026-12-01T00:01:00Z","LastUpdated":"2026-12-01T00:00:00Z"},"IsPastDue":false}""",
        """{"Schedule":{},"ScheduleStatus":null,"IsPastDue":true}""",
        """{"Schedule":{},"ScheduleStatus":{"Last":"0001-01-01T00:00:00","Next":"not-a-date","LastUpdated":12},"IsPastDue":"maybe"}""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(TimerShapes))]
    public async Task TimerEnvelope_AcceptsEveryShapeIncludingMalformedTimestamps(string timer)
    {
        var response = await app.Client.PostAsync("DispatchDueWork",
            new StringContent(Envelope("timer", timer), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DueWork_IsEmittedAsAnArrayOfObjectsOnItsOutputBinding()
    {
        var store = app.Services.GetRequiredService<IWorkItemStore>();
        await store.ScheduleAsync(new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = "ab".PadRight(32, '0'), DueAt = TimeProvider.System.GetUtcNow().AddMinutes(-1) }, CancellationToken.None);

        var first = await (await app.Client.PostAsync("DispatchDueWork", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await app.Client.PostAsync("DispatchDueWork", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();

        var message = Assert.Single(first.GetProperty("Outputs").GetProperty("welcomeInvitations").EnumerateArray());
        Assert.Equal(JsonValueKind.Object, message.ValueKind);
        Assert.Equal("welcome-invitation", message.GetProperty("kind").GetString());
        Assert.False(second.GetProperty("Outputs").TryGetProperty("welcomeInvitations", out _), "a leased item is not emitted again within its lease");
        Assert.Equal(1, Assert.Single(await app.RowsAsync(AlumniTables.WorkItems)).GetInt32("DispatchCount"));
    }

    private async Task<JsonElement> DispatchAsync() =>
        (await (await app.Client.PostAsync("DispatchDueWork", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Outputs");

    [Fact]
    public void EveryWorkKind_HasAnOutputTheDispatcherDeclares()
    {
        var outputs = Functions.Single(f => f.Name == DispatchDueWorkFunction.Name).Bindings.Where(b => b.IsMessageOutput).Select(b => b.Name).ToHashSet();

        Assert.Equal(WorkKinds.All.Order(), DispatchDueWorkFunction.OutputByKind.Keys.Order());
        Assert.All(DispatchDueWorkFunction.OutputByKind.Values, output => Assert.Contains(output, outputs));
    }

    [Fact]
    public async Task DueWorkOfEveryKind_IsEmittedInOneRun_KindsSharingAnOutputTogether()
    {
        // Several kinds share an output (event mail: notices, reminders, published events): each run emits all of them.
        var store = app.Services.GetRequiredService<IWorkItemStore>();
        foreach (var kind in WorkKinds.All)
        {
            await store.ScheduleAsync(new WorkItem { Kind = kind, SubjectId = "ab".PadRight(32, '0'), DueAt = TimeProvider.System.GetUtcNow().AddMinutes(-1) }, CancellationToken.None);
        }

        var outputs = await DispatchAsync();

        Assert.All(DispatchDueWorkFunction.OutputByKind.GroupBy(p => p.Value), output => Assert.Equal(
            output.Select(p => p.Key).Order(),
            outputs.GetProperty(output.Key).EnumerateArray().Select(m => m.GetProperty("kind").GetString()!).Order()));
    }

    [Fact]
    public async Task DueWorkOfAKindThisVersionDoesNotKnow_IsLeftPendingAndUnleased_WhileTheRestIsEmitted()
    {
        // A later version's work, left in the table by a rollback.
        var store = app.Services.GetRequiredService<IWorkItemStore>();
        await store.ScheduleAsync(new WorkItem { Kind = "retired-kind", SubjectId = "cd".PadRight(32, '0'), DueAt = TimeProvider.System.GetUtcNow().AddMinutes(-2) }, CancellationToken.None);
        await store.ScheduleAsync(new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = "ab".PadRight(32, '0'), DueAt = TimeProvider.System.GetUtcNow().AddMinutes(-1) }, CancellationToken.None);

        var outputs = await DispatchAsync();

        Assert.Equal("welcome-invitation", Assert.Single(outputs.GetProperty("welcomeInvitations").EnumerateArray()).GetProperty("kind").GetString());
        var retired = Assert.Single(await app.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") == "retired-kind");
        Assert.Equal(("Pending", 0), (retired.GetString("Status"), retired.GetInt32("DispatchCount") ?? 0));
        Assert.Null(retired.GetDateTimeOffset("LeasedUntil"));
    }
}
