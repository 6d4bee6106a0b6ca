namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// The storage round trips the campaign batches of one instance have in flight together. A range read holds its page
/// of rows (up to 1,000) while it is read, and a claim its serialized transaction, so this number, more than how many
/// batches run at once, sets the instance's peak memory (docs/performance.md, ADR 0033): a lone batch may use all
/// four, eight batches share them.
/// </summary>
public sealed class BatchStorageBudget : IDisposable
{
    public const int Slots = 4;

    private readonly SemaphoreSlim free;

    public BatchStorageBudget()
        : this(Slots)
    {
    }

    public BatchStorageBudget(int slots) => free = new SemaphoreSlim(slots, slots);

    /// <summary>Runs one round trip once a slot is free, and frees the slot when it ends, however it ends.</summary>
    public async Task RunAsync(Func<Task> roundTrip, CancellationToken cancellationToken)
    {
        await free.WaitAsync(cancellationToken);
        try
        {
            await roundTrip();
        }
        finally
        {
            free.Release();
        }
    }

    public void Dispose() => free.Dispose();
}
