using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Consent;

/// <summary>
/// The consent ledger with its projection: every entry appended also updates <see cref="Alumnus.Consented"/> on the
/// alumnus's row, which campaign batches read instead of the ledger. The ledger stays the record; the projection is
/// derived from it, and is never looser than it:
/// <list type="bullet">
/// <item>A withdrawal reaches the row before the ledger, so a crash in between leaves the row stricter (no mail that
/// was refused). After the ledger the row takes the ledger's answer for the purpose, always bumping the row's ETag, so
/// a grant of the same purpose that read the ledger before the withdrawal landed cannot write its stale answer over it
/// (its ETag write fails, and its next round reads the ledger after the withdrawal). The ledger's answer keeps a grant
/// dated after a late withdrawal (a complaint delivered after the purpose was given again) on the row too.</item>
/// <item>A grant reaches the row after the ledger, and only while the ledger still shows the purpose granted.</item>
/// <item>Each round of the ETag loop changes the row as it was just read (current − withdrawn, current ∪ granted), so
/// two changes at once never write one's stale set over the other's.</item>
/// </list>
/// </summary>
public sealed class ProjectedConsentLedger(IConsentLedger ledger, IAlumniStore alumni) : IConsentLedger
{
    public async Task AppendAsync(ConsentRecord record, CancellationToken cancellationToken)
    {
        if (record.Granted)
        {
            await ledger.AppendAsync(record, cancellationToken);
            await GrantAsync(record.AlumnusId, record.Purpose, cancellationToken);
            return;
        }

        await WithdrawAsync(record.AlumnusId, record.Purpose, cancellationToken);
        await ledger.AppendAsync(record, cancellationToken);
        await SettleAsync(record.AlumnusId, record.Purpose, cancellationToken);
    }

    public Task<IReadOnlyList<ConsentRecord>> HistoryAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        ledger.HistoryAsync(alumnusId, cancellationToken);

    public Task<int> RemoveAsync(IEnumerable<ConsentRecord> records, CancellationToken cancellationToken) =>
        ledger.RemoveAsync(records, cancellationToken);

    public IAsyncEnumerable<AlumnusId> SubjectsAsync(CancellationToken cancellationToken) => ledger.SubjectsAsync(cancellationToken);

    public IAsyncEnumerable<ConsentRecord> AllAsync(CancellationToken cancellationToken) => ledger.AllAsync(cancellationToken);

    /// <summary>Takes the purpose off the row as it is now, writing the row only when that changes it.</summary>
    private Task WithdrawAsync(AlumnusId alumnusId, ConsentPurpose withdrawn, CancellationToken cancellationToken) =>
        UpdateAsync(alumnusId, async (current, ct) =>
        {
            var granted = (current ?? await GrantedInLedgerAsync(alumnusId, ct)).Where(p => p != withdrawn).ToHashSet();
            return current is null || !current.SetEquals(granted) ? granted : null;
        }, cancellationToken);

    /// <summary>
    /// Sets the purpose on the row as it is now to what the ledger, read in the same round, says of it: off, or on when a
    /// grant dated later than the withdrawal stands. Always writes the row, so it bumps the ETag.
    /// </summary>
    private Task SettleAsync(AlumnusId alumnusId, ConsentPurpose purpose, CancellationToken cancellationToken) =>
        UpdateAsync(alumnusId, async (current, ct) =>
        {
            var inLedger = await GrantedInLedgerAsync(alumnusId, ct);
            var others = (current ?? inLedger).Where(p => p != purpose);
            return (inLedger.Contains(purpose) ? others.Append(purpose) : others).ToHashSet();
        }, cancellationToken);

    /// <summary>Adds the purpose to the row as it is now, if the ledger, read in the same round, still shows it granted.</summary>
    private Task GrantAsync(AlumnusId alumnusId, ConsentPurpose purpose, CancellationToken cancellationToken) =>
        UpdateAsync(alumnusId, async (current, ct) =>
        {
            var inLedger = await GrantedInLedgerAsync(alumnusId, ct);
            if (current is null)
            {
                return inLedger.ToHashSet();
            }

            return inLedger.Contains(purpose) && !current.Contains(purpose) ? current.Append(purpose).ToHashSet() : null;
        }, cancellationToken);

    private async Task<IReadOnlySet<ConsentPurpose>> GrantedInLedgerAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        ConsentState.From(await ledger.HistoryAsync(alumnusId, cancellationToken)).Granted;

    /// <summary>
    /// Reads the row, asks <paramref name="change"/> for its new projection (null: nothing to write) and writes it with
    /// the row's ETag; on a conflict, round again on the row read afresh. Nothing when the row is gone.
    /// </summary>
    private async Task UpdateAsync(
        AlumnusId alumnusId, Func<IReadOnlySet<ConsentPurpose>?, CancellationToken, Task<IReadOnlySet<ConsentPurpose>?>> change, CancellationToken cancellationToken)
    {
        while (await alumni.GetAsync(alumnusId, cancellationToken) is { } alumnus)
        {
            if (await change(alumnus.Consented, cancellationToken) is not { } projected)
            {
                return;
            }

            alumnus.Consented = projected;
            if (await alumni.TryUpdateAsync(alumnus, cancellationToken))
            {
                return;
            }
        }
    }
}
