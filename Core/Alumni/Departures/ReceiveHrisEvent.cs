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

    /// <summary>
    /// The departure is withdrawn (ADR 0041), one answer for both messages: a withdrawal applied (the record that had
    /// reached nobody is gone with its welcome, or no record was held), or a departure HR withdrew at or after its event
    /// time, acknowledged and not recorded.
    /// </summary>
    public sealed record Withdrawn : HrisEventOutcome;

    /// <summary>A withdrawal for someone invited or joined: the record is kept and flagged for an admin (ADR 0041).</summary>
    public sealed record WithdrawalFlagged(AlumnusId AlumnusId) : HrisEventOutcome;

    /// <summary>A withdrawal older than a departure applied since: the person is leaving after all; nothing changed.</summary>
    public sealed record WithdrawalSuperseded : HrisEventOutcome;

    /// <summary>A hire: kept (as pseudonyms) and handed to the rehire attribution; answered before it is matched.</summary>
    public sealed record HireReceived : HrisEventOutcome;

    public sealed record Ignored(string Type) : HrisEventOutcome;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : HrisEventOutcome;
}

/// <summary>
/// Handles a verified HRIS webhook body: records departures, withdraws them (ADR 0041), hands hires to the rehire attribution, acknowledges (and counts) event types we do not handle so
/// the HR system keeps the endpoint enabled. Invalid bodies change nothing.
/// </summary>
/// <remarks>
/// There is no receipt per webhook id: recording is idempotent on the employee and the departure, and a departure's
/// webhook id is kept on the employee's claim row, which intake writes or reads anyway, so a late retry of an older
/// message is not applied over a newer correction (ADR 0012, ADR 0036). Other events need no id: their outcome follows
/// from the body alone.
/// </remarks>
public sealed partial class ReceiveHrisEvent(
    RecordDeparture recordDeparture,
    WithdrawDeparture withdrawDeparture,
    Rehires.RecordHire recordHire,
    IOptions<CompanyOptions> company,
    CompanyMailDomains mailDomains,
    IOptions<HrisClockOptions> clock,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<ReceiveHrisEvent> logger)
{
    private readonly Counter<long> ignoredEvents = meters.Create("AlumniNetwork.Hris").CreateCounter<long>("hris.events.ignored");

    /// <param name="webhookId">The verified message's <c>webhook-id</c>.</param>
    public async Task<HrisEventOutcome> HandleAsync(string webhookId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var defaultLocale = Locales.TryParse(company.Value.DefaultLocale, out var configured) ? configured : Locale.Japanese;
        switch (DepartureEventParser.Parse(body.Span, defaultLocale, mailDomains, EventTimeLimit.Now(time, clock.Value)))
        {
            case DepartureEvent.Invalid invalid:
                return new HrisEventOutcome.Invalid(invalid.Errors);

            case DepartureEvent.Unhandled unhandled:
                ignoredEvents.Add(1, new KeyValuePair<string, object?>("type", unhandled.Type));
                LogUnhandledEvent(unhandled.Type);
                return new HrisEventOutcome.Ignored(unhandled.Type);

            case DepartureEvent.Departure departure:
                var result = await recordDeparture.HandleAsync(departure.Notice with { WebhookId = webhookId }, cancellationToken);
                return result.Disposition switch
                {
                    DepartureDisposition.Erased => new HrisEventOutcome.Erased(),
                    DepartureDisposition.PurgedReplay => new HrisEventOutcome.AlreadyPurged(),
                    DepartureDisposition.Withdrawn => new HrisEventOutcome.Withdrawn(),
                    _ => new HrisEventOutcome.Recorded(result.AlumnusId!.Value, result.IsNew),
                };

            case DepartureEvent.Withdrawal withdrawal:
                var withdrawn = await withdrawDeparture.HandleAsync(withdrawal.Notice with { WebhookId = webhookId }, cancellationToken);
                return withdrawn.Disposition switch
                {
                    WithdrawalDisposition.Erased => new HrisEventOutcome.Erased(),
                    WithdrawalDisposition.Flagged => new HrisEventOutcome.WithdrawalFlagged(withdrawn.AlumnusId!.Value),
                    WithdrawalDisposition.Superseded => new HrisEventOutcome.WithdrawalSuperseded(),
                    _ => new HrisEventOutcome.Withdrawn(),
                };

            case DepartureEvent.Hire hire:
                await recordHire.HandleAsync(hire.Notice, cancellationToken);
                return new HrisEventOutcome.HireReceived();

            default:
                throw new InvalidOperationException("Unknown departure event.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HRIS event of unhandled type {EventType} acknowledged and ignored")]
    private partial void LogUnhandledEvent(string eventType);
}
