using System.Net;
using AlumniNetwork.Core.Email;
using Polly;
using Polly.Retry;

namespace AlumniNetwork.Functions.Hosting.Email;

/// <summary>
/// The provider calls of campaign batches. A 429 or a 5xx from SendGrid (not a gateway's 502 or 504, see
/// <see cref="IsRefusal"/>) means the request was not accepted, so it is retried,
/// waiting what <c>Retry-After</c> (or <c>X-RateLimit-Reset</c>) asks or backing off exponentially; a request that got no answer is never retried
/// here (it may have been accepted: the batch records the outcome as unknown). Each attempt has its own timeout,
/// sized for a 1,000-recipient request rather than the HTTP client's default (which is switched off: it would cut the
/// retries short and make a request that was refused look like one whose outcome is unknown).
/// </summary>
/// <remarks>
/// No wait is begun that would end past the caller's deadline (<see cref="SendGridBulkEmailSender.Deadline"/>), nor one
/// longer than <see cref="LongestWaitInCall"/> (Polly's <c>MaxDelay</c> caps only the delays it computes, not one
/// <c>Retry-After</c> asks for): a host cancelling mid-wait at the function timeout would leave a refused batch looking
/// as if it might have gone. The refusal surfaces at once instead, while the batch can still record it, and the work
/// item waits (ADR 0016), as long as <c>Retry-After</c> asked. The wait is therefore decided with the decision to retry,
/// not by Polly after it.
/// </remarks>
public static class BulkEmailResilience
{
    /// <summary>The longest <c>Retry-After</c> waited out in the call; a longer one ends it and the work item waits.</summary>
    public static readonly TimeSpan LongestWaitInCall = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(2);
    private static readonly ResiliencePropertyKey<TimeSpan> NextWait = new("AlumniNetwork.NextWait");

    /// <param name="attemptTimeout"><c>SendGrid:RequestTimeout</c>: one attempt at a request of up to 1,000
    /// personalizations (typically a second or two at SendGrid; ADR 0015 has the observed latencies).</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeSpan attemptTimeout, TimeProvider time)
    {
        pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 3,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Result is { } response && IsRefusal(response.StatusCode) && PlanWait(args.Context, response, args.AttemptNumber, time)),
            DelayGenerator = args => ValueTask.FromResult(args.Context.Properties.TryGetValue(NextWait, out var wait) ? wait : (TimeSpan?)null),
        });
        pipeline.AddTimeout(attemptTimeout);
    }

    /// <summary>
    /// Whether a refused request is tried again: after what SendGrid asked, or a backoff, when that is at most
    /// <see cref="LongestWaitInCall"/> and ends before the caller's deadline. The wait is kept for the delay generator.
    /// </summary>
    private static bool PlanWait(ResilienceContext context, HttpResponseMessage response, int attempt, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var wait = SendGridEmailSender.RetryAt(SendGridEmailSender.AskedWait(response.Headers), now) is { } at ? Max(at - now, TimeSpan.Zero) : Backoff(attempt);
        var deadline = context.GetRequestMessage()?.Options.TryGetValue(SendGridBulkEmailSender.Deadline, out var asked) == true ? asked : DateTimeOffset.MaxValue;
        if (wait > LongestWaitInCall || now + wait >= deadline)
        {
            return false;
        }

        context.Properties.Set(NextWait, wait);
        return true;

        static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }

    /// <summary>2, 4, 8 seconds, each with up to a quarter more at random, so batches throttled together do not return together.</summary>
    private static TimeSpan Backoff(int attempt) => FirstBackoff * Math.Pow(2, attempt) * (1 + (Random.Shared.NextDouble() / 4));

    /// <summary>
    /// Answers that say SendGrid did not take the request: throttling and its own errors. Not a gateway that gave up
    /// (<see cref="SendGridEmailSender.GatewayGaveUp"/>): repeating that could send every mail of the batch twice.
    /// </summary>
    public static bool IsRefusal(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || ((int)status >= 500 && !SendGridEmailSender.GatewayGaveUp(status));
}
