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
}
