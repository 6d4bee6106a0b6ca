using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Admin;

/// <summary>What an admin use case came to; the HTTP edge maps each case to one status.</summary>
public abstract record AdminOutcome<T>
{
    private AdminOutcome() { }

    public sealed record Done(T Value) : AdminOutcome<T>;

    /// <summary>A create repeated with its first idempotency key and body (ADR 0037): nothing was changed; the record as it is now.</summary>
    public sealed record Repeated(T Value) : AdminOutcome<T>;

    /// <summary>The request broke these rules; nothing was read or changed.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : AdminOutcome<T>;

    /// <summary>No alumnus has the id.</summary>
    public sealed record NotFound : AdminOutcome<T>;

    /// <summary>The record kept changing underneath the update, or its state forbids the change; nothing was written.</summary>
    /// <param name="Reason">Why, when it is not a race (say, "the event is cancelled").</param>
    /// <param name="Code">Which conflict it is, for a caller that answers one in a way of its own: callers switch on it, never on the wording of <paramref name="Reason"/>.</param>
    public sealed record Conflict(string? Reason = null, ConflictCode Code = ConflictCode.Unnamed) : AdminOutcome<T>;

    /// <summary>The record changed after the version the edit was built on (<see cref="RecordVersion"/>); nothing was written or audited.</summary>
    public sealed record Stale : AdminOutcome<T>;

    /// <summary>A service the use case depends on (the email provider) did not do its part; the request may be repeated later.</summary>
    /// <param name="Reason">What happened and what it means for the admin, naming no person.</param>
    /// <param name="MayHaveHappened">The service's answer was lost: what was asked of it may have been done all the same.</param>
    public sealed record Unavailable(string Reason, bool MayHaveHappened = false) : AdminOutcome<T>;
}
