using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Functions.SendGridEvents;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// One mail as the stand-in received it: the recipient, our custom args (the send id among them), the text, the subject
/// and the attachments' decoded content.
/// </summary>
internal sealed record ReceivedMail(string To, IReadOnlyDictionary<string, string> CustomArgs, string Text, string Subject, IReadOnlyList<string> Attachments);

/// <summary>
/// A persistent SendGrid stand-in in the test process, outside any app process a test kills: records every
/// <c>/v3/mail/send</c> it accepts, may answer only after a delay (a slow provider), and may report each accepted mail
/// back as SendGrid's Event Webhook does: a signed <c>processed</c> event carrying the mail's custom args, posted to the
/// app and retried until the app answers 2xx (SendGrid retries for up to 24 hours). Requests are numbered as they
/// arrive (retries of the HTTP pipeline included), and a test may refuse some of them or hold only some answers.
/// </summary>
internal sealed class SendGridStandIn : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedMail> mails = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentBag<Task> posting = [];
    private readonly HttpClient events = new() { Timeout = TimeSpan.FromSeconds(10) };
    private int requests;

    private SendGridStandIn(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>How long the stand-in holds its answer after accepting a mail (the mail counts as accepted at once).</summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>
    /// Per request, numbered from 1: a status to answer instead of accepting it (nothing recorded, no events; a 400 names
    /// the personalizations but none of them; a 429 or 5xx says <see cref="RetryAfter"/>, by default 0, so the pipeline's retries come at once), or null to accept it.
    /// </summary>
    public Func<int, int?> RefuseWith { get; set; } = _ => null;

    /// <summary>Per recipient address: a status to answer instead of accepting a request that mails it, or null.</summary>
    public Func<string, int?> RefuseTo { get; set; } = _ => null;

    /// <summary>Whether a 400 names each personalization of the request, as SendGrid does for a fault they all share (their custom args too large).</summary>
    public bool RefusalNamesEach { get; set; }

    /// <summary>The <c>Retry-After</c> of a refusal, in seconds.</summary>
    public string RetryAfter { get; set; } = "0";

    /// <summary>When each request arrived, in order, whatever was answered.</summary>
    public ConcurrentQueue<DateTimeOffset> RequestTimes { get; } = new();

    /// <summary>Per request, numbered from 1: whether its answer waits <see cref="AnswerDelay"/> (every request unless told).</summary>
    public Func<int, bool> IsSlow { get; set; } = _ => true;

    /// <summary>Where accepted mails are reported as <c>processed</c> events; null reports nothing.</summary>
    public Uri? EventWebhook { get; set; }

    public IReadOnlyList<ReceivedMail> Mails => mails.ToArray();

    /// <summary>The app's answers to the reported events, for a failure message.</summary>
    public ConcurrentQueue<string> EventAnswers { get; } = new();

    public static async Task<SendGridStandIn> StartAsync()
    {
        var baseAddress = new Uri($"http://127.0.0.1:{AzuriteFixture.FreePort()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Urls"] = baseAddress.ToString().TrimEnd('/');
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SendGridStandIn(app, baseAddress);
        app.MapPost("/v3/mail/send", standIn.AcceptAsync);
        await app.StartAsync();
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(posting).ContinueWith(_ => { }, TaskScheduler.Default);
        await app.StopAsync();
        await app.DisposeAsync();
        events.Dispose();
        stopping.Dispose();
    }

    private async Task<IResult> AcceptAsync(HttpRequest request)
    {
        RequestTimes.Enqueue(TimeProvider.System.GetUtcNow());
        var number = Interlocked.Increment(ref requests);
        var mail = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        var personalizations = mail["personalizations"]!.AsArray();
        if ((RefuseWith(number) ?? personalizations.Select(p => RefuseTo(To(p!))).FirstOrDefault(s => s is not null)) is { } refused)
        {
            return Refusal(request, refused, personalizations.Count);
        }

        var text = mail["content"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "text/plain")!["value"]!.GetValue<string>();
        var attachments = (mail["attachments"] as JsonArray ?? []).Select(a => Encoding.UTF8.GetString(Convert.FromBase64String(a!["content"]!.GetValue<string>()))).ToArray();
        foreach (var personalization in personalizations)
        {
            // SendGrid merges the mail's custom args with the personalization's, the latter winning.
            var customArgs = Args(mail).Concat(Args(personalization!)).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
            var to = To(personalization!);
            var subject = (personalization!["subject"] ?? mail["subject"])?.GetValue<string>() ?? "";
            mails.Enqueue(new ReceivedMail(to, customArgs, text, subject, attachments));
            if (EventWebhook is { } webhook)
            {
                posting.Add(Task.Run(() => ReportProcessedAsync(webhook, to, customArgs)));
            }
        }

        if (AnswerDelay > TimeSpan.Zero && IsSlow(number))
        {
            try
            {
                await Task.Delay(AnswerDelay, stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var messageId = Guid.NewGuid().ToString("N");
        request.HttpContext.Response.Headers["X-Message-Id"] = messageId;
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// A refusal: a 400 names the personalizations without saying which (a batch is halved), or each of them when told;
    /// others name no field.
    /// </summary>
    private IResult Refusal(HttpRequest request, int status, int personalizations)
    {
        request.HttpContext.Response.Headers.RetryAfter = RetryAfter;
        JsonNode[] errors = status == 400 && RefusalNamesEach
            ? [.. Enumerable.Range(0, personalizations).Select(i => new JsonObject { ["message"] = "refused by the test", ["field"] = $"personalizations.{i}.custom_args" })]
            : [new JsonObject { ["message"] = "refused by the test", ["field"] = status == 400 ? "personalizations" : null }];
        return Results.Json(new JsonObject { ["errors"] = new JsonArray(errors) }, statusCode: status);
    }

    private static string To(JsonNode personalization) => personalization["to"]![0]!["email"]!.GetValue<string>();

    private static IEnumerable<KeyValuePair<string, string>> Args(JsonNode node) =>
        (node["custom_args"] as JsonObject ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>()));

    private async Task ReportProcessedAsync(Uri webhook, string to, IReadOnlyDictionary<string, string> customArgs)
    {
        var e = new JsonObject
        {
            ["email"] = to,
            ["timestamp"] = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(),
            ["event"] = "processed",
            ["sg_event_id"] = Guid.NewGuid().ToString("N"),
            ["sg_message_id"] = Guid.NewGuid().ToString("N") + ".filter0001",
        };
        foreach (var (name, value) in customArgs)
        {
            e[name] = value;
        }

        var body = Encoding.UTF8.GetBytes(new JsonArray(e).ToJsonString());
        using var key = SendGridEventPosts.DevelopmentKey();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(webhook, SendGridEventPosts.Path)) { Content = new ByteArrayContent(body) };
                post.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                post.Headers.Add(SendGridEventsFunction.TimestampHeader, timestamp);
                post.Headers.Add(SendGridEventsFunction.SignatureHeader, SendGridEventSignature.Sign(key, timestamp, body));
                using var response = await events.SendAsync(post, stopping.Token);
                EventAnswers.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stopping.Token)}");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // The app is down (killed) or busy: SendGrid retries, so do we.
            }

            try
            {
                await Task.Delay(200, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
