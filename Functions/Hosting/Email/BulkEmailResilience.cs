using System.Net;
using AlumniNetwork.Core.Email;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace AlumniNetwork.Functions.Hosting.Email;

/// <summary>
/// The provider calls of campaign batches. A 429 or a 5xx from SendGrid (not a gateway's 502 or 504, see
/// <see cref="IsRefusal"/>) means the request was not accepted, so it is retried,
/// waiting what <c>Retry-After</c> asks or backing off exponentially; a request that got no answer is never retried
/// here (it may have been accepted: the batch records the outcome as unknown). Each attempt has its own timeout,
/// sized for a 1,000-recipient request rather than the HTTP client's default (which is switched off: it would cut the
/// retries short and make a request that was refused look like one whose outcome is unknown).
/// </summary>
/// <remarks>
/// Polly's <c>MaxDelay</c> caps only the delays it computes, not one <c>Retry-After</c> asks for, so a longer wait is
/// not taken here at all: three of SendGrid's 120-second waits would outlast the five-minute function timeout, and a
/// host cancelling mid-wait would leave a refused batch looking as if it might have gone. The refusal surfaces at once
/// and the work item waits instead (ADR 0016), as long as <c>Retry-After</c> asked.
/// </remarks>
public static class BulkEmailResilience
{
    /// <summary>The longest <c>Retry-After</c> waited out in the call; a longer one ends it and the work item waits.</summary>
    public static readonly TimeSpan LongestWaitInCall = TimeSpan.FromSeconds(30);

    /// <param name="attemptTimeout"><c>SendGrid:RequestTimeout</c>: one attempt at a request of up to 1,000
    /// personalizations (typically a second or two at SendGrid; ADR 0015 has the observed latencies).</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeSpan attemptTimeout, TimeProvider time)
    {
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(2),
            MaxDelay = TimeSpan.FromSeconds(30),
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Result is { } response && IsRefusal(response.StatusCode) && !AsksLongerThanTheCallWaits(response, time)),
        });
        pipeline.AddTimeout(attemptTimeout);
    }

    private static bool AsksLongerThanTheCallWaits(HttpResponseMessage response, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return SendGridEmailSender.RetryAt(response.Headers.RetryAfter, now) > now + LongestWaitInCall;
    }

    /// <summary>
    /// Answers that say SendGrid did not take the request: throttling and its own errors. Not a gateway that gave up
    /// (<see cref="SendGridEmailSender.GatewayGaveUp"/>): repeating that could send every mail of the batch twice.
    /// </summary>
    public static bool IsRefusal(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || ((int)status >= 500 && !SendGridEmailSender.GatewayGaveUp(status));
}
