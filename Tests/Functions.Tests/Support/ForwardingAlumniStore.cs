using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real store passed through member by member: a test's decorator overrides only the steps it puts something
/// between.
/// </summary>
internal abstract class ForwardingAlumniStore(IAlumniStore inner) : IAlumniStore
{
    protected IAlumniStore Inner { get; } = inner;

    public virtual Task<Alumnus?> GetAsync(AlumnusId id, CancellationToken cancellationToken) => Inner.GetAsync(id, cancellationToken);

    public virtual Task<EmployeeClaim> ClaimEmployeeAsync(string employeeId, DateOnly lastWorkingDay, string? webhookId, DateTimeOffset? eventAt, AlumnusId candidate, CancellationToken cancellationToken) =>
        Inner.ClaimEmployeeAsync(employeeId, lastWorkingDay, webhookId, eventAt, candidate, cancellationToken);

    public virtual Task RememberAppliedAsync(string employeeId, string? webhookId, DateTimeOffset eventAt, EmployeeClaim.Held claim, CancellationToken cancellationToken) =>
        Inner.RememberAppliedAsync(employeeId, webhookId, eventAt, claim, cancellationToken);

    public virtual Task<WithdrawalClaim> MarkWithdrawnAsync(string employeeId, string? webhookId, DateTimeOffset withdrawnAt, CancellationToken cancellationToken) =>
        Inner.MarkWithdrawnAsync(employeeId, webhookId, withdrawnAt, cancellationToken);

    public virtual Task FinishWithdrawalAsync(string employeeId, string? webhookId, AlumnusId holder, WithdrawalEnd outcome, CancellationToken cancellationToken) =>
        Inner.FinishWithdrawalAsync(employeeId, webhookId, holder, outcome, cancellationToken);

    public virtual Task<bool> WithdrawnSinceClaimAsync(string employeeId, AlumnusId holder, DateTimeOffset eventAt, CancellationToken cancellationToken) =>
        Inner.WithdrawnSinceClaimAsync(employeeId, holder, eventAt, cancellationToken);

    public virtual Task<bool> DeleteWithdrawnAsync(Alumnus alumnus, CancellationToken cancellationToken) => Inner.DeleteWithdrawnAsync(alumnus, cancellationToken);

    public virtual Task<(AlumnusId? Holder, bool Erased)> FindEmployeeAsync(string employeeKey, CancellationToken cancellationToken) => Inner.FindEmployeeAsync(employeeKey, cancellationToken);

    public virtual Task ClaimReturnAsync(string employeeKey, Alumnus holder, CancellationToken cancellationToken) => Inner.ClaimReturnAsync(employeeKey, holder, cancellationToken);

    public virtual IAsyncEnumerable<Alumnus> FindByEmailKeyAsync(string emailKey, CancellationToken cancellationToken) => Inner.FindByEmailKeyAsync(emailKey, cancellationToken);

    public virtual Task<bool> AddAsync(Alumnus alumnus, CancellationToken cancellationToken) => Inner.AddAsync(alumnus, cancellationToken);

    public virtual Task<bool> TryUpdateAsync(Alumnus alumnus, CancellationToken cancellationToken) => Inner.TryUpdateAsync(alumnus, cancellationToken);

    public virtual IAsyncEnumerable<Alumnus> ListAsync(CancellationToken cancellationToken) => Inner.ListAsync(cancellationToken);

    public virtual IAsyncEnumerable<AlumnusId> HeldIdsAsync(CancellationToken cancellationToken) => Inner.HeldIdsAsync(cancellationToken);

    public virtual Task<(IReadOnlyList<Alumnus> Page, string? Continuation)> ListMembersPageAsync(string? continuation, int pageSize, CancellationToken cancellationToken) =>
        Inner.ListMembersPageAsync(continuation, pageSize, cancellationToken);

    public virtual IAsyncEnumerable<CampaignRecipient> ListRecipientsAsync(AlumnusId first, AlumnusId last, CancellationToken cancellationToken) => Inner.ListRecipientsAsync(first, last, cancellationToken);

    public virtual Task<bool> TryWriteContactsAsync(IReadOnlyList<IRecipient> sameBucket, CancellationToken cancellationToken) => Inner.TryWriteContactsAsync(sameBucket, cancellationToken);

    public virtual Task EraseAsync(Alumnus alumnus, CancellationToken cancellationToken) => Inner.EraseAsync(alumnus, cancellationToken);

    public virtual Task<bool> DeleteAsync(Alumnus alumnus, CancellationToken cancellationToken) => Inner.DeleteAsync(alumnus, cancellationToken);

    public virtual Task<long> CountErasedAsync(CancellationToken cancellationToken) => Inner.CountErasedAsync(cancellationToken);
}
