namespace AlumniNetwork.Core.Alumni;

public interface IAlumniStore
{
    Task<Alumnus?> GetAsync(AlumnusId id, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the employee for <paramref name="candidate"/> unless an alumnus holds it already, in one insert when the
    /// employee is new. The claim is keyed by a keyed pseudonym of the employee id and remembers, as pseudonyms, every
    /// departure (employee id, last working day) it was claimed for: after a retention purge it stays behind, so a replay
    /// of a remembered departure is recognised while a departure not seen before (a rehire who left again) is claimed
    /// afresh; after an erasure it says only that the person was erased. A new claim holds <paramref name="webhookId"/>
    /// as handled and <paramref name="eventAt"/> as the newest applied event time (in the same insert); an existing one
    /// says whether it holds the id (<see cref="EmployeeClaim.Held.Handled"/>) and its newest applied event time
    /// (<see cref="EmployeeClaim.Held.AppliedEventAt"/>).
    /// </summary>
    /// <param name="webhookId">The message's webhook id; null when the departure did not come by webhook.</param>
    /// <param name="eventAt">The departure's event time (ADR 0040); null when none is to be kept.</param>
    Task<EmployeeClaim> ClaimEmployeeAsync(string employeeId, DateOnly lastWorkingDay, string? webhookId, DateTimeOffset? eventAt, AlumnusId candidate, CancellationToken cancellationToken);

    /// <summary>
    /// Once the departure was applied, adds <paramref name="webhookId"/> (when not null) to the handled ids of the claim
    /// <paramref name="claim"/> was read from and raises its newest applied event time to <paramref name="eventAt"/>: one
    /// write when the claim is unchanged since; nothing when it no longer names the same alumnus (erased or purged
    /// meanwhile) or holds the id and a time as new already.
    /// </summary>
    Task RememberAppliedAsync(string employeeId, string? webhookId, DateTimeOffset eventAt, EmployeeClaim.Held claim, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps HR's withdrawal of the employee's departure on their claim (ADR 0041): its event time, the newest kept, so a
    /// departure HR sent no later than it is not recorded (<see cref="EmployeeClaim.Withdrawn"/>). An employee with no
    /// claim gets one holding only that (one insert), so a departure arriving after its withdrawal is not recorded either.
    /// A claim no record holds takes <paramref name="webhookId"/> in the same write; a held one keeps its holder until
    /// <see cref="FinishWithdrawalAsync"/>. Nothing changes when the claim holds the webhook id already, is an erasure
    /// tombstone, or kept a departure newer than the withdrawal (then only the id is added).
    /// </summary>
    Task<WithdrawalClaim> MarkWithdrawnAsync(string employeeId, string? webhookId, DateTimeOffset withdrawnAt, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a withdrawal the claim was marked for while <paramref name="holder"/> held it: adds <paramref name="webhookId"/>
    /// and, unless the record was kept (<paramref name="outcome"/>), drops the holder and the departures' pseudonyms it took
    /// back, leaving the withdrawal (so a departure HR sends after it is recorded, even on a day seen before). A claim a
    /// purge marked whose record the withdrawal found gone keeps them instead: it becomes the purge's tombstone, as intake
    /// would finish it, so a purged person is never recorded again (ADR 0012); a purge's mark left on a record the
    /// withdrawal removed itself is only dropped. Nothing when the claim no longer names <paramref name="holder"/>.
    /// </summary>
    Task FinishWithdrawalAsync(string employeeId, string? webhookId, AlumnusId holder, WithdrawalEnd outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Read after a new record was written under a fresh claim, before its welcome is scheduled (ADR 0041): true when
    /// the claim no longer names <paramref name="holder"/> or keeps a withdrawal at or after <paramref name="eventAt"/>,
    /// so a withdrawal that came while the record was being written took the departure back (and may have released
    /// the claim, finding no record to remove).
    /// </summary>
    Task<bool> WithdrawnSinceClaimAsync(string employeeId, AlumnusId holder, DateTimeOffset eventAt, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the record of someone whose departure HR withdrew before they were invited, if unchanged since read (ETag);
    /// the claim is left as it is (see <see cref="FinishWithdrawalAsync"/>).
    /// </summary>
    /// <returns>False when someone changed the row since it was read (nothing removed); true when it is gone.</returns>
    Task<bool> DeleteWithdrawnAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>
    /// Who holds the employee's claim, read-only: <paramref name="employeeKey"/> is the keyed pseudonym of the employee id
    /// (<see cref="Privacy.Pseudonyms.Of"/> with kind <c>employee</c>), so a caller never needs the id itself.
    /// </summary>
    /// <returns>The alumnus holding the claim (null when none does: no claim, or a purge tombstone), and whether the
    /// claim is an erasure tombstone.</returns>
    Task<(AlumnusId? Holder, bool Erased)> FindEmployeeAsync(string employeeKey, CancellationToken cancellationToken);

    /// <summary>
    /// Ties an employee id the alumnus was rehired under (<paramref name="employeeKey"/>, its keyed pseudonym) to them: a
    /// claim naming <paramref name="holder"/>, with no departure yet, unless the employee has a claim already (which,
    /// tombstones included, is left as it is). That employee's later departure is then a repeated departure of the same
    /// alumnus, not a new person (ADR 0029). One insert; repeating it changes nothing. The claim keeps where the holder's
    /// own claim is, so that once their record is gone a departure under it is decided by that claim: an erased person
    /// stays erased, a purged one is recorded afresh, whatever crash left the return claim behind.
    /// </summary>
    Task ClaimReturnAsync(string employeeKey, Alumnus holder, CancellationToken cancellationToken);

    /// <summary>
    /// The alumni whose personal address has the keyed pseudonym <paramref name="emailKey"/> (kind <c>email</c>, of the
    /// normalised address). A filtered scan of the table: for rare lookups such as a rehire, never for hot paths.
    /// </summary>
    IAsyncEnumerable<Alumnus> FindByEmailKeyAsync(string emailKey, CancellationToken cancellationToken);

    /// <summary>Adds the alumnus; if the row exists already (a retried or concurrent request), leaves it as it is.</summary>
    /// <returns>True when this call inserted the row; false when it existed already (the caller's copy was not stored).</returns>
    Task<bool> AddAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>Writes the alumnus if unchanged since read (ETag); false when someone else changed it first.</summary>
    Task<bool> TryUpdateAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>Every alumnus, page by page (admin search and export, retention). Order is by id.</summary>
    IAsyncEnumerable<Alumnus> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The id of every alumnus still held, leaving out those whose erasure is under way (<see cref="Alumnus.ErasureStartedAt"/>),
    /// who count as erased (ADR 0008). Reads keys and that one column only: far less to transfer than <see cref="ListAsync"/>.
    /// </summary>
    IAsyncEnumerable<AlumnusId> HeldIdsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One page of alumni who have joined, in table order (bucket, then id), from where <paramref name="continuation"/>
    /// left off: how a campaign's audience is read, resumable after a crash.
    /// </summary>
    /// <returns>The page (possibly empty) and where the next one starts, or null at the end.</returns>
    Task<(IReadOnlyList<Alumnus> Page, string? Continuation)> ListMembersPageAsync(string? continuation, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// The alumni of one bucket whose ids lie between <paramref name="first"/> and <paramref name="last"/> inclusive, as
    /// campaign batch recipients: only the columns <see cref="IRecipient"/> names are asked for, with the ETag.
    /// </summary>
    IAsyncEnumerable<CampaignRecipient> ListRecipientsAsync(AlumnusId first, AlumnusId last, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the <see cref="IRecipient.Contacts"/> of up to 100 alumni of one bucket in one transaction, each only if the
    /// row is unchanged since read (ETag): all or none. Only that column is written (a merge); the rest of each row stays
    /// as stored.
    /// </summary>
    /// <returns>True when all were written (their ETags are updated); false when any had changed, and nothing was written.</returns>
    Task<bool> TryWriteContactsAsync(IReadOnlyList<IRecipient> sameBucket, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the alumnus row and turns the employee's claim into an erasure tombstone that holds nothing but the
    /// pseudonym, so a later departure webhook does not bring the person back. Removing twice is harmless.
    /// </summary>
    Task EraseAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the alumnus row, if unchanged since read (ETag), for retention purges of people who never joined. The
    /// employee's claim stays as a purge tombstone holding only the pseudonyms of their departures, so a replayed
    /// departure does not re-create and re-invite them while a later departure (after a rehire) is recorded as new.
    /// </summary>
    /// <returns>False when someone changed the row since it was read (nothing removed); true when it is gone.</returns>
    Task<bool> DeleteAsync(Alumnus alumnus, CancellationToken cancellationToken);

    /// <summary>How many people were erased on their request (their tombstones; nothing else about them is left).</summary>
    Task<long> CountErasedAsync(CancellationToken cancellationToken);
}
