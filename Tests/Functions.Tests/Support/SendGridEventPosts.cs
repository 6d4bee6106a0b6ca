using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Functions.SendGridEvents;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Posts SendGrid event batches signed as SendGrid would, with the development key pair.</summary>
internal static class SendGridEventPosts
{
    /// <summary>
    /// PKCS#8 private half of the development key whose public half is <c>SendGrid:EventWebhookPublicKey</c> in
    /// appsettings.Development.json. Development only: it signs nothing that any deployment trusts.
    /// </summary>
    public const string DevelopmentPrivateKey =
        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrFtChpJNPBNLw1I1qZIrtF/++S3Z10CboY4Qbh8vsxOhRANCAAQ17XgGx+jlUxH/M8mMnd084Oc1ccLNjFTrSHaHYViDnNNA413h2ACyEwAKXDu/MDlltXel6Bsd/EeoqgMqVbyi";

    public const string Path = "api/sendgrid/events";

    public static ECDsa DevelopmentKey()
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(DevelopmentPrivateKey), out _);
        return key;
    }

    public static async Task<HttpResponseMessage> PostEventsAsync(this TestApp app, string body, DateTimeOffset? signedAt = null,
        ECDsa? key = null, string contentType = "application/json", bool signed = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        if (signed)
        {
            using var developmentKey = DevelopmentKey();
            var timestamp = (signedAt ?? TimeProvider.System.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add(SendGridEventsFunction.TimestampHeader, timestamp);
            request.Headers.Add(SendGridEventsFunction.SignatureHeader, SendGridEventSignature.Sign(key ?? developmentKey, timestamp, bytes));
        }

        return await app.Client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostEventsAsync(this TestApp app, params JsonObject[] events) =>
        app.PostEventsAsync(new JsonArray(events).ToJsonString());

    /// <summary>
    /// The event webhook accepts posts (about mail of other campaigns) every half second for <paramref name="span"/>, or
    /// until <paramref name="stop"/>: the heartbeat a re-send after silence needs (ADR 0024). Pair it with a short
    /// <c>Sending:WebhookGap</c>, so the stretch is noted often enough to cover a window of seconds.
    /// </summary>
    public static async Task WebhookAcceptsPostsForAsync(this TestApp app, TimeSpan span, CancellationToken stop = default)
    {
        var until = TimeProvider.System.GetUtcNow() + span;
        do
        {
            (await app.PostEventsAsync(Event("open"))).EnsureSuccessStatusCode();
            await Task.Delay(TimeSpan.FromMilliseconds(500), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        while (!stop.IsCancellationRequested && TimeProvider.System.GetUtcNow() < until);
    }

    /// <summary>One event as SendGrid reports it, our custom arguments merged in at the top level.</summary>
    public static JsonObject Event(string type, string? alumnusId = null, string email = "hanako@example.net", string? eventId = null,
        JsonNode? category = null, string? campaign = null, DateTimeOffset? at = null)
    {
        var e = new JsonObject
        {
            ["email"] = email,
            ["timestamp"] = (at ?? TimeProvider.System.GetUtcNow()).ToUnixTimeSeconds(),
            ["smtp-id"] = "<14c5d75ce93.dfd.64b469@ismtpd-555>",
            ["event"] = type,
            ["sg_event_id"] = eventId ?? "sg_" + Guid.NewGuid().ToString("N"),
            ["sg_message_id"] = "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        };
        if (category is not null)
        {
            e["category"] = category;
        }

        if (alumnusId is not null)
        {
            e["alumnusId"] = alumnusId;
        }

        if (campaign is not null)
        {
            e["campaign"] = campaign;
        }

        return e;
    }
}
