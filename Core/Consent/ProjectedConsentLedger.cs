using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Consent;

/// <summary>
/// The consent ledger with its projection: every entry appended also updates <see cref="Alumnus.Consented"/> on the
/// alumnus's row, which campaign batches read instead of the ledger. The ledger stays the record; the projection is
/// derived from it. A withdrawal reaches the projection before the ledger and a grant after it, so a crash in between
/// can only leave the projection stricter than the ledger (no mail that was refused), never looser.
/// </summary>
public sealed class ProjectedConsentLedger(IConsentLedger ledger, IAlumniStore alumni) : IConsentLedger
{
    public async Task AppendAsync(ConsentRecord record, CancellationToken cancellationToken)
    {
        if (!record.Granted)
        {
            await ProjectAsync(record.AlumnusId, withdrawn: record.Purpose, cancellationToken);
        }

        await ledger.AppendAsync(record, cancellationToken);
        if (record.Granted)
        {
            await ProjectAsync(record.AlumnusId, withdrawn: null, cancellationToken);
        }
    }

    public Task<IReadOnlyList<ConsentRecord>> HistoryAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        ledger.HistoryAsync(alumnusId, cancellationToken);

    public Task<int> RemoveAsync(IEnumerable<ConsentRecord> records, CancellationToken cancellationToken) =>
        ledger.RemoveAsync(records, cancellationToken);

    public IAsyncEnumerable<AlumnusId> SubjectsAsync(CancellationToken cancellationToken) => ledger.SubjectsAsync(cancellationToken);

    public IAsyncEnumerable<ConsentRecord> AllAsync(CancellationToken cancellationToken) => ledger.AllAsync(cancellationToken);

    /// <summary>Recomputes the projection from the ledger (less a withdrawal not yet in it) and writes it if it changed.</summary>
    public async Task ProjectAsync(AlumnusId alumnusId, ConsentPurpose? withdrawn, CancellationToken cancellationToken)
    {
        var granted = ConsentState.From(await ledger.HistoryAsync(alumnusId, cancellationToken)).Granted.Where(p => p != withdrawn).ToHashSet();
        while (await alumni.GetAsync(alumnusId, cancellationToken) is { } alumnus)
        {
            if (alumnus.Consented is { } current && current.SetEquals(granted))
            {
                return;
            }

            alumnus.Consented = granted;
            if (await alumni.TryUpdateAsync(alumnus, cancellationToken))
            {
                return;
            }
        }
    }
}
