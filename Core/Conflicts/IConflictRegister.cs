namespace AlumniNetwork.Core.Conflicts;

/// <summary>What writing a register entry came to.</summary>
public abstract record RegisterWrite
{
    private RegisterWrite() { }

    public sealed record Written(RegisterEntry Entry) : RegisterWrite;

    /// <summary>Another entry holds one of the names (compared by key); nothing was written.</summary>
    /// <param name="Name">The name as this entry gives it.</param>
    /// <param name="HolderId">The entry that holds it, when known (null when it was taken in a race).</param>
    public sealed record Duplicate(string Name, string? HolderId) : RegisterWrite;

    /// <summary>The entry changed or was removed since it was read; nothing was written.</summary>
    public sealed record Changed : RegisterWrite;
}

/// <summary>
/// The conflict-of-interest register: entries and an index of their names by <see cref="OrganisationName.Key"/>, so a
/// name belongs to one entry at most and an employer is matched with one read.
/// </summary>
public interface IConflictRegister
{
    Task<IReadOnlyList<RegisterEntry>> ListAsync(CancellationToken cancellationToken);

    Task<RegisterEntry?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The entry one of whose names has this key, or null.</summary>
    Task<RegisterEntry?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>Adds the entry and its names together, or nothing when another entry holds one of the names.</summary>
    Task<RegisterWrite> AddAsync(RegisterEntry entry, CancellationToken cancellationToken);

    /// <summary>Replaces the entry read with <see cref="RegisterEntry.ETag"/> and its names together, or nothing.</summary>
    Task<RegisterWrite> ReplaceAsync(RegisterEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes the entry read with <see cref="RegisterEntry.ETag"/> and its names; false when it changed since.</summary>
    Task<bool> RemoveAsync(RegisterEntry entry, CancellationToken cancellationToken);
}
