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

    /// <summary>The record kept changing underneath the update; nothing was written.</summary>
    public sealed record Conflict : AdminOutcome<T>;
}
