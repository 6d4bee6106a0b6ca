using AlumniNetwork.Core.Admin;

namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>One mapping from admin use-case outcomes to HTTP, so every admin function answers alike.</summary>
public static class AdminResults
{
    /// <param name="subject">What the id names, for the problem details ("alumnus", "event").</param>
    public static IResult ToHttp<T>(this AdminOutcome<T> outcome, string subject = "alumnus") => outcome switch
    {
        AdminOutcome<T>.Done done => Results.Ok(done.Value),
        AdminOutcome<T>.Repeated repeated => Results.Ok(repeated.Value),
        AdminOutcome<T>.Invalid invalid => Problems.Invalid(invalid.Errors),
        AdminOutcome<T>.Conflict { Code: ConflictCode.IdempotencyKeyReused } =>
            Problems.Conflict(new Core.Validation.FieldError(IdempotencyKey.Header, IdempotencyKey.ReusedRule)),
        AdminOutcome<T>.NotFound => Problems.Status(StatusCodes.Status404NotFound, "Not found.", $"No {subject} has this id."),
        AdminOutcome<T>.Conflict { Reason: { } reason } => Problems.Status(StatusCodes.Status409Conflict, "Conflict.", reason),
        AdminOutcome<T>.Conflict => Problems.Status(StatusCodes.Status409Conflict, "Conflict.", $"The {subject} kept changing during the update; nothing was changed. Try again."),
        // Only If-Match gives the JSON API a version (EntityTags); the console answers its stale forms itself (409 page).
        AdminOutcome<T>.Stale => Problems.Status(StatusCodes.Status412PreconditionFailed, "Precondition failed.",
            $"{EntityTags.IfMatch}: the {subject} changed since it was read (it is no longer the version If-Match names); nothing was changed. Read it again, then retry with its ETag."),
        AdminOutcome<T>.Unavailable unavailable => Problems.Status(StatusCodes.Status503ServiceUnavailable, "Service unavailable.", unavailable.Reason),
        _ => throw new InvalidOperationException("Unknown admin outcome."),
    };
}
