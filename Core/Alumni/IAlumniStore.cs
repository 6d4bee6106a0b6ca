namespace AlumniNetwork.Core.Alumni;

public interface IAlumniStore
{
    Task<Alumnus?> GetAsync(AlumnusId id, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the employee id for <paramref name="candidate"/> unless another alumnus holds it already.
    /// Returns the id that holds it: the candidate, or the earlier one.
    /// </summary>
    Task<AlumnusId> ClaimEmployeeIdAsync(string employeeId, AlumnusId candidate, CancellationToken cancellationToken);

    /// <summary>Adds the alumnus; if the row exists already (a retried request), leaves it as it is.</summary>
    Task AddAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>Writes the alumnus if unchanged since read (ETag); false when someone else changed it first.</summary>
    Task<bool> TryUpdateAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>Every alumnus, page by page (admin search and export, retention). Order is by id.</summary>
    IAsyncEnumerable<Alumnus> ListAsync(CancellationToken cancellationToken);

    /// <summary>Every alumnus id, reading keys only: far less to transfer than <see cref="ListAsync"/> when ids are all that is needed.</summary>
    IAsyncEnumerable<AlumnusId> IdsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes the alumnus row and its employee index row, and leaves a tombstone keyed by a hash of the employee id,
    /// so a later departure webhook does not bring the person back. Removing twice is harmless.
    /// </summary>
    Task EraseAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the alumnus row, if unchanged since read (ETag), and then its employee index row, leaving no tombstone:
    /// for retention purges of people who never joined, who may be recorded again if they are rehired and leave again.
    /// </summary>
    /// <returns>False when someone changed the row since it was read (nothing removed); true when it is gone.</returns>
    Task<bool> DeleteAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>Whether an alumnus with this employee id was erased.</summary>
    Task<bool> IsErasedAsync(string employeeId, CancellationToken cancellationToken);

    /// <summary>How many people were erased on their request (their tombstones; nothing else about them is left).</summary>
    Task<long> CountErasedAsync(CancellationToken cancellationToken);
}
