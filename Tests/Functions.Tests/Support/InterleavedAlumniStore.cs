using System.Runtime.CompilerServices;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real store, with hooks that run at a chosen point of a caller's sequence: how a test puts another request's
/// writes (a concurrent delivery, a purge, a busy record) between two of a use case's steps, on real storage.
/// </summary>
internal sealed class InterleavedAlumniStore(IAlumniStore inner) : ForwardingAlumniStore(inner)
{
    /// <summary>Runs once, after a claim has been read and before it is returned.</summary>
    public Func<Task>? AfterClaim { get; set; }

    /// <summary>Runs once, before a row is added.</summary>
    public Func<Task>? BeforeAdd { get; set; }

    /// <summary>Runs once, before a return claim is written (ADR 0029).</summary>
    public Func<Task>? BeforeReturnClaim { get; set; }

    /// <summary>Runs once, right after a return claim is written: where a test makes the matcher die.</summary>
    public Func<Task>? AfterReturnClaim { get; set; }

    /// <summary>
    /// Runs after each range read (a campaign batch reads its recipients' rows a bucket at a time, several at once) with the
    /// ids it returned, before the reader sees the end of it: the hook decides for itself when to act, and only once.
    /// </summary>
    public Func<IReadOnlyList<AlumnusId>, Task>? AfterRangeRead { get; set; }

    /// <summary>
    /// While set, another writer rewrites the row, unchanged, just before each update: every ETag write loses, as when the
    /// consent projection or intake keep touching a record.
    /// </summary>
    public bool OthersKeepWriting { get; set; }

    public override async Task<EmployeeClaim> ClaimEmployeeAsync(string employeeId, DateOnly lastWorkingDay, string? webhookId, DateTimeOffset? eventAt, AlumnusId candidate, CancellationToken cancellationToken)
    {
        var claim = await Inner.ClaimEmployeeAsync(employeeId, lastWorkingDay, webhookId, eventAt, candidate, cancellationToken);
        await RunOnceAsync(() => AfterClaim, () => AfterClaim = null);
        return claim;
    }

    public override async Task<bool> AddAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        await RunOnceAsync(() => BeforeAdd, () => BeforeAdd = null);
        return await Inner.AddAsync(alumnus, cancellationToken);
    }

    public override async Task ClaimReturnAsync(string employeeKey, Alumnus holder, CancellationToken cancellationToken)
    {
        await RunOnceAsync(() => BeforeReturnClaim, () => BeforeReturnClaim = null);
        await Inner.ClaimReturnAsync(employeeKey, holder, cancellationToken);
        await RunOnceAsync(() => AfterReturnClaim, () => AfterReturnClaim = null);
    }

    public override async IAsyncEnumerable<CampaignRecipient> ListRecipientsAsync(AlumnusId first, AlumnusId last, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var read = new List<AlumnusId>();
        await foreach (var alumnus in Inner.ListRecipientsAsync(first, last, cancellationToken))
        {
            read.Add(alumnus.Id);
            yield return alumnus;
        }

        if (AfterRangeRead is { } hook)
        {
            await hook(read);
        }
    }

    private static async Task RunOnceAsync(Func<Func<Task>?> hook, Action clear)
    {
        if (hook() is { } run)
        {
            clear();
            await run();
        }
    }

    public override async Task<bool> TryUpdateAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        if (OthersKeepWriting && await Inner.GetAsync(alumnus.Id, cancellationToken) is { } current)
        {
            Assert.True(await Inner.TryUpdateAsync(current, cancellationToken));
        }

        return await Inner.TryUpdateAsync(alumnus, cancellationToken);
    }
}
