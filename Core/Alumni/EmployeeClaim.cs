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

    /// <summary>
    /// HR withdrew the employee's departure at or after this departure's event time: a late retry of what was taken back,
    /// not news (ADR 0041).
    /// </summary>
    public sealed record Withdrawn : EmployeeClaim;
}

/// <summary>What a withdrawal finds when it marks the employee's claim (<see cref="IAlumniStore.MarkWithdrawnAsync"/>).</summary>
public abstract record WithdrawalClaim
{
    private WithdrawalClaim() { }

    /// <summary>
    /// No record holds the claim (HR withdrew before the departure reached us, a purge tombstone, or a withdrawal
    /// finished before): the claim now keeps the withdrawal and its webhook id; nothing else is to be done.
    /// </summary>
    public sealed record Unheld : WithdrawalClaim;

    /// <summary>
    /// The message's webhook id was on the claim already: applied before. <paramref name="Holder"/> is who holds the
    /// claim now, if anyone (a flagged record, or one a later departure created); <paramref name="AppliedEventAt"/> the
    /// claim's newest applied departure's event time.
    /// </summary>
    public sealed record Handled(AlumnusId? Holder, DateTimeOffset? AppliedEventAt) : WithdrawalClaim;

    /// <summary>The person asked to be erased: there is nothing to withdraw.</summary>
    public sealed record Erased : WithdrawalClaim;

    /// <summary>A departure HR sent after the withdrawal was applied already: it stands. The webhook id was kept.</summary>
    public sealed record Superseded : WithdrawalClaim;

    /// <summary>
    /// The claim keeps the withdrawal and still names the alumnus: their record is to be removed (or flagged), then the
    /// claim finished (<see cref="IAlumniStore.FinishWithdrawalAsync"/>), which takes the webhook id.
    /// </summary>
    /// <param name="Return">The claim is one of an employee id the alumnus was rehired under (ADR 0029), not their own.</param>
    public sealed record Held(AlumnusId Id, bool Return) : WithdrawalClaim;
}

/// <summary>How a withdrawal ended for the record that held the claim (<see cref="IAlumniStore.FinishWithdrawalAsync"/>).</summary>
public enum WithdrawalEnd
{
    /// <summary>The record stays, flagged: the claim keeps its holder and departures.</summary>
    RecordKept,

    /// <summary>This withdrawal removed the record: the claim lets go of it.</summary>
    RecordRemoved,

    /// <summary>
    /// There was no record to remove: an earlier attempt removed it, it was never written, or the retention purge deleted
    /// it (its mark on the claim), in which case the claim becomes the purge's tombstone.
    /// </summary>
    RecordGone,
}
