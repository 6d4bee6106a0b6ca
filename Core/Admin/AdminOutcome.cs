using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Admin;

/// <summary>What an admin use case came to; the HTTP edge maps each case to one status.</summary>
public abstract record AdminOutcome<T>
{
    private AdminOutcome() { }

    public sealed record Done(T Value) : AdminOutcome<T>;

    /// <summary>The request broke these rules; nothing was read or changed.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : AdminOutcome<T>;

    /// <summary>No alumnus has the id.</summary>
    public sealed record NotFound : AdminOutcome<T>;

    /// <summary>The record kept changing underneath the update, or its state forbids the change; nothing was written.</summary>
    /// <param name="Reason">Why, when it is not a race (say, "the event is cancelled").</param>
    public sealed record Conflict(string? Reason = null) : AdminOutcome<T>;
}
