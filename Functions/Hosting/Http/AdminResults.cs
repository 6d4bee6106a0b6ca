using AlumniNetwork.Core.Admin;

namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>One mapping from admin use-case outcomes to HTTP, so every admin function answers alike.</summary>
public static class AdminResults
{
    /// <param name="notFound">What a 404 says is missing.</param>
    public static IResult ToHttp<T>(this AdminOutcome<T> outcome, string notFound = "No alumnus has this id.") => outcome switch
    {
        AdminOutcome<T>.Done done => Results.Ok(done.Value),
        AdminOutcome<T>.Invalid invalid => Problems.Invalid(invalid.Errors),
        AdminOutcome<T>.NotFound => Problems.Status(StatusCodes.Status404NotFound, "Not found.", notFound),
        AdminOutcome<T>.Conflict => Problems.Status(StatusCodes.Status409Conflict, "Conflict.", "The alumnus kept changing during the update; nothing was changed. Try again."),
        _ => throw new InvalidOperationException("Unknown admin outcome."),
    };
}
