namespace AlumniNetwork.Core.Alumni;

/// <summary>What intake finds when it claims an employee for a departure (<see cref="IAlumniStore.ClaimEmployeeAsync"/>).</summary>
public abstract record EmployeeClaim
{
    private EmployeeClaim() { }

    /// <param name="Id">The alumnus the employee belongs to.</param>
    /// <param name="Fresh">True when this call made the claim for the candidate id: no record exists under it yet.</param>
    /// <param name="Handled">True when the message's webhook id was on the claim already: it was applied before.</param>
    public sealed record Held(AlumnusId Id, bool Fresh, bool Handled = false) : EmployeeClaim
    {
        /// <summary>The claim's ETag as read (null when fresh), so a handled webhook id is added without reading it again.</summary>
        public string? Version { get; init; }

        /// <summary>The claim's handled webhook ids as read (<see cref="HandledWebhooks"/>).</summary>
        public string? Webhooks { get; init; }

        /// <summary>
        /// The event time of the newest departure applied under the claim (<see cref="DepartureNotice.EventAt"/>, or when
        /// an import was recorded); null when none was kept. An older event does not change HR's fields (ADR 0040).
        /// </summary>
        public DateTimeOffset? AppliedEventAt { get; init; }
    }

    /// <summary>The person asked to be erased: they are not recorded again without new consent.</summary>
    public sealed record Erased : EmployeeClaim;

    /// <summary>The person was purged for never joining, and this departure had been recorded before: a replay, not news.</summary>
    public sealed record PurgedReplay : EmployeeClaim;
}
