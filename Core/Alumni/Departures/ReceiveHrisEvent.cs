using System.Diagnostics.Metrics;
using AlumniNetwork.Core.Validation;
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

    /// <summary>A replay of a departure of someone purged for never joining; acknowledged and not recorded again.</summary>
    public sealed record AlreadyPurged : HrisEventOutcome;

    /// <summary>A hire: kept (as pseudonyms) and handed to the rehire attribution; answered before it is matched.</summary>
    public sealed record HireReceived : HrisEventOutcome;

    public sealed record Ignored(string Type) : HrisEventOutcome;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : HrisEventOutcome;
}

/// <summary>
/// Handles a verified HRIS webhook body: records departures, hands hires to the rehire attribution, acknowledges (and counts) event types we do not handle so
/// the HR system keeps the endpoint enabled. Invalid bodies change nothing.
/// </summary>
/// <remarks>
/// A receipt per <c>webhook-id</c> (Standard Webhooks) is written once the intake has succeeded, holding its outcome: a
/// redelivery of that id is answered from the receipt without running the intake again, so a late retry of an older
/// message never undoes what a newer one corrected. A crash between the intake and the receipt leaves no receipt, and
/// the sender's retry runs the intake again, which is idempotent on the employee and the departure (ADR 0012); so is
/// a redelivery under a new id. An invalid body is refused before the receipt is read, and records nothing: the same id may come back corrected.
/// </remarks>
public sealed partial class ReceiveHrisEvent(
    RecordDeparture recordDeparture,
    Rehires.RecordHire recordHire,
    Webhooks.IWebhookReceipts receipts,
    IOptions<CompanyOptions> company,
    IMeterFactory meters,
    ILogger<ReceiveHrisEvent> logger)
{
    public const string Source = "hris";
    private const string RecordedPrefix = "recorded:";
    private const string IgnoredPrefix = "ignored:";
    private const string ErasedReceipt = "erased";
    private const string PurgedReceipt = "purged";
    private const string HireReceipt = "hire";

    private readonly Counter<long> ignoredEvents = meters.Create("AlumniNetwork.Hris").CreateCounter<long>("hris.events.ignored");

    public async Task<HrisEventOutcome> HandleAsync(string webhookId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var defaultLocale = Locales.TryParse(company.Value.DefaultLocale, out var configured) ? configured : Locale.Japanese;
        var parsed = DepartureEventParser.Parse(body.Span, defaultLocale);
        if (parsed is DepartureEvent.Invalid invalid)
        {
            return new HrisEventOutcome.Invalid(invalid.Errors);
        }

        if (await receipts.FindAsync(Source, webhookId, cancellationToken) is { } receipt)
        {
            LogRedelivery();
            return FromReceipt(receipt);
        }

        var outcome = await ApplyAsync(parsed, cancellationToken);
        await receipts.RecordAsync(Source, webhookId, ReceiptOf(outcome), cancellationToken);
        return outcome;
    }

    private async Task<HrisEventOutcome> ApplyAsync(DepartureEvent parsed, CancellationToken cancellationToken)
    {
        switch (parsed)
        {
            case DepartureEvent.Unhandled unhandled:
                ignoredEvents.Add(1, new KeyValuePair<string, object?>("type", unhandled.Type));
                LogUnhandledEvent(unhandled.Type);
                return new HrisEventOutcome.Ignored(unhandled.Type);

            case DepartureEvent.Departure departure:
                var result = await recordDeparture.HandleAsync(departure.Notice, cancellationToken);
                return result.Disposition switch
                {
                    DepartureDisposition.Erased => new HrisEventOutcome.Erased(),
                    DepartureDisposition.PurgedReplay => new HrisEventOutcome.AlreadyPurged(),
                    _ => new HrisEventOutcome.Recorded(result.AlumnusId!.Value, result.IsNew),
                };

            case DepartureEvent.Hire hire:
                await recordHire.HandleAsync(hire.Notice, cancellationToken);
                return new HrisEventOutcome.HireReceived();

            default:
                throw new InvalidOperationException("Unknown departure event.");
        }
    }

    /// <summary>What a receipt holds of an outcome: an alumnus id or an event type, never personal data.</summary>
    private static string ReceiptOf(HrisEventOutcome outcome) => outcome switch
    {
        HrisEventOutcome.Recorded recorded => RecordedPrefix + recorded.AlumnusId.Value,
        HrisEventOutcome.Erased => ErasedReceipt,
        HrisEventOutcome.AlreadyPurged => PurgedReceipt,
        HrisEventOutcome.HireReceived => HireReceipt,
        HrisEventOutcome.Ignored ignored => IgnoredPrefix + ignored.Type,
        _ => throw new InvalidOperationException("No receipt for this outcome."),
    };

    /// <summary>The answer a redelivered id gets: the first delivery's, with a recorded departure no longer new.</summary>
    private static HrisEventOutcome FromReceipt(string receipt) => receipt switch
    {
        _ when receipt.StartsWith(RecordedPrefix, StringComparison.Ordinal) => new HrisEventOutcome.Recorded(AlumnusId.Parse(receipt[RecordedPrefix.Length..]), IsNew: false),
        _ when receipt.StartsWith(IgnoredPrefix, StringComparison.Ordinal) => new HrisEventOutcome.Ignored(receipt[IgnoredPrefix.Length..]),
        ErasedReceipt => new HrisEventOutcome.Erased(),
        PurgedReceipt => new HrisEventOutcome.AlreadyPurged(),
        HireReceipt => new HrisEventOutcome.HireReceived(),
        _ => throw new InvalidOperationException("Unknown HRIS webhook receipt."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "HRIS webhook redelivered under an id already handled; answered from its receipt")]
    private partial void LogRedelivery();

    [LoggerMessage(Level = LogLevel.Warning, Message = "HRIS event of unhandled type {EventType} acknowledged and ignored")]
    private partial void LogUnhandledEvent(string eventType);
}
