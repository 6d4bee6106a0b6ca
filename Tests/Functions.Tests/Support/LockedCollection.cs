using System.Collections.ObjectModel;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>A collection exporters may add to from several threads while a test reads a snapshot.</summary>
public sealed class LockedCollection<T> : Collection<T>
{
    private readonly Lock gate = new();

    public IReadOnlyList<T> Snapshot()
    {
        lock (gate)
        {
            return [.. this];
        }
    }

    protected override void InsertItem(int index, T item)
    {
        lock (gate)
        {
            base.InsertItem(index, item);
        }
    }
}
