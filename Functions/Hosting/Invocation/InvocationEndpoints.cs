using System.Text.Json;

namespace AlumniNetwork.Functions.Hosting.Invocation;

/// <summary>
/// Maps <c>POST /&lt;FunctionName&gt;</c>: reads the envelope, runs the function, answers the response envelope.
/// A failure answers 500 with no outputs, so the host writes nothing and its trigger retries.
/// </summary>
public static partial class InvocationEndpoints
{
    public delegate Task<InvocationResponse> InvocationHandler(InvocationRequest request, IServiceProvider services, CancellationToken cancellationToken);

    public static IEndpointConventionBuilder MapInvocation(this IEndpointRouteBuilder app, string functionName, InvocationHandler handler) =>
        app.MapPost("/" + functionName, async (HttpContext context, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("Function." + functionName);
            InvocationRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<InvocationRequest>(context.Request.Body, InvocationJson.Options, context.RequestAborted);
            }
            catch (JsonException)
            {
                request = null;
            }

            if (request is null)
            {
                return Results.BadRequest(InvocationResponse.Empty().WithLog("The invocation envelope is not valid JSON."));
            }

            try
            {
                return Results.Json(await handler(request, context.RequestServices, context.RequestAborted), InvocationJson.Options);
            }
            catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                // The boundary of an invocation: any failure becomes a failed invocation, retried by the trigger.
                LogInvocationFailed(logger, functionName, e);
                return Results.Json(InvocationResponse.Empty().WithLog($"{functionName} failed: {e.GetType().Name}"), InvocationJson.Options, statusCode: 500);
            }
        }).ExcludeFromDescription();

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation of {FunctionName} failed")]
    private static partial void LogInvocationFailed(ILogger logger, string functionName, Exception exception);
}
