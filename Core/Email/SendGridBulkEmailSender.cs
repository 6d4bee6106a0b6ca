using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SendGrid;

namespace AlumniNetwork.Core.Email;

/// <summary>
/// One SendGrid v3 <c>mail/send</c> request per bulk message, with one personalization per recipient. The JSON is
/// written directly as UTF-8 and posted as those bytes (a thousand personalizations through the helper classes, or as a
/// string, would be built and copied twice more: megabytes per batch, docs/performance.md), through the official
/// client with its host, version and authorization.
/// </summary>
public sealed partial class SendGridBulkEmailSender(HttpClient httpClient, IOptions<SendGridOptions> options) : IBulkEmailSender
{
    private const string JsonType = "application/json";
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly SendGridClientOptions clientOptions = SendGridEmailSender.ClientOptions(options.Value);
    private readonly SendGridClient client = SendGridEmailSender.CreateClient(httpClient, options.Value);

    /// <summary>The caller's deadline, carried on the request to the retries of the HTTP pipeline.</summary>
    public static readonly HttpRequestOptionsKey<DateTimeOffset> Deadline = new("AlumniNetwork.Deadline");

    public async Task<string> SendAsync(BulkMessage message, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        Response response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{clientOptions.Host}/{clientOptions.Version}/mail/send"))
            {
                Content = new ReadOnlyMemoryContent(Utf8Json(message, options.Value)) { Headers = { ContentType = new MediaTypeHeaderValue(JsonType) } },
            };
            request.Headers.Authorization = clientOptions.Auth;
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonType));
            request.Options.Set(Deadline, deadline);
            response = await client.MakeRequest(request, cancellationToken);
        }
        catch (Exception e) when (SendGridEmailSender.NeverLeft(e))
        {
            throw new EmailNotAcceptedException(null, e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A timeout or a connection broken after the request was written: SendGrid may have accepted it.
            throw new EmailOutcomeUnknownException(e);
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.Accepted:
                return response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.First() : "";
            case HttpStatusCode.BadRequest:
                var body = await response.Body.ReadAsStringAsync(cancellationToken);
                var fields = ErrorFields(body);

                // Only a refusal of personalizations alone is about recipients, to be found by splitting the request.
                // Any other field (an empty content part, the from address) or none would refuse every part alike: the
                // message itself is at fault, so nobody is dropped and nothing is split (ADR 0016: an operator retries).
                // So is one naming every personalization of several: what they all share (the subject, the headers, the
                // size of the custom args) is at fault, not each recipient, and dropping them all would lose them for good.
                if (NamesOnlyPersonalizations(fields))
                {
                    var named = RecipientIndexes(fields);
                    var count = message.Recipients.Count;
                    if (count == 1 || named.Count(i => i < count) < count)
                    {
                        throw new BulkEmailRejectedException(named, body.Length > 500 ? body[..500] : body);
                    }

                    throw new EmailNotAcceptedException(HttpStatusCode.BadRequest, detail: $"It named all {count} personalizations, for [{string.Join(", ", fields.Select(Unindexed).Distinct().Take(5))}].");
                }

                throw new EmailNotAcceptedException(HttpStatusCode.BadRequest, detail: $"It named no recipient, only the fields [{string.Join(", ", fields.Select(f => f.Length == 0 ? "(none)" : f).Distinct().Take(5))}].");
            case var status when SendGridEmailSender.GatewayGaveUp(status):
                throw new EmailOutcomeUnknownException(new HttpRequestException($"SendGrid answered {(int)response.StatusCode}."));
            default:
                // A wait longer than the call takes (BulkEmailResilience) reaches here: the work item waits it.
                throw new EmailNotAcceptedException(response.StatusCode, retryAfter: SendGridEmailSender.AskedWait(response.Headers));
        }
    }

    /// <summary>The request body: sized up front for the batch, so it is written into one buffer without regrowing.</summary>
    public static ReadOnlyMemory<byte> Utf8Json(BulkMessage message, SendGridOptions settings)
    {
        var buffer = new ArrayBufferWriter<byte>(ExpectedBytes(message));
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            json.WriteStartObject();
            json.WriteStartArray("personalizations");
            foreach (var recipient in message.Recipients)
            {
                json.WriteStartObject();
                json.WriteStartArray("to");
                json.WriteStartObject();
                json.WriteString("email", recipient.To.Value);
                json.WriteString("name", SafeName(recipient.ToName));
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteString("subject", recipient.Subject);
                WriteMap(json, "substitutions", recipient.Substitutions);
                WriteMap(json, "headers", recipient.Headers);
                WriteMap(json, "custom_args", recipient.CustomArgs);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("from");
            json.WriteString("email", settings.FromEmail);
            json.WriteString("name", settings.FromName);
            json.WriteEndObject();
            json.WriteStartArray("content");
            WriteContent(json, "text/plain", message.Text);
            WriteContent(json, "text/html", message.Html);
            json.WriteEndArray();
            json.WriteStartArray("categories");
            foreach (var category in message.Categories)
            {
                json.WriteStringValue(category);
            }

            json.WriteEndArray();
            if (!message.TrackClicks || !message.TrackOpens)
            {
                json.WriteStartObject("tracking_settings");
                if (!message.TrackClicks)
                {
                    // Overrides the account's click tracking for this request, in the HTML and the text part alike.
                    json.WriteStartObject("click_tracking");
                    json.WriteBoolean("enable", false);
                    json.WriteBoolean("enable_text", false);
                    json.WriteEndObject();
                }

                if (!message.TrackOpens)
                {
                    // Overrides the account's open tracking: no pixel in the HTML part.
                    json.WriteStartObject("open_tracking");
                    json.WriteBoolean("enable", false);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Enough for most batches: Japanese text takes three bytes a character, a personalization with its links and headers under 2 KB.</summary>
    private static int ExpectedBytes(BulkMessage message) => (3 * (message.Html.Length + message.Text.Length)) + (2048 * message.Recipients.Count) + 4096;

    /// <summary>SendGrid refuses ';' and ',' in recipient names; a display name loses nothing by a space instead.</summary>
    public static string SafeName(string name) => name.Replace(';', ' ').Replace(',', ' ').Trim();

    private static void WriteContent(Utf8JsonWriter json, string type, string value)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0)
        {
            return;
        }

        json.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// The field each error of a 400 names (SendGrid's <c>{"errors":[{"message":…,"field":…}]}</c>), "" for an error naming
    /// none; empty when the body is not that shape. Field names are paths in our request, never its values.
    /// </summary>
    /// <summary>Whether a 400's body names personalizations and no other field: a refusal of recipients, not of the message.</summary>
    public static bool NamesOnlyPersonalizations(string body) => NamesOnlyPersonalizations(ErrorFields(body));

    private static bool NamesOnlyPersonalizations(List<string> fields) =>
        fields.Count > 0 && fields.All(f => f.StartsWith("personalizations", StringComparison.Ordinal));

    private static List<string> ErrorFields(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                ? [.. errors.EnumerateArray().Select(e =>
                    e.ValueKind == JsonValueKind.Object && e.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String ? field.GetString()! : "")]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The personalizations the fields name, from fields such as <c>personalizations.3.to</c>.</summary>
    private static int[] RecipientIndexes(IEnumerable<string> fields) =>
        [.. fields.Select(f => PersonalizationField().Match(f)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct()];

    /// <summary>A field without its personalization's index (<c>personalizations.subject</c>), so an operator sees which part.</summary>
    private static string Unindexed(string field) => PersonalizationField().Replace(field, "personalizations");

    [GeneratedRegex(@"^personalizations\.(\d{1,4})\b")]
    private static partial Regex PersonalizationField();
}
