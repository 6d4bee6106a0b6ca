using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;

namespace AlumniNetwork.Core.Admin;

/// <summary>An administrator's bulk departure import (HR's backfill file): imported, then audited once with the counts only.</summary>
public sealed class AdminDepartureImport(ImportDepartures import, IAuditLog audit, TimeProvider time)
{
    public async Task<DepartureImportOutcome> HandleAsync(DepartureBatchFormat format, ReadOnlyMemory<byte> body, string actor, CancellationToken cancellationToken)
    {
        var outcome = await import.HandleAsync(format, body, cancellationToken);
        if (outcome is DepartureImportOutcome.Imported { Counts: var counts })
        {
            var detail = $"created={counts.Created}; known={counts.Known}; erased={counts.Erased}; purged={counts.Purged}";
            await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.DeparturesImported, "", detail), CancellationToken.None);
        }

        return outcome;
    }
}
