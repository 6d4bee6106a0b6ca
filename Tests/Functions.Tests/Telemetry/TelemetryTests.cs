using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Hosting.Telemetry;
using AlumniNetwork.Functions.Tests.Support;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace AlumniNetwork.Functions.Tests.Telemetry;

/// <summary>
/// What the app's telemetry pipeline hands to an exporter: spans and logs caught by OpenTelemetry's in-memory exporter
/// (added after the app's own processors, as the Azure Monitor exporter is), and, with a connection string, what the
/// Azure Monitor exporter actually sends, caught by a stand-in for the ingestion endpoint on loopback.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TelemetryTests(AzuriteFixture azurite)
{
    private const string FunctionKey = "hostkey-0123456789abcdefABCDEF==";

    /// <summary>ASP.NET Core's request logs carry the full URL; the instrumentation's own query redaction is switched off.</summary>
    private static readonly Dictionary<string, string?> Chatty = new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true",
        ["OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION"] = "true",
    };

    [Fact]
    public async Task LinkTokensAndFunctionKeys_NeverReachExportedSpansOrLogs()
    {
        var spans = new LockedCollection<Activity>();
        var logs = new LockedCollection<LogRecord>();
        string token;
        await using (var app = await StartAsync(spans, logs))
        {
            var id = await app.DepartAsync(locale: "en-US");
            token = app.Token(LinkPurpose.Join, id);
            var page = await app.Client.GetAsync($"api/alumni/join?token={Uri.EscapeDataString(token)}&code={Uri.EscapeDataString(FunctionKey)}");
            var oneClick = await app.Client.PostAsync($"api/alumni/unsubscribe?token={Uri.EscapeDataString(app.Token(LinkPurpose.Unsubscribe, id))}",
                new FormUrlEncodedContent([KeyValuePair.Create("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        }

        var exported = Texts(spans.Snapshot(), logs.Snapshot());
        Assert.Contains(exported, text => text.Contains("token=REDACTED", StringComparison.Ordinal));
        Assert.Contains(exported, text => text.Contains("code=REDACTED", StringComparison.Ordinal));
        foreach (var secret in new[] { token, Uri.EscapeDataString(token), token.Split('.')[^1], FunctionKey, Uri.EscapeDataString(FunctionKey) })
        {
            Assert.DoesNotContain(exported, text => text.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task EveryRecordOfAnInvocation_CarriesItsInvocationId_IncludingStorageDependencies()
    {
        var spans = new LockedCollection<Activity>();
        var logs = new LockedCollection<LogRecord>();
        var invocation = Guid.NewGuid().ToString();
        await using (var app = await StartAsync(spans, logs))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await app.PostSignedAsync(Departures.Body(), headers: new Dictionary<string, string>
            {
                [InvocationContext.Header] = invocation,
            })).StatusCode);
            await app.Client.GetAsync("");
        }

        var ofInvocation = spans.Snapshot().Where(s => s.GetTagItem(InvocationContext.Attribute) as string == invocation).ToList();
        Assert.Contains(ofInvocation, s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == "/api/hris/departures");
        Assert.Contains(ofInvocation, s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && s.Kind == ActivityKind.Client);
        var requestSpan = ofInvocation.Single(s => s.Kind == ActivityKind.Server);
        // Every span of the request's trace but the test's own client call, which is the request span's parent.
        Assert.All(spans.Snapshot().Where(s => s.TraceId == requestSpan.TraceId && s.SpanId != requestSpan.ParentSpanId),
            s => Assert.Equal(invocation, s.GetTagItem(InvocationContext.Attribute)));
        var requestLogs = logs.Snapshot().Where(l => l.TraceId == requestSpan.TraceId).ToList();
        Assert.NotEmpty(requestLogs);
        Assert.All(requestLogs, l => Assert.Contains(l.Attributes!, a => a.Key == InvocationContext.Attribute && a.Value as string == invocation));
        // The readiness probe came without an invocation id and carries none.
        Assert.DoesNotContain(spans.Snapshot(), s => s.GetTagItem("url.path") as string == "/" && s.GetTagItem(InvocationContext.Attribute) is not null);
    }

    [Fact]
    public async Task SurveyAnswers_ExportOnlyTheirRequestSpan_WithoutTheScore_AndNoStorageSpanBesideThePerson()
    {
        var spans = new LockedCollection<Activity>();
        var logs = new LockedCollection<LogRecord>();
        AlumnusId member;
        await using (var app = await StartAsync(spans, logs))
        {
            var surveyId = await app.PublishedSurveyAsync();
            member = (await app.SeedMembersAsync(1, [ConsentPurpose.Surveys]))[0].Id;
            Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(app.SurveyPath(surveyId, member) + "&score=7")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.AnswerAsync(surveyId, member, ("recommend", "3"), ("why", "a reason of my own"))).StatusCode);
        }

        var requests = spans.Snapshot().Where(s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == "/api/alumni/survey").ToList();
        Assert.Equal(2, requests.Count);
        // Every span of the two requests' traces but the test's own client calls, which are the request spans' parents.
        var traced = spans.Snapshot().Where(s => requests.Any(r => r.TraceId == s.TraceId && r.ParentSpanId != s.SpanId)).ToList();
        Assert.Equal(requests.Select(r => r.SpanId), traced.Select(s => s.SpanId));
        var exported = Texts(traced, [.. logs.Snapshot().Where(l => requests.Any(r => r.TraceId == l.TraceId))]);
        Assert.Contains(exported, text => text.Contains("score=REDACTED", StringComparison.Ordinal));
        Assert.DoesNotContain(Texts(spans.Snapshot(), logs.Snapshot()), text => text.Contains("score=7", StringComparison.Ordinal));
        foreach (var linking in new[] { member.Value, "SurveyResponses", "Alumni(", "a reason of my own" })
        {
            Assert.DoesNotContain(exported, text => text.Contains(linking, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ForgedInvocationHeader_IsNotWrittenIntoTelemetry()
    {
        var spans = new LockedCollection<Activity>();
        await using (var app = await StartAsync(spans, new LockedCollection<LogRecord>()))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "");
            request.Headers.Add(InvocationContext.Header, "<script>not-a-guid</script>");
            await app.Client.SendAsync(request);
        }

        Assert.DoesNotContain(spans.Snapshot(), s => s.GetTagItem(InvocationContext.Attribute) is not null);
    }

    [Fact]
    public async Task WithAConnectionString_RequestsDependenciesLogsAndMetricsReachApplicationInsights_WithoutTokens()
    {
        // Only what the test controls may leave the process: the exporter's own usage statistics would go to Azure.
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_STATSBEAT_DISABLED", "true");
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_SDKSTATS_DISABLED", "true");
        await using var ingestion = await FakeIngestion.StartAsync();
        var invocation = Guid.NewGuid().ToString();
        string token;
        await using (var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>(Chatty)
        {
            [AppTelemetry.ConnectionStringSetting] = ingestion.ConnectionString,
            ["AzureMonitor:EnableLiveMetrics"] = "false",
            ["AzureMonitor:DisableOfflineStorage"] = "true",
            ["AzureMonitor:TracesPerSecond"] = "1000",
        }))
        {
            var id = await app.DepartAsync(locale: "en-US");
            var ignored = JsonNode.Parse(Departures.Body(employeeId: "E4242", email: "other@example.net"))!;
            ignored["type"] = "employee.transferred";
            Assert.Equal(HttpStatusCode.NoContent, (await app.PostSignedAsync(ignored.ToJsonString())).StatusCode);
            token = app.Token(LinkPurpose.Join, id);
            using var page = new HttpRequestMessage(HttpMethod.Get, $"api/alumni/join?token={Uri.EscapeDataString(token)}");
            page.Headers.Add(InvocationContext.Header, invocation);
            Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(page)).StatusCode);
        }

        // Disposing the app flushed every exporter.
        var sent = ingestion.Envelopes;
        Assert.Contains(sent, e => e.Contains("\"RequestData\"", StringComparison.Ordinal) && e.Contains(invocation, StringComparison.Ordinal));
        Assert.Contains(sent, e => e.Contains("\"RemoteDependencyData\"", StringComparison.Ordinal) && e.Contains(invocation, StringComparison.Ordinal));
        Assert.Contains(sent, e => e.Contains("\"MessageData\"", StringComparison.Ordinal) && e.Contains(invocation, StringComparison.Ordinal));
        Assert.Contains(sent, e => e.Contains("\"MetricData\"", StringComparison.Ordinal) && e.Contains("hris.events.ignored", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, e => e.Contains(token.Split('.')[^1], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("Authorization=AAD", true)]
    [InlineData("ClientId=00000000-0000-0000-0000-000000000002;Authorization=AAD", true)]
    [InlineData("ClientId=00000000-0000-0000-0000-000000000002", false)]
    public void EntraCredential_IsUsedExactlyWhenTheAuthenticationStringAsksForIt(string? authentication, bool expected) =>
        Assert.Equal(expected, AppTelemetry.EntraCredential(authentication) is not null);

    private Task<TestApp> StartAsync(LockedCollection<Activity> spans, LockedCollection<LogRecord> logs) =>
        TestApp.StartAsync(azurite, Chatty, services: services => services
            .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))
            .ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(logs)));

    /// <summary>Every text an exporter could send: span names and string tags, log messages, bodies and string attributes.</summary>
    private static List<string> Texts(IReadOnlyList<Activity> spans, IReadOnlyList<LogRecord> logs) =>
    [
        .. spans.SelectMany(s => s.TagObjects.Select(t => t.Value as string).Append(s.DisplayName)).OfType<string>(),
        .. logs.SelectMany(l => (l.Attributes ?? []).Select(a => a.Value as string).Append(l.FormattedMessage).Append(l.Body)).OfType<string>(),
    ];
}
