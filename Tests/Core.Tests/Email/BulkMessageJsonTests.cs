using System.Net;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using Microsoft.Extensions.Options;
using Moq;
using Moq.Protected;

namespace AlumniNetwork.Core.Tests.Email;

public sealed class BulkMessageJsonTests
{
    private static readonly SendGridOptions Settings = new() { ApiKey = "key", FromEmail = "alumni@example.com", FromName = "Alumni" };

    private static BulkMessage Message(int recipients = 1) => new("<p>{{x|h}}</p>", "{{x}}", ["Surveys"],
        [.. Enumerable.Range(0, recipients).Select(i => new BulkRecipient(
            EmailAddress.Parse($"a{i}@example.net"), "A", "s", new Dictionary<string, string> { ["{{x}}"] = "1" }, new Dictionary<string, string>(), new Dictionary<string, string>()))]);

    [Fact]
    public void MessageThatRefusesClickTracking_TurnsItOffForHtmlAndText()
    {
        using var json = JsonDocument.Parse(SendGridBulkEmailSender.Utf8Json(Message() with { TrackClicks = false }, Settings));

        var clicks = json.RootElement.GetProperty("tracking_settings").GetProperty("click_tracking");
        Assert.False(clicks.GetProperty("enable").GetBoolean());
        Assert.False(clicks.GetProperty("enable_text").GetBoolean());
        Assert.False(json.RootElement.GetProperty("tracking_settings").TryGetProperty("open_tracking", out _));
    }

    [Fact]
    public void MessageThatRefusesOpenTracking_TurnsItOff()
    {
        using var json = JsonDocument.Parse(SendGridBulkEmailSender.Utf8Json(Message() with { TrackClicks = false, TrackOpens = false }, Settings));

        var tracking = json.RootElement.GetProperty("tracking_settings");
        Assert.False(tracking.GetProperty("open_tracking").GetProperty("enable").GetBoolean());
        Assert.False(tracking.GetProperty("click_tracking").GetProperty("enable").GetBoolean());
    }

    [Fact]
    public void OrdinaryMessage_LeavesTrackingToTheAccount()
    {
        using var json = JsonDocument.Parse(SendGridBulkEmailSender.Utf8Json(Message(), Settings));

        Assert.False(json.RootElement.TryGetProperty("tracking_settings", out _));
    }

    [Fact]
    public async Task Send_PostsTheUtf8BodyToMailSendWithTheApiKey()
    {
        var settings = new SendGridOptions { ApiKey = "SG.key", FromEmail = "alumni@example.com", FromName = "Alumni", BaseUrl = new Uri("http://sink.test/dev/sendgrid") };
        var message = Message() with { Recipients = [Message().Recipients[0] with { Subject = "ご案内" }] };
        (string? Uri, string? Authorization, string? ContentType, byte[] Body) sent = default;
        var handler = new Mock<HttpMessageHandler>();
        handler.Protected().Setup<Task<HttpResponseMessage>>("SendAsync", ItExpr.IsAny<HttpRequestMessage>(), ItExpr.IsAny<CancellationToken>())
            .Callback<HttpRequestMessage, CancellationToken>((request, _) => sent = (
                $"{request.Method} {request.RequestUri}",
                request.Headers.Authorization?.ToString(),
                request.Content!.Headers.ContentType?.MediaType,
                request.Content.ReadAsByteArrayAsync(CancellationToken.None).Result))
            .ReturnsAsync(() => new HttpResponseMessage(HttpStatusCode.Accepted) { Headers = { { "X-Message-Id", "m-1" } } });

        var id = await new SendGridBulkEmailSender(new HttpClient(handler.Object), Options.Create(settings)).SendAsync(message, DateTimeOffset.MaxValue, CancellationToken.None);

        Assert.Equal("m-1", id);
        Assert.Equal("POST http://sink.test/dev/sendgrid/v3/mail/send", sent.Uri);
        Assert.Equal("Bearer SG.key", sent.Authorization);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(SendGridBulkEmailSender.Utf8Json(message, settings).ToArray(), sent.Body);
        using var json = JsonDocument.Parse(sent.Body);
        Assert.Equal("ご案内", json.RootElement.GetProperty("personalizations")[0].GetProperty("subject").GetString());
    }

    private static Task<string> AnsweredAsync(HttpStatusCode status, string body, int recipients = 1, string? retryAfter = null, string? rateLimitReset = null)
    {
        var handler = new Mock<HttpMessageHandler>();
        handler.Protected().Setup<Task<HttpResponseMessage>>("SendAsync", ItExpr.IsAny<HttpRequestMessage>(), ItExpr.IsAny<CancellationToken>())
            .ReturnsAsync(() =>
            {
                var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
                if (retryAfter is not null)
                {
                    response.Headers.Add("Retry-After", retryAfter);
                }

                if (rateLimitReset is not null)
                {
                    response.Headers.Add("X-RateLimit-Reset", rateLimitReset);
                }

                return response;
            });
        var settings = new SendGridOptions { ApiKey = "SG.key", FromEmail = "alumni@example.com", FromName = "Alumni", BaseUrl = new Uri("http://sink.test/dev/sendgrid") };
        return new SendGridBulkEmailSender(new HttpClient(handler.Object), Options.Create(settings)).SendAsync(Message(recipients), DateTimeOffset.MaxValue, CancellationToken.None);
    }

    [Fact]
    public async Task BadRequestNamingEveryPersonalizationOfSeveral_IsARefusalOfTheMessageNotOfEachRecipient()
    {
        const string body = """{"errors":[{"message":"x","field":"personalizations.0.custom_args"},{"message":"x","field":"personalizations.1.custom_args"},{"message":"x","field":"personalizations.2.custom_args"}]}""";

        var refused = await Assert.ThrowsAsync<EmailNotAcceptedException>(() => AnsweredAsync(HttpStatusCode.BadRequest, body, recipients: 3));

        Assert.Equal((HttpStatusCode.BadRequest, false, false), (refused.Status, refused.IsTransient, refused.IsAboutTheRecipient));
        Assert.Contains("personalizations.custom_args", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequestNamingSomePersonalizationsOfSeveral_IsARefusalOfThoseRecipients()
    {
        const string body = """{"errors":[{"message":"x","field":"personalizations.0.to"},{"message":"x","field":"personalizations.2.to"}]}""";

        var rejected = await Assert.ThrowsAsync<BulkEmailRejectedException>(() => AnsweredAsync(HttpStatusCode.BadRequest, body, recipients: 3));

        Assert.Equal([0, 2], rejected.RecipientIndexes);
    }

    [Fact]
    public async Task Throttled_CarriesSendGridsRetryAfterForTheWorkItem()
    {
        var refused = await Assert.ThrowsAsync<EmailNotAcceptedException>(() => AnsweredAsync(HttpStatusCode.TooManyRequests, "{}", retryAfter: "120"));

        Assert.Equal((true, TimeSpan.FromSeconds(120)), (refused.IsTransient, refused.RetryAfter?.Delta));
    }

    [Fact]
    public async Task ThrottledWithOnlyXRateLimitReset_CarriesTheResetForTheWorkItem()
    {
        var refused = await Assert.ThrowsAsync<EmailNotAcceptedException>(() => AnsweredAsync(HttpStatusCode.TooManyRequests, "{}", rateLimitReset: "1799999999"));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_799_999_999), refused.RetryAfter?.Date);
    }

    [Fact]
    public async Task ThrottledWithBothHeaders_RetryAfterWins()
    {
        var refused = await Assert.ThrowsAsync<EmailNotAcceptedException>(() => AnsweredAsync(HttpStatusCode.TooManyRequests, "{}", retryAfter: "5", rateLimitReset: "1799999999"));

        Assert.Equal((TimeSpan.FromSeconds(5), null), (refused.RetryAfter?.Delta, refused.RetryAfter?.Date));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("99999999999999")]
    public void UnreadableXRateLimitReset_AsksNoWait(string reset)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", reset);

        Assert.Null(SendGridEmailSender.AskedWait(response.Headers));
    }

    [Theory]
    [InlineData("""{"errors":[{"message":"Does not contain a valid address.","field":"personalizations.3.to.0.email"}]}""", new[] { 3 })]
    [InlineData("""{"errors":[{"message":"x","field":"personalizations.3.to"},{"message":"y","field":"personalizations.12.to"}]}""", new[] { 3, 12 })]
    [InlineData("""{"errors":[{"message":"Too many recipients.","field":"personalizations"}]}""", new int[0])]
    public async Task BadRequestNamingOnlyPersonalizations_IsARefusalOfThoseRecipients(string body, int[] indexes)
    {
        var rejected = await Assert.ThrowsAsync<BulkEmailRejectedException>(() => AnsweredAsync(HttpStatusCode.BadRequest, body));

        Assert.Equal(indexes, rejected.RecipientIndexes);
    }

    [Theory]
    [InlineData("""{"errors":[{"message":"The content value must be a string at least one character in length.","field":"content.0.value"}]}""", "content.0.value")]
    [InlineData("""{"errors":[{"message":"from","field":"from.email"}]}""", "from.email")]
    [InlineData("""{"errors":[{"message":"x","field":"personalizations.3.to"},{"message":"y","field":"content.0.value"}]}""", "content.0.value")]
    [InlineData("""{"errors":[{"message":"Bad Request","field":null}]}""", "(none)")]
    [InlineData("""{"errors":[]}""", "[]")]
    [InlineData("not json", "[]")]
    public async Task BadRequestNamingNoRecipient_IsANonTransientRefusalOfTheMessage(string body, string named)
    {
        var refused = await Assert.ThrowsAsync<EmailNotAcceptedException>(() => AnsweredAsync(HttpStatusCode.BadRequest, body));

        Assert.Equal((HttpStatusCode.BadRequest, false), (refused.Status, refused.IsTransient));
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }
}
