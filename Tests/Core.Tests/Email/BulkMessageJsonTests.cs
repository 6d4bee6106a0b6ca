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

    private static BulkMessage Message() => new("<p>{{x|h}}</p>", "{{x}}", ["Surveys"],
        [new BulkRecipient(EmailAddress.Parse("a@example.net"), "A", "s", new Dictionary<string, string> { ["{{x}}"] = "1" }, new Dictionary<string, string>(), new Dictionary<string, string>())]);

    [Fact]
    public void MessageThatRefusesClickTracking_TurnsItOffForHtmlAndText()
    {
        using var json = JsonDocument.Parse(SendGridBulkEmailSender.Utf8Json(Message() with { TrackClicks = false }, Settings));

        var clicks = json.RootElement.GetProperty("tracking_settings").GetProperty("click_tracking");
        Assert.False(clicks.GetProperty("enable").GetBoolean());
        Assert.False(clicks.GetProperty("enable_text").GetBoolean());
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

        var id = await new SendGridBulkEmailSender(new HttpClient(handler.Object), Options.Create(settings)).SendAsync(message, CancellationToken.None);

        Assert.Equal("m-1", id);
        Assert.Equal("POST http://sink.test/dev/sendgrid/v3/mail/send", sent.Uri);
        Assert.Equal("Bearer SG.key", sent.Authorization);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(SendGridBulkEmailSender.Utf8Json(message, settings).ToArray(), sent.Body);
        using var json = JsonDocument.Parse(sent.Body);
        Assert.Equal("ご案内", json.RootElement.GetProperty("personalizations")[0].GetProperty("subject").GetString());
    }
}
