using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real store, with hooks that run at a chosen point of a caller's sequence: how a test puts another request's
/// writes (a concurrent delivery, a purge, a busy record) between two of a use case's steps, on real storage.
/// </summary>
internal sealed class InterleavedAlumniStore(IAlumniStore inner) : IAlumniStore
{
    /// <summary>Runs once, after a claim has been read and before it is returned.</summary>
    public Func<Task>? AfterClaim { get; set; }

    /// <summary>Runs once, before a row is added.</summary>
    public Func<Task>? BeforeAdd { get; set; }

    /// <summary>
    /// While set, another writer rewrites the row, unchanged, just before each update: every ETag write loses, as when the
    /// consent projection or intake keep touching a record.
    /// </summary>
    public bool OthersKeepWriting { get; set; }

    public async Task<EmployeeClaim> ClaimEmployeeAsync(string employeeId, DateOnly lastWorkingDay, AlumnusId candidate, CancellationToken cancellationToken)
    {
        var claim = await inner.ClaimEmployeeAsync(employeeId, lastWorkingDay, candidate, cancellationToken);
        await RunOnceAsync(() => AfterClaim, () => AfterClaim = null);
        return claim;
    }

    public async Task<bool> AddAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        await RunOnceAsync(() => BeforeAdd, () => BeforeAdd = null);
        return await inner.AddAsync(alumnus, cancellationToken);
    }

    private static async Task RunOnceAsync(Func<Func<Task>?> hook, Action clear)
    {
        if (hook() is { } run)
        {
            clear();
            await run();
        }
    }

    public Task<Alumnus?> GetAsync(AlumnusId id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<(AlumnusId? Holder, bool Erased)> FindEmployeeAsync(string employeeKey, CancellationToken cancellationToken) => inner.FindEmployeeAsync(employeeKey, cancellationToken);

    public IAsyncEnumerable<Alumnus> FindByEmailKeyAsync(string emailKey, CancellationToken cancellationToken) => inner.FindByEmailKeyAsync(emailKey, cancellationToken);

    public async Task<bool> TryUpdateAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        if (OthersKeepWriting && await inner.GetAsync(alumnus.Id, cancellationToken) is { } current)
        {
            Assert.True(await inner.TryUpdateAsync(current, cancellationToken));
        }

        return await inner.TryUpdateAsync(alumnus, cancellationToken);
    }

    public IAsyncEnumerable<Alumnus> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public IAsyncEnumerable<AlumnusId> IdsAsync(CancellationToken cancellationToken) => inner.IdsAsync(cancellationToken);

    public Task<(IReadOnlyList<Alumnus> Page, string? Continuation)> ListMembersPageAsync(string? continuation, int pageSize, CancellationToken cancellationToken) =>
        inner.ListMembersPageAsync(continuation, pageSize, cancellationToken);

    public IAsyncEnumerable<Alumnus> ListRangeAsync(AlumnusId first, AlumnusId last, CancellationToken cancellationToken) => inner.ListRangeAsync(first, last, cancellationToken);

    public Task<bool> TryWriteContactsAsync(IReadOnlyList<Alumnus> sameBucket, CancellationToken cancellationToken) => inner.TryWriteContactsAsync(sameBucket, cancellationToken);

    public Task EraseAsync(Alumnus alumnus, CancellationToken cancellationToken) => inner.EraseAsync(alumnus, cancellationToken);

    public Task<bool> DeleteAsync(Alumnus alumnus, CancellationToken cancellationToken) => inner.DeleteAsync(alumnus, cancellationToken);

    public Task<long> CountErasedAsync(CancellationToken cancellationToken) => inner.CountErasedAsync(cancellationToken);
}
