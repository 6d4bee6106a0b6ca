using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace AlumniNetwork.Functions.Hosting.Telemetry;

/// <summary>
/// Removes credentials and answers that travel in query strings before any telemetry leaves the process: the signed
/// link <c>token</c> of every alumni page (a bearer credential to that person's data), the function key <c>code</c> and
/// the survey <c>score</c> clicked in an email (an answer, in a request that also names its person, ADR 0025).
/// It runs on every span and log record, whichever instrumentation produced it, so a new tag or a chattier log level
/// cannot leak them.
/// </summary>
public static partial class TelemetryRedaction
{
    public const string Redacted = "REDACTED";

    /// <summary>Replaces the value of every <c>token=</c>, <c>code=</c> and <c>score=</c> query parameter in <paramref name="text"/>.</summary>
    public static string Scrub(string text) =>
        text.Contains('=', StringComparison.Ordinal) ? Credentials().Replace(text, Redacted) : text;

    // Parameter names as a query string or a url.query tag (which has no leading '?') spells them.
    [GeneratedRegex(@"(?<=(?:^|[?&;\s])(?:token|code|score)=)[^&#\s""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credentials();

    /// <summary>Scrubs every string tag and the display name of a finished span.</summary>
    public sealed class SpanProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            data.DisplayName = Scrub(data.DisplayName);
            List<KeyValuePair<string, string>>? changed = null;
            foreach (var (key, value) in data.TagObjects)
            {
                if (value is string text && Scrub(text) is var scrubbed && scrubbed != text)
                {
                    (changed ??= []).Add(KeyValuePair.Create(key, scrubbed));
                }
            }

            foreach (var (key, value) in changed ?? [])
            {
                data.SetTag(key, value);
            }
        }
    }

    /// <summary>Scrubs the message, the body and every string attribute of a log record.</summary>
    public sealed class LogProcessor : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            if (data.FormattedMessage is { } message)
            {
                data.FormattedMessage = Scrub(message);
            }

            if (data.Body is { } body)
            {
                data.Body = Scrub(body);
            }

            if (data.Attributes is { } attributes && attributes.Any(a => a.Value is string text && Scrub(text) != text))
            {
                data.Attributes = [.. attributes.Select(a => a.Value is string text ? KeyValuePair.Create(a.Key, (object?)Scrub(text)) : a)];
            }
        }
    }
}
