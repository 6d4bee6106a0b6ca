using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;

namespace AlumniNetwork.Core.Admin;

/// <summary>
/// An administrator's bulk departure import (HR's backfill file). Audit first, fail closed (ADR 0005): once the batch
/// has passed its checks, <c>departures.import</c> (format and row count) is written before any row is recorded, so a
/// failed audit write records nothing and an import that breaks off part-way (a failing row, a client that went away)
/// is still on the log; <c>departures.import.completed</c> follows with the counts. A refused batch recorded nothing and
/// is not audited. Neither entry names anyone.
/// </summary>
public sealed class AdminDepartureImport(ImportDepartures import, IAuditLog audit, TimeProvider time)
{
    public async Task<DepartureImportOutcome> HandleAsync(DepartureBatchFormat format, ReadOnlyMemory<byte> body, string actor, CancellationToken cancellationToken)
    {
        var checkedBatch = import.Check(format, body);
        if (checkedBatch is not DepartureBatch.Valid batch)
        {
            return ImportDepartures.Refused(checkedBatch);
        }

        var started = $"format={format.ToString().ToLowerInvariant()}; rows={batch.Notices.Count}";
        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.DeparturesImport, "", started), cancellationToken);
        var outcome = await import.RecordAsync(batch, cancellationToken);
        var counts = outcome.Counts;
        var detail = $"created={counts.Created}; known={counts.Known}; erased={counts.Erased}; purged={counts.Purged}";
        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.DeparturesImportCompleted, "", detail), CancellationToken.None);
        return outcome;
    }
}
