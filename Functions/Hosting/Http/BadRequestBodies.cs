using Microsoft.AspNetCore.Diagnostics;

namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>
/// Bodies Kestrel finds bad while a function reads them: one that ends before its Content-Length or has broken chunked
/// framing (400), one that stops arriving below Kestrel's minimum data rate (408), one over the server's size limit
/// (413). These are the sender's doing, wherever the body is read (webhook, form, sink), so they are answered here,
/// once, as 4xx problem details and logged at Information; unhandled, they were a 500 logged as an error, which
/// senders such as HR systems and SendGrid retry for days.
/// </summary>
/// <remarks>
/// A sender that hangs up mid-body never reaches this: the request is aborted, and ASP.NET Core records it as closed
/// by the client (499) at debug level.
/// </remarks>
public sealed partial class BadRequestBodies(IProblemDetailsService problems, ILogger<BadRequestBodies> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        var (title, detail) = bad.StatusCode switch
        {
            StatusCodes.Status408RequestTimeout => ("Request body timed out.", "The body stopped arriving before it was complete; send the request again."),
            StatusCodes.Status413PayloadTooLarge => ("Body too large.", "The body is larger than the server accepts."),
            _ => ("Malformed request body.", "The body ended before its declared length or its chunked framing is broken."),
        };
        // The route's pattern, not the path: a path can hold an alumnus's id (manage/alumni/{id}/flags), never logged.
        LogRefused(httpContext.Request.Method, (httpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)", bad.StatusCode);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Route} with {StatusCode}: the request body was incomplete, malformed or too slow")]
    private partial void LogRefused(string method, string route, int statusCode);
}
