using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Alumni;

public enum DepartureBatchFormat
{
    /// <summary>RFC 4180 CSV with a header row of the webhook's <c>data</c> field names.</summary>
    Csv,

    /// <summary>A JSON array of objects shaped like the webhook's <c>data</c>.</summary>
    Json,
}

/// <summary>What a batch did: counts only, never whom.</summary>
/// <param name="Known">Employees recorded before: updated when the departure moved, else left as they were.</param>
/// <param name="Erased">Employees who asked to be erased: skipped.</param>
/// <param name="Purged">Employees purged for never joining whose departure was recorded before: skipped.</param>
public sealed record DepartureImportCounts(int Created, int Known, int Erased, int Purged);

public abstract record DepartureImportOutcome
{
    private DepartureImportOutcome() { }

    public sealed record Imported(DepartureImportCounts Counts) : DepartureImportOutcome;

    /// <summary>The batch broke a rule: nothing was recorded.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : DepartureImportOutcome;
}

/// <summary>
/// Records a batch of departures (HR's backfill file, or its nightly list of recent leavers). The whole batch is checked
/// first and any problem records nothing; then each row is recorded like a webhook departure without a webhook id, so the
/// file is applied as HR's current truth. Recording is idempotent on the employee: the same batch again creates nothing,
/// and posting it again after a crash mid-batch completes it (ADR 0039).
/// </summary>
public sealed partial class ImportDepartures(
    RecordDeparture recordDeparture,
    IOptions<HrisImportOptions> options,
    IOptions<CompanyOptions> company,
    CompanyMailDomains mailDomains,
    IOptions<HrisClockOptions> clock,
    TimeProvider time,
    ILogger<ImportDepartures> logger)
{
    /// <summary>How many rows are recorded at once: enough to hide storage latency, few enough to stay polite.</summary>
    public const int Concurrency = 8;

    public async Task<DepartureImportOutcome> HandleAsync(DepartureBatchFormat format, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        Check(format, body) switch
        {
            DepartureBatch.Valid valid => await RecordAsync(valid, cancellationToken),
            var invalid => Refused(invalid),
        };

    /// <summary>Checks the whole batch against the rules, recording nothing.</summary>
    public DepartureBatch Check(DepartureBatchFormat format, ReadOnlyMemory<byte> body) =>
        format == DepartureBatchFormat.Csv
            ? DepartureBatchParser.ParseCsv(body.Span, options.Value.MaxRows, DefaultLocale, mailDomains)
            : DepartureBatchParser.ParseJson(body.Span, options.Value.MaxRows, DefaultLocale, mailDomains);

    /// <summary>The outcome of a batch <see cref="Check"/> refused.</summary>
    public static DepartureImportOutcome.Invalid Refused(DepartureBatch batch) =>
        new(((DepartureBatch.Invalid)batch).Errors);

    /// <summary>HR's nightly batch (<see cref="DepartureBatchParser.ParseEvent"/>), its signature already verified.</summary>
    /// <remarks>Its counts are logged: the nightly batch has no admin to audit, and operations should see each night's.</remarks>
    public async Task<DepartureImportOutcome> HandleBatchEventAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var batch = DepartureBatchParser.ParseEvent(body.Span, options.Value.MaxRows, DefaultLocale, mailDomains, EventTimeLimit.Now(time, clock.Value));
        if (batch is not DepartureBatch.Valid valid)
        {
            LogBatchRefused();
            return Refused(batch);
        }

        var imported = await RecordAsync(valid, cancellationToken);
        LogBatchRecorded(imported.Counts.Created, imported.Counts.Known, imported.Counts.Erased, imported.Counts.Purged);
        return imported;
    }

    private Locale DefaultLocale => Locales.TryParse(company.Value.DefaultLocale, out var configured) ? configured : Locale.Japanese;

    /// <summary>Records every departure of a batch <see cref="Check"/> accepted.</summary>
    public async Task<DepartureImportOutcome.Imported> RecordAsync(DepartureBatch.Valid batch, CancellationToken cancellationToken)
    {
        var notices = batch.Notices;
        int created = 0, known = 0, erased = 0, purged = 0;
        await Parallel.ForEachAsync(
            notices,
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (notice, ct) =>
            {
                var result = await recordDeparture.HandleAsync(notice, ct);
                _ = result.Disposition switch
                {
                    DepartureDisposition.Created => Interlocked.Increment(ref created),
                    // A row HR withdrew since (ADR 0041) changes nothing, as a row already recorded does.
                    DepartureDisposition.Known or DepartureDisposition.Withdrawn => Interlocked.Increment(ref known),
                    DepartureDisposition.Erased => Interlocked.Increment(ref erased),
                    DepartureDisposition.PurgedReplay => Interlocked.Increment(ref purged),
                    _ => throw new InvalidOperationException("Unknown departure disposition."),
                };
            });

        return new DepartureImportOutcome.Imported(new DepartureImportCounts(created, known, erased, purged));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly HRIS batch recorded: {Created} created, {Known} known, {Erased} erased, {Purged} purged")]
    private partial void LogBatchRecorded(int created, int known, int erased, int purged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nightly HRIS batch refused: it broke the batch rules and nothing was recorded")]
    private partial void LogBatchRefused();
}
