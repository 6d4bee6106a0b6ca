using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace AlumniNetwork.Functions.Hosting.Telemetry;

/// <summary>
/// The Functions invocation the current request belongs to. The host sends its id in
/// <c>X-Azure-Functions-InvocationId</c> on every call to a custom handler, proxied HTTP and invocation envelopes alike
/// (the local trigger host does the same). It is read from the request in flight, so it is on the request span, on
/// every span started while the request runs (storage, SendGrid), and on every log record written meanwhile, including
/// ASP.NET Core's own, as <c>faas.invocation_id</c>: the app's telemetry joins the host's invocation logs.
/// </summary>
public sealed class InvocationContext(IHttpContextAccessor http)
{
    public const string Header = "X-Azure-Functions-InvocationId";

    /// <summary>OpenTelemetry's semantic-convention name for the invocation id.</summary>
    public const string Attribute = "faas.invocation_id";

    /// <summary>The id of the invocation in flight; only a GUID is taken, so a caller cannot write arbitrary text into telemetry.</summary>
    public string? Id => http.HttpContext?.Request.Headers[Header] is { Count: 1 } value && Guid.TryParse(value, out var id) ? id.ToString() : null;

    public sealed class SpanProcessor(InvocationContext invocation) : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (invocation.Id is { } id)
            {
                data.SetTag(Attribute, id);
            }
        }
    }

    public sealed class LogProcessor(InvocationContext invocation) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            if (invocation.Id is { } id)
            {
                data.Attributes = [.. data.Attributes ?? [], KeyValuePair.Create(Attribute, (object?)id)];
            }
        }
    }
}
