namespace AlumniNetwork.Core.Storage;

/// <summary>
/// In-process turns for writes that meet on one row under optimistic concurrency (an event's seats): callers with the
/// same key go one at a time, so a burst does not spend its attempts losing the row's ETag to itself. Other instances
/// still meet on the ETag. Keys share a fixed set of stripes, so nothing grows with the number of keys.
/// </summary>
public sealed class RowTurns
{
    private readonly SemaphoreSlim[] stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> TakeAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = stripes[(uint)StringComparer.Ordinal.GetHashCode(key) % (uint)stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Turn(stripe);
    }

    private sealed class Turn(SemaphoreSlim stripe) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
