namespace AlumniNetwork.Core.Scheduling;

/// <summary>The kinds of scheduled work. Which queue carries each is the dispatcher function's output bindings.</summary>
public static class WorkKinds
{
    public const string WelcomeInvitation = "welcome-invitation";

    /// <summary>Send whatever notices of one event are pending (confirmations, promotions, changes, cancellation).</summary>
    public const string EventNotices = "event-notices";

    /// <summary>Remind an event's attendees before it starts.</summary>
    public const string EventReminder = "event-reminder";

    /// <summary>Start the invitation campaign of an event just published (subject: the event id).</summary>
    public const string EventPublished = "event-published";

    /// <summary>Read a campaign's audience into batches (subject: the campaign id).</summary>
    public const string CampaignPlan = "campaign-plan";

    /// <summary>Send one campaign batch (subject: the batch key, campaign and number).</summary>
    public const string CampaignBatch = "campaign-batch";

    /// <summary>Tell an opening's recruiter mailbox of a change of interest (subject: opening id and alumnus id).</summary>
    public const string OpeningInterest = "opening-interest";

    /// <summary>Send an opening to a flagged match whom compliance approved after it went out (subject: opening id and alumnus id).</summary>
    public const string OpeningApproved = "opening-approved";

    /// <summary>Match a hire the HR system reported to an alumnus and attribute it (subject: the hire's key).</summary>
    public const string RehireAttribution = "rehire-attribution";

    /// <summary>Check one alumnus against the conflict-of-interest register (subject: <c>conflict:</c> and the alumnus id).</summary>
    public const string ConflictCheck = "conflict-check";

    /// <summary>Check everyone against the register, which changed (subject: <c>register</c>).</summary>
    public const string ConflictRegister = "conflict-register";

    /// <summary>Deliver one collaboration request to its alumnus (subject: alumnus id and request id).</summary>
    public const string CollaborationRequest = "collaboration-request";

    /// <summary>Tell the requester the alumnus's answer to a collaboration request (subject: alumnus id and request id).</summary>
    public const string CollaborationAnswer = "collaboration-answer";

    /// <summary>Remove whatever a page wrote as its alumnus's erasure began (subject: the alumnus id alone, never what was written; formerly <c>{record}-{alumnus id}</c>).</summary>
    public const string TakeBack = "erasure-takeback";

    public static IReadOnlyList<string> All { get; } = [WelcomeInvitation, CampaignPlan, CampaignBatch, EventNotices, EventReminder,
        EventPublished, OpeningInterest, OpeningApproved, RehireAttribution, ConflictCheck, ConflictRegister, CollaborationRequest, CollaborationAnswer,
        TakeBack];
}

/// <summary>Which work items are about an alumnus: the subject forms that name one.</summary>
public static class WorkSubjects
{
    /// <summary>
    /// Whether the subject names the alumnus: their id alone (the welcome invitation), their id and a request's
    /// (<c>{alumnus id}-{request id}</c>, collaboration mail), or an event's or opening's id and theirs
    /// (<c>{id}-{alumnus id}</c>: event notices, interest notices, an approved opening's send). A conflict check
    /// (<c>conflict:{alumnus id}</c>) is left out on purpose: the export withholds the checks (ADR 0031), and for the same
    /// reason it drops an approved opening's send by its kind (<c>CollaborationData.IsWithheld</c>).
    /// </summary>
    public static bool IsAbout(string subjectId, Alumni.AlumnusId alumnusId) =>
        subjectId == alumnusId.Value
        || (subjectId.Length > alumnusId.Value.Length + 1 && subjectId.StartsWith(alumnusId.Value + "-", StringComparison.Ordinal))
        || (subjectId.Length > alumnusId.Value.Length + 1 && subjectId.EndsWith("-" + alumnusId.Value, StringComparison.Ordinal));

    /// <summary>
    /// The alumni a subject may name, in the shapes <see cref="IsAbout"/> reads: each '-'-separated part that is an
    /// alumnus id (the other part, an event's or request's id, can look like one and then names nobody). A conflict
    /// check names nobody here, as in <see cref="IsAbout"/>.
    /// </summary>
    public static IEnumerable<Alumni.AlumnusId> AlumniOf(string subjectId) =>
        subjectId.Split('-').Select(part => Alumni.AlumnusId.TryParse(part, out var id) ? id : (Alumni.AlumnusId?)null).OfType<Alumni.AlumnusId>();
}

public enum WorkItemStatus
{
    Pending,

    /// <summary>Failed for a reason that waiting will not cure; kept for an operator to retry, never dispatched by itself.</summary>
    Failed,
}

/// <summary>
/// A row in the scheduled-work table: what to do, for whom, due when. Completed items are deleted. An item is dispatched
/// when it is due and not held (<see cref="LeasedUntil"/>): a dispatch holds it while its message travels; its handler
/// holds it further when it must wait (a deferral) or failed for a passing cause (a retry with backoff), ADR 0016.
/// </summary>
public sealed class WorkItem
{
    public required string Kind { get; init; }

    /// <summary>Id of what the work is about (an alumnus id); never personal data.</summary>
    public required string SubjectId { get; init; }

    public required DateTimeOffset DueAt { get; init; }
    public WorkItemStatus Status { get; private set; } = WorkItemStatus.Pending;

    /// <summary>Not dispatched again before this instant.</summary>
    public DateTimeOffset? LeasedUntil { get; private set; }

    public int DispatchCount { get; private set; }

    /// <summary>Dispatches since a handler last reported on the item: their messages never reached a handler that could.</summary>
    public int UnhandledDispatches { get; private set; }

    /// <summary>Handler runs that failed since the item was created or retried by an operator.</summary>
    public int Attempts { get; private set; }

    /// <summary>The last failure: an exception type or a named reason, never personal data.</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset? FailedAt { get; private set; }
    public string? ETag { get; set; }

    /// <summary>Partition: the UTC hour the item is due, so a dispatcher reads only past partitions.</summary>
    public string PartitionKey => PartitionFor(DueAt);

    /// <summary>Row: due time first (rows sort by it), then kind and subject, so the same work due at the same time is one row.</summary>
    public string RowKey => $"{DueAt.UtcTicks:D19}-{Kind}-{SubjectId}";

    public static string PartitionFor(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);

    public static WorkItem Restore(string kind, string subjectId, DateTimeOffset dueAt, WorkItemStatus status, DateTimeOffset? leasedUntil, int dispatchCount, string? etag,
        int unhandledDispatches = 0, int attempts = 0, string? lastError = null, DateTimeOffset? failedAt = null) => new()
    {
        Kind = kind,
        SubjectId = subjectId,
        DueAt = dueAt,
        Status = status,
        LeasedUntil = leasedUntil,
        DispatchCount = dispatchCount,
        UnhandledDispatches = unhandledDispatches,
        Attempts = attempts,
        LastError = lastError,
        FailedAt = failedAt,
        ETag = etag,
    };

    public bool IsDispatchable(DateTimeOffset now) =>
        Status == WorkItemStatus.Pending && DueAt <= now && (LeasedUntil is null || LeasedUntil <= now);

    /// <summary>
    /// Holds the item while its message travels. Each dispatch that no handler reports on doubles the hold (up to
    /// <paramref name="maxHold"/>): a message lost with a dying dispatcher comes back in minutes, one that never reaches a
    /// handler (a Service Bus outage, a dead-lettered message) does not flood the queue.
    /// </summary>
    public void Lease(DateTimeOffset now, TimeSpan duration, TimeSpan maxHold)
    {
        LeasedUntil = now + Backoff.Exponential(duration, UnhandledDispatches, maxHold);
        DispatchCount++;
        UnhandledDispatches++;
    }

    /// <summary>The handler must wait (an outcome awaited, not yet due): not a failure.</summary>
    public void Defer(DateTimeOffset until)
    {
        LeasedUntil = until;
        UnhandledDispatches = 0;
    }

    /// <summary>The handler failed for a cause that may pass: try again after <paramref name="retryAt"/>.</summary>
    public void RecordFailure(string error, DateTimeOffset retryAt)
    {
        Attempts++;
        LastError = error;
        Defer(retryAt);
    }

    public void MarkFailed(string reason, DateTimeOffset now)
    {
        Status = WorkItemStatus.Failed;
        LastError = reason;
        FailedAt = now;
        UnhandledDispatches = 0;
    }

    /// <summary>
    /// An operator retries a failed item: it is dispatched again on the next run, with a fresh count of attempts. Its lease
    /// is set to its due time, already past, not cleared: the store's query finds a dispatched item by its lease.
    /// </summary>
    public void Retry()
    {
        Status = WorkItemStatus.Pending;
        LeasedUntil = DueAt;
        Attempts = 0;
        UnhandledDispatches = 0;
        FailedAt = null;
    }

    public WorkMessage ToMessage() => new(Kind, SubjectId, PartitionKey, RowKey, DueAt);
}

/// <summary>The queue message for a dispatched work item: ids only, never personal data.</summary>
public sealed record WorkMessage(string Kind, string SubjectId, string PartitionKey, string RowKey, DateTimeOffset DueAt);

/// <summary>Exponential backoff: the base delay doubled per earlier attempt, capped.</summary>
public static class Backoff
{
    public static TimeSpan Exponential(TimeSpan first, int doublings, TimeSpan max) =>
        TimeSpan.FromTicks((long)Math.Min(max.Ticks, first.Ticks * Math.Pow(2, Math.Clamp(doublings, 0, 30))));
}
