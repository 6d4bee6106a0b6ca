namespace AlumniNetwork.Core.Alumni;

/// <summary>What intake finds when it claims an employee for a departure (<see cref="IAlumniStore.ClaimEmployeeAsync"/>).</summary>
public abstract record EmployeeClaim
{
    private EmployeeClaim() { }

    /// <param name="Id">The alumnus the employee belongs to.</param>
    /// <param name="Fresh">True when this call made the claim for the candidate id: no record exists under it yet.</param>
    public sealed record Held(AlumnusId Id, bool Fresh) : EmployeeClaim;

    /// <summary>The person asked to be erased: they are not recorded again without new consent.</summary>
    public sealed record Erased : EmployeeClaim;

    /// <summary>The person was purged for never joining, and this departure had been recorded before: a replay, not news.</summary>
    public sealed record PurgedReplay : EmployeeClaim;
}
