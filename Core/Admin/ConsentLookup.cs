using System.Runtime.CompilerServices;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;

namespace AlumniNetwork.Core.Admin;

/// <summary>
/// Current consent for a stream of alumni. The ledger has one partition per alumnus, so this costs one query per
/// alumnus; the queries run in concurrent batches so 100,000 alumni take about 2,000 round trips, not 100,000.
/// </summary>
internal static class ConsentLookup
{
    public const int BatchSize = 50;

    public static async IAsyncEnumerable<(Alumnus Alumnus, ConsentState Consent)> WithConsentAsync(
        this IConsentLedger ledger, IAsyncEnumerable<Alumnus> alumni, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = new List<Alumnus>(BatchSize);
        await foreach (var alumnus in alumni.WithCancellation(cancellationToken))
        {
            batch.Add(alumnus);
            if (batch.Count < BatchSize)
            {
                continue;
            }

            foreach (var resolved in await ResolveAsync(ledger, batch, cancellationToken))
            {
                yield return resolved;
            }

            batch.Clear();
        }

        foreach (var resolved in await ResolveAsync(ledger, batch, cancellationToken))
        {
            yield return resolved;
        }
    }

    private static Task<(Alumnus, ConsentState)[]> ResolveAsync(IConsentLedger ledger, List<Alumnus> batch, CancellationToken cancellationToken) =>
        Task.WhenAll(batch.Select(async alumnus => (alumnus, ConsentState.From(await ledger.HistoryAsync(alumnus.Id, cancellationToken)))));
}
