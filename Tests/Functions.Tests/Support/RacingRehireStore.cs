using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Rehires;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real store, except that after the first look-up of an alumnus's rehires (the erasure's blanking step) it runs
/// <see cref="AfterFirstLookup"/>: another function's work done in between that step and the rest of the erasure.
/// </summary>
internal sealed class RacingRehireStore(IRehireStore inner) : IRehireStore
{
    public Func<Task>? AfterFirstLookup { get; set; }

    public async Task<IReadOnlyList<Rehire>> OfAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var found = await inner.OfAlumnusAsync(alumnusId, cancellationToken);
        if (AfterFirstLookup is { } racing)
        {
            AfterFirstLookup = null;
            await racing();
        }

        return found;
    }

    public Task<bool> TryAddAsync(Rehire rehire, CancellationToken cancellationToken) => inner.TryAddAsync(rehire, cancellationToken);

    public Task<Rehire?> GetAsync(string partition, string key, CancellationToken cancellationToken) => inner.GetAsync(partition, key, cancellationToken);

    public Task<bool> TryUpdateAsync(Rehire rehire, CancellationToken cancellationToken) => inner.TryUpdateAsync(rehire, cancellationToken);

    public Task<string> ClaimReturnAsync(string returnKey, string hireKey, CancellationToken cancellationToken) => inner.ClaimReturnAsync(returnKey, hireKey, cancellationToken);

    public Task<IReadOnlyList<Rehire>> MatchedAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken) => inner.MatchedAsync(first, last, cancellationToken);
}
