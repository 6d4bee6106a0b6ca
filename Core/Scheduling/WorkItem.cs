namespace AlumniNetwork.Core.Scheduling;

/// <summary>The kinds of scheduled work. Which queue carries each is the dispatcher function's output bindings.</summary>
public static class WorkKinds
{
    public const string WelcomeInvitation = "welcome-invitation";

    /// <summary>Send whatever notices of one event are pending (confirmations, promotions, changes, cancellation).</summary>
    public const string EventNotices = "event-notices";

    /// <summary>Remind an event's attendees before it starts.</summary>
    public const string EventReminder = "event-reminder";
}

public enum WorkItemStatus
{
    Pending,

    /// <summary>Dispatched too often without completion; kept for an operator, never dispatched again.</summary>
    Failed,
}

/// <summary>
/// A row in the scheduled-work table: what to do, for whom, due when. Completed items are deleted; a leased item
/// whose lease runs out uncompleted is dispatched again.
/// </summary>
public sealed class WorkItem
{
    public required string Kind { get; init; }

    /// <summary>Id of what the work is about (an alumnus id); never personal data.</summary>
    public required string SubjectId { get; init; }

    public required DateTimeOffset DueAt { get; init; }
    public WorkItemStatus Status { get; private set; } = WorkItemStatus.Pending;
    public DateTimeOffset? LeasedUntil { get; private set; }
    public int DispatchCount { get; private set; }
    public string? ETag { get; set; }

    /// <summary>Partition: the UTC hour the item is due, so a dispatcher reads only past partitions.</summary>
    public string PartitionKey => PartitionFor(DueAt);

    /// <summary>Row: due time first (rows sort by it), then kind and subject, so the same work due at the same time is one row.</summary>
    public string RowKey => $"{DueAt.UtcTicks:D19}-{Kind}-{SubjectId}";

    public static string PartitionFor(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);

    public static WorkItem Restore(string kind, string subjectId, DateTimeOffset dueAt, WorkItemStatus status, DateTimeOffset? leasedUntil, int dispatchCount, string? etag) => new()
    {
        Kind = kind,
        SubjectId = subjectId,
        DueAt = dueAt,
        Status = status,
        LeasedUntil = leasedUntil,
        DispatchCount = dispatchCount,
        ETag = etag,
    };

    public bool IsDispatchable(DateTimeOffset now) =>
        Status == WorkItemStatus.Pending && DueAt <= now && (LeasedUntil is null || LeasedUntil <= now);

    public void Lease(DateTimeOffset now, TimeSpan duration)
    {
        LeasedUntil = now + duration;
        DispatchCount++;
    }

    public void MarkFailed() => Status = WorkItemStatus.Failed;

    public WorkMessage ToMessage() => new(Kind, SubjectId, PartitionKey, RowKey, DueAt);
}

/// <summary>The queue message for a dispatched work item: ids only, never personal data.</summary>
public sealed record WorkMessage(string Kind, string SubjectId, string PartitionKey, string RowKey, DateTimeOffset DueAt);
