namespace AlumniNetwork.Core.Scheduling;

public interface IWorkItemStore
{
    /// <summary>Adds the item unless the same item (kind, subject, due time) exists already.</summary>
    Task ScheduleAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Pending items due and not held at <paramref name="now"/>, oldest first (the store filters; callers may check again).
    /// Now and then it first gives a lease to items an earlier version retried without one, so they are found (ADR 0003).
    /// </summary>
    IAsyncEnumerable<WorkItem> QueryPendingAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Items marked failed, oldest due first. Scans the table, which holds only open work.</summary>
    IAsyncEnumerable<WorkItem> QueryFailedAsync(CancellationToken cancellationToken);

    /// <summary>The item, or null once it was completed.</summary>
    Task<WorkItem?> FindAsync(string partitionKey, string rowKey, CancellationToken cancellationToken);

    /// <summary>Writes the item if nobody changed it since it was read (ETag); false if someone did.</summary>
    Task<bool> TryUpdateAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>Removes a completed item; completing twice is harmless.</summary>
    Task CompleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken);

    /// <summary>
    /// Open work (pending or failed) about one alumnus (<see cref="WorkSubjects.IsAbout"/>), for the personal data export:
    /// reads the whole table, which holds open work only.
    /// </summary>
    Task<IReadOnlyList<WorkItem>> AboutAsync(Alumni.AlumnusId alumnusId, CancellationToken cancellationToken);
}
