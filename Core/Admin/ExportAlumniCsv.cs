using System.Globalization;
using System.Text;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Admin;

/// <summary>
/// Admin: every alumnus as CSV, streamed row by row (100,000 alumni are never in memory at once). UTF-8 with a byte
/// order mark, because Excel reads a CSV without one in the system code page and garbles Japanese names. The
/// <c>consents</c> column costs one ledger query per alumnus, run in batches (<see cref="ConsentLookup"/>).
/// </summary>
public sealed partial class ExportAlumniCsv(IAlumniStore alumni, IConsentLedger consents, IAuditLog audit, TimeProvider time, ILogger<ExportAlumniCsv> logger)
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Rows are recorded as the export's subjects, then written, a batch at a time (one table page).</summary>
    public const int SubjectBatchSize = 1000;

    public static IReadOnlyList<string> Columns { get; } =
    [
        "id", "employeeId", "familyName", "givenName", "personalEmail", "department", "jobTitle", "hireDate", "lastWorkingDay",
        "reason", "rehireEligible", "doNotContact", "locale", "status", "recordedAt", "invitedAt", "joinedAt", "consents",
    ];

    public string FileName() => $"alumni-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.csv";

    /// <summary>
    /// Writes the export to <paramref name="output"/>. The audit entry is written before the first byte, so a failed
    /// audit write fails the request while it can still answer 500; the alumni of each batch of rows are recorded as its
    /// subjects before those rows are written, so every person can learn that the export included them; a second entry
    /// records the row count at the end.
    /// </summary>
    /// <returns>The number of alumni rows written.</returns>
    public async Task<int> WriteAsync(Stream output, string actor, CancellationToken cancellationToken)
    {
        var entry = new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.AlumniExport, "", "format=csv");
        await audit.WriteAsync(entry, cancellationToken);
        await output.WriteAsync(Encoding.UTF8.Preamble.ToArray(), cancellationToken);
        var rows = 0;
        await using (var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true))
        {
            await writer.WriteAsync(Csv.Row(Columns).AsMemory(), cancellationToken);
            var batch = new List<(Alumnus Alumnus, ConsentState Consent)>(SubjectBatchSize);
            await foreach (var row in consents.WithConsentAsync(alumni.ListAsync(cancellationToken), cancellationToken))
            {
                // A person whose erasure is under way asked to be gone (the retention purge finishes what a failure left).
                if (row.Alumnus.ErasureStartedAt is not null)
                {
                    continue;
                }

                batch.Add(row);
                if (batch.Count == SubjectBatchSize)
                {
                    rows += await WriteBatchAsync(writer, entry, batch, cancellationToken);
                }
            }

            rows += await WriteBatchAsync(writer, entry, batch, cancellationToken);
        }

        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.AlumniExportCompleted, "", $"format=csv; rows={rows}"), cancellationToken);
        LogExported(rows);
        return rows;
    }

    private async Task<int> WriteBatchAsync(
        StreamWriter writer, AuditEntry entry, List<(Alumnus Alumnus, ConsentState Consent)> batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        await audit.RecordSubjectsAsync(entry, [.. batch.Select(row => row.Alumnus.Id)], cancellationToken);
        foreach (var (alumnus, consent) in batch)
        {
            await writer.WriteAsync(Csv.Row(Cells(alumnus, consent)).AsMemory(), cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
        batch.Clear();
        return count;
    }

    /// <summary>The cells of one alumnus, in <see cref="Columns"/> order, before CSV escaping.</summary>
    public static IEnumerable<string?> Cells(Alumnus a, ConsentState consent) =>
    [
        a.Id.Value, a.EmployeeId, a.FamilyName, a.GivenName, a.PersonalEmail.Value, a.Department, a.JobTitle, Date(a.HireDate),
        Date(a.LastWorkingDay), a.Reason.ToString(), Flag(a.RehireEligible), Flag(a.DoNotContact), a.Locale.ToTag(), a.Status.ToString(),
        Instant(a.RecordedAt), Instant(a.InvitedAt), Instant(a.JoinedAt),
        string.Join(';', ConsentPurposes.All.Where(consent.Has)),
    ];

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Flag(bool? flag) => flag switch { true => "true", false => "false", null => null };

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin exported {Rows} alumni as CSV")]
    private partial void LogExported(int rows);
}
