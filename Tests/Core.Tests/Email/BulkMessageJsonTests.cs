using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;

namespace AlumniNetwork.Core.Tests.Email;

public sealed class BulkMessageJsonTests
{
    private static readonly SendGridOptions Settings = new() { ApiKey = "key", FromEmail = "alumni@example.com", FromName = "Alumni" };

    private static BulkMessage Message() => new("<p>{{x|h}}</p>", "{{x}}", ["Surveys"],
        [new BulkRecipient(EmailAddress.Parse("a@example.net"), "A", "s", new Dictionary<string, string> { ["{{x}}"] = "1" }, new Dictionary<string, string>(), new Dictionary<string, string>())]);

    [Fact]
    public void MessageThatRefusesClickTracking_TurnsItOffForHtmlAndText()
    {
        using var json = JsonDocument.Parse(SendGridBulkEmailSender.Json(Message() with { TrackClicks = false }, Settings));

        var clicks = json.RootElement.GetProperty("tracking_settings").GetProperty("click_tracking");
        Assert.False(clicks.GetProperty("enable").GetBoolean());
        Assert.False(clicks.GetProperty("enable_text").GetBoolean());
    }

    [Fact]
    public void OrdinaryMessage_LeavesTrackingToTheAccount()
    {
        using var json = JsonDocument.Parse(SendGridBulkEmailSender.Json(Message(), Settings));

        Assert.False(json.RootElement.TryGetProperty("tracking_settings", out _));
    }
}
