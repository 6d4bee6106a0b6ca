using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real store, except that before the next decision's write it runs <see cref="BeforeNextUpdate"/> once: another
/// officer's decision saved between this one's read and its write; and before the next question's write it runs
/// <see cref="BeforeNextAdd"/> once: an erasure begun between the asker's read of the person and its write.
/// </summary>
internal sealed class RacingApprovalStore(IApprovalStore inner) : IApprovalStore
{
    public Func<Task>? BeforeNextUpdate { get; set; }

    public async Task<bool> TryUpdateAsync(Approval approval, CancellationToken cancellationToken)
    {
        if (BeforeNextUpdate is { } racing)
        {
            BeforeNextUpdate = null;
            await racing();
        }

        return await inner.TryUpdateAsync(approval, cancellationToken);
    }

    public Task<Approval?> GetAsync(AlumnusId alumnusId, string subject, CancellationToken cancellationToken) => inner.GetAsync(alumnusId, subject, cancellationToken);

    public Task<IReadOnlyList<Approval>> ListAsync(ApprovalStatus status, CancellationToken cancellationToken) => inner.ListAsync(status, cancellationToken);

    public Task<IReadOnlyList<Approval>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken) => inner.ForAlumnusAsync(alumnusId, cancellationToken);

    public Func<Task>? BeforeNextAdd { get; set; }

    public async Task AddAsync(Approval approval, CancellationToken cancellationToken)
    {
        if (BeforeNextAdd is { } racing)
        {
            BeforeNextAdd = null;
            await racing();
        }

        await inner.AddAsync(approval, cancellationToken);
    }

    public Task RemoveAllAsync(AlumnusId alumnusId, CancellationToken cancellationToken) => inner.RemoveAllAsync(alumnusId, cancellationToken);
}
