using System.Net;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Functions.Hosting.Email;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace AlumniNetwork.Functions.Tests.Hosting;

/// <summary>
/// The retries of the bulk send pipeline against a stand-in that answers as told: a refused request is retried only
/// when the wait ends before the caller's deadline, so a run never sits in a wait the function timeout would cut.
/// </summary>
public sealed class BulkEmailResilienceTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);

    private async Task<(HttpStatusCode Status, int Attempts)> SendAsync(DateTimeOffset deadline, params Func<HttpResponseMessage>[] answers)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        BulkEmailResilience.Configure(pipeline, TimeSpan.FromSeconds(30), time);
        var provider = new Answers(answers);
        using var client = new HttpClient(new ResilienceHandler(pipeline.Build()) { InnerHandler = provider });
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://sendgrid.invalid/v3/mail/send");
        request.Options.Set(SendGridBulkEmailSender.Deadline, deadline);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, provider.Count);
    }

    private static HttpResponseMessage Throttled(TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        return response;
    }

    [Fact]
    public async Task RefusedWithTimeLeftForTheWait_RetriedUntilAccepted()
    {
        var answer = await SendAsync(Now.AddMinutes(4), () => Throttled(TimeSpan.Zero), () => new HttpResponseMessage(HttpStatusCode.Accepted));

        Assert.Equal((HttpStatusCode.Accepted, 2), answer);
    }

    [Fact]
    public async Task RefusedWhenTheBackoffWouldEndPastTheDeadline_NotRetried_TheRefusalIsReturned()
    {
        var answer = await SendAsync(Now.AddSeconds(1), () => Throttled(), () => new HttpResponseMessage(HttpStatusCode.Accepted));

        Assert.Equal((HttpStatusCode.TooManyRequests, 1), answer);
    }

    [Fact]
    public async Task RefusedAtTheDeadline_NotRetriedEvenWithoutAWait()
    {
        var answer = await SendAsync(Now, () => Throttled(TimeSpan.Zero), () => new HttpResponseMessage(HttpStatusCode.Accepted));

        Assert.Equal((HttpStatusCode.TooManyRequests, 1), answer);
    }

    [Fact]
    public async Task ThrottledWithOnlyAnXRateLimitResetPastWhatTheCallWaits_NotRetried()
    {
        var reset = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        reset.Headers.Add("X-RateLimit-Reset", Now.AddMinutes(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var answer = await SendAsync(Now.AddMinutes(4), () => reset, () => new HttpResponseMessage(HttpStatusCode.Accepted));

        Assert.Equal((HttpStatusCode.TooManyRequests, 1), answer);
    }

    [Fact]
    public async Task ThrottledWithAnXRateLimitResetAlreadyPassed_RetriedAtOnce()
    {
        var reset = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        reset.Headers.Add("X-RateLimit-Reset", Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var answer = await SendAsync(Now.AddMinutes(4), () => reset, () => new HttpResponseMessage(HttpStatusCode.Accepted));

        Assert.Equal((HttpStatusCode.Accepted, 2), answer);
    }

    private sealed class Answers(Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public int Count { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answers[Math.Min(Count++, answers.Length - 1)]());
    }
}
