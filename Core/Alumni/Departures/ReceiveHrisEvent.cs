using System.Diagnostics.Metrics;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using AlumniNetwork.Core.Company;

namespace AlumniNetwork.Core.Alumni;

public abstract record HrisEventOutcome
{
    private HrisEventOutcome() { }

    public sealed record Recorded(AlumnusId AlumnusId, bool IsNew) : HrisEventOutcome;

    /// <summary>The employee asked to be erased; the departure is acknowledged and not recorded.</summary>
    public sealed record Erased : HrisEventOutcome;

    public sealed record Ignored(string Type) : HrisEventOutcome;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : HrisEventOutcome;
}

/// <summary>
/// Handles a verified HRIS webhook body: de-duplicates on webhook id, records departures, acknowledges (and counts)
/// event types we do not handle so the HR system keeps the endpoint enabled. Invalid bodies change nothing.
/// </summary>
public sealed partial class ReceiveHrisEvent(
    IWebhookReceipts receipts,
    RecordDeparture recordDeparture,
    IOptions<CompanyOptions> company,
    IMeterFactory meters,
    ILogger<ReceiveHrisEvent> logger)
{
    public const string Source = "hris";
    private const string IgnoredPrefix = "ignored:";
    private const string ErasedOutcome = "erased";
    private readonly Counter<long> ignoredEvents = meters.Create("AlumniNetwork.Hris").CreateCounter<long>("hris.events.ignored");

    public async Task<HrisEventOutcome> HandleAsync(string webhookId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (await receipts.FindAsync(Source, webhookId, cancellationToken) is { } earlier)
        {
            return earlier switch
            {
                ErasedOutcome => new HrisEventOutcome.Erased(),
                _ when earlier.StartsWith(IgnoredPrefix, StringComparison.Ordinal) => new HrisEventOutcome.Ignored(earlier[IgnoredPrefix.Length..]),
                _ => new HrisEventOutcome.Recorded(AlumnusId.Parse(earlier), IsNew: false),
            };
        }

        var defaultLocale = Locales.TryParse(company.Value.DefaultLocale, out var configured) ? configured : Locale.Japanese;
        switch (DepartureEventParser.Parse(body.Span, defaultLocale))
        {
            case DepartureEvent.Invalid invalid:
                return new HrisEventOutcome.Invalid(invalid.Errors);

            case DepartureEvent.Unhandled unhandled:
                ignoredEvents.Add(1, new KeyValuePair<string, object?>("type", unhandled.Type));
                LogUnhandledEvent(unhandled.Type);
                await receipts.RecordAsync(Source, webhookId, IgnoredPrefix + unhandled.Type, cancellationToken);
                return new HrisEventOutcome.Ignored(unhandled.Type);

            case DepartureEvent.Departure departure:
                var result = await recordDeparture.HandleAsync(departure.Notice, cancellationToken);
                // The receipt is written last: a crash before it means the retry runs the (idempotent) intake again.
                await receipts.RecordAsync(Source, webhookId, result.AlumnusId?.Value ?? ErasedOutcome, cancellationToken);
                return result.AlumnusId is { } id ? new HrisEventOutcome.Recorded(id, result.IsNew) : new HrisEventOutcome.Erased();

            default:
                throw new InvalidOperationException("Unknown departure event.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HRIS event of unhandled type {EventType} acknowledged and ignored")]
    private partial void LogUnhandledEvent(string eventType);
}
