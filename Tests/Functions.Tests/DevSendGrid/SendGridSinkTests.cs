using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.DevSendGrid;

[Collection(AzuriteCollection.Name)]
public sealed class SendGridSinkTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static JsonObject Mail() => new()
    {
        ["personalizations"] = new JsonArray(new JsonObject { ["to"] = new JsonArray(new JsonObject { ["email"] = "to@example.net", ["name"] = "To" }) }),
        ["from"] = new JsonObject { ["email"] = "from@example.com" },
        ["subject"] = "Hello <world>",
        ["content"] = new JsonArray(
            new JsonObject { ["type"] = "text/plain", ["value"] = "text body" },
            new JsonObject { ["type"] = "text/html", ["value"] = "<p>html body</p>" }),
        ["categories"] = new JsonArray("welcome"),
        ["custom_args"] = new JsonObject { ["campaign"] = "c1" },
    };

    private async Task<HttpResponseMessage> SendAsync(JsonNode mail, bool authorized = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "dev/sendgrid/v3/mail/send") { Content = JsonContent.Create(mail) };
        if (authorized)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "key");
        }

        return await app.Client.SendAsync(request);
    }

    [Fact]
    public async Task MailWithTrackingTurnedOff_IsAccepted()
    {
        // As the survey mail goes out: SendGrid takes tracking_settings with click and open tracking turned off.
        var settings = new SendGridOptions { ApiKey = "key", FromEmail = "from@example.com", FromName = "Alumni" };
        var message = new BulkMessage("<p>{{x}}</p>", "{{x}}", ["Surveys"],
            [new(EmailAddress.Parse("to@example.net"), "To", "Survey", new Dictionary<string, string> { ["{{x}}"] = "1" },
                new Dictionary<string, string>(), new Dictionary<string, string>())]) { TrackClicks = false, TrackOpens = false };
        var body = JsonNode.Parse(SendGridBulkEmailSender.Utf8Json(message, settings).Span)!;

        var response = await SendAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(body["tracking_settings"]!["open_tracking"]!["enable"]!.GetValue<bool>());
        Assert.Equal("<p>1</p>", Assert.Single(await app.OutboxAsync()).Html);
    }

    [Fact]
    public async Task ValidMail_Returns202WithMessageIdAndIsKept()
    {
        var response = await SendAsync(Mail());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = Assert.Single(response.Headers.GetValues("X-Message-Id"));
        var mail = Assert.Single(await app.OutboxAsync());
        Assert.StartsWith(id, mail.Id, StringComparison.Ordinal);
        Assert.Equal(["to@example.net"], mail.To);
        Assert.Equal("Hello <world>", mail.Subject);
        Assert.Equal("text body", mail.Text);
        Assert.Equal("<p>html body</p>", mail.Html);
        Assert.Equal(["welcome"], mail.Categories);
        Assert.Equal("c1", mail.CustomArgs["campaign"]);
    }

    [Fact]
    public async Task OutboxPage_ShowsMailsEscaped()
    {
        await SendAsync(Mail());

        var page = await app.Client.GetStringAsync("dev/outbox");

        Assert.Contains("Hello &lt;world&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Hello <world>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CapturedHtmlOpenedOnItsOwn_IsServedSandboxed()
    {
        await SendAsync(Mail());
        var mail = Assert.Single(await app.OutboxAsync());

        var response = await app.Client.GetAsync($"dev/outbox/messages/{Uri.EscapeDataString(mail.Id)}/html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<p>html body</p>", await response.Content.ReadAsStringAsync());
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy")).Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("sandbox allow-same-origin", policy);
        Assert.Contains("default-src 'none'", policy);
    }

    [Fact]
    public async Task MissingAuthorization_Returns401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(Mail(), authorized: false)).StatusCode);
        Assert.Empty(await app.OutboxAsync());
    }

    public static TheoryData<string, string> InvalidMails => new()
    {
        { "no personalizations", "personalizations" },
        { "no recipient", "personalizations.0.to" },
        { "bad recipient", "personalizations.0.to" },
        { "too many personalizations", "personalizations" },
        { "too many recipients", "personalizations" },
        { "no from", "from.email" },
        { "no subject", "subject" },
        { "no content", "content" },
        { "empty content", "content.0" },
        { "html before text", "content.1.type" },
        { "eleven categories", "categories" },
        { "long category", "categories" },
        { "huge custom args", "custom_args" },
        { "send_at too far", "send_at" },
        { "send_at past any date", "send_at" },
        { "same address twice", "personalizations.1.to" },
        { "comma in name", "personalizations.0.to" },
        { "number substitution", "personalizations.0.substitutions" },
        { "huge substitutions", "personalizations.0.substitutions" },
        { "empty substitution tag", "personalizations.0.substitutions" },
        { "reserved header", "personalizations.0.headers" },
        { "reserved message header", "headers" },
        { "number personalization", "personalizations.0" },
        { "string custom args", "custom_args" },
        { "number custom arg", "custom_args.id" },
        { "string personalization custom args", "personalizations.0.custom_args" },
        { "number personalization custom arg", "personalizations.0.custom_args.id" },
    };

    [Theory]
    [MemberData(nameof(InvalidMails))]
    public async Task InvalidMail_Returns400NamingTheFieldAndKeepsNothing(string change, string field)
    {
        var mail = Mail();
        switch (change)
        {
            case "no personalizations": mail.Remove("personalizations"); break;
            case "no recipient": mail["personalizations"]![0]!["to"] = new JsonArray(); break;
            case "bad recipient": mail["personalizations"]![0]!["to"]![0]!["email"] = "nope"; break;
            case "too many personalizations":
                mail["personalizations"] = new JsonArray(Enumerable.Range(0, 1001).Select(i => (JsonNode?)new JsonObject { ["to"] = new JsonArray(new JsonObject { ["email"] = $"p{i}@example.net" }) }).ToArray());
                break;
            case "too many recipients":
                mail["personalizations"]![0]!["to"] = new JsonArray(Enumerable.Range(0, 1001).Select(i => (JsonNode?)new JsonObject { ["email"] = $"r{i}@example.net" }).ToArray());
                break;
            case "no from": mail.Remove("from"); break;
            case "no subject": mail.Remove("subject"); break;
            case "no content": mail.Remove("content"); break;
            case "empty content": mail["content"]![0]!["value"] = ""; break;
            case "html before text":
                mail["content"] = new JsonArray(new JsonObject { ["type"] = "text/html", ["value"] = "<p>x</p>" }, new JsonObject { ["type"] = "text/plain", ["value"] = "x" });
                break;
            case "eleven categories": mail["categories"] = new JsonArray(Enumerable.Range(0, 11).Select(i => (JsonNode?)JsonValue.Create($"c{i}")).ToArray()); break;
            case "long category": mail["categories"] = new JsonArray(new string('c', 256)); break;
            case "huge custom args": mail["custom_args"] = new JsonObject { ["big"] = new string('x', 10_000) }; break;
            case "send_at too far": mail["send_at"] = TimeProvider.System.GetUtcNow().AddHours(73).ToUnixTimeSeconds(); break;
            case "send_at past any date": mail["send_at"] = long.MaxValue; break;
            case "same address twice":
                ((JsonArray)mail["personalizations"]!).Add(new JsonObject { ["to"] = new JsonArray(new JsonObject { ["email"] = "TO@example.net" }) });
                break;
            case "comma in name": mail["personalizations"]![0]!["to"]![0]!["name"] = "Yamada, Hanako"; break;
            case "number substitution": mail["personalizations"]![0]!["substitutions"] = new JsonObject { ["-n-"] = 1 }; break;
            case "empty substitution tag": mail["personalizations"]![0]!["substitutions"] = new JsonObject { [""] = "x" }; break;
            case "huge substitutions": mail["personalizations"]![0]!["substitutions"] = new JsonObject { ["-body-"] = new string('あ', 3_400) }; break;
            case "reserved header": mail["personalizations"]![0]!["headers"] = new JsonObject { ["Subject"] = "x" }; break;
            case "reserved message header": mail["headers"] = new JsonObject { ["x-sg-id"] = "x" }; break;
            case "number personalization": mail["personalizations"] = new JsonArray(1); break;
            case "string custom args": mail["custom_args"] = "x"; break;
            case "number custom arg": mail["custom_args"] = new JsonObject { ["id"] = 1 }; break;
            case "string personalization custom args": mail["personalizations"]![0]!["custom_args"] = "x"; break;
            case "number personalization custom arg": mail["personalizations"]![0]!["custom_args"] = new JsonObject { ["id"] = 1 }; break;
        }

        var response = await SendAsync(mail);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field);
        Assert.Empty(await app.OutboxAsync());
    }

    [Theory]
    [InlineData("custom_args", "\"x\"", "Invalid type. Expected: object, given: string.")]
    [InlineData("custom_args.id", "{\"id\":1}", "Invalid type. Expected: string, given: integer.")]
    public async Task CustomArgsOfTheWrongType_Returns400WithSendGridsTypeMessage(string field, string customArgs, string message)
    {
        var mail = Mail();
        mail["custom_args"] = JsonNode.Parse(customArgs);

        var response = await SendAsync(mail);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal((field, message), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
        Assert.Empty(await app.OutboxAsync());
    }

    [Theory]
    [InlineData("text/calendar; method=REQUEST; charset=UTF-8")]
    [InlineData("text/calendar; charset=UTF-8")]
    [InlineData("text/calendar\r\nBcc: x@example.net")]
    public async Task AttachmentTypeWithAParameterOtherThanMethodOrALineBreak_IsRefusedAsSendGridDoes(string type)
    {
        var mail = Mail();
        mail["attachments"] = new JsonArray(new JsonObject { ["filename"] = "event.ics", ["content"] = "QkVHSU4=", ["type"] = type });

        var response = await SendAsync(mail);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal(("attachments.0.type", "The attachment type cannot contain ';', or CRLF characters."),
            (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
        Assert.Empty(await app.OutboxAsync());
    }

    [Theory]
    [InlineData("text/calendar")]
    [InlineData("text/calendar; method=REQUEST")]
    [InlineData("text/calendar; method=CANCEL")]
    public async Task AttachmentTypeWithOnlyAMethod_IsAccepted(string type)
    {
        var mail = Mail();
        mail["attachments"] = new JsonArray(new JsonObject { ["filename"] = "event.ics", ["content"] = "QkVHSU4=", ["type"] = type });

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(mail)).StatusCode);
    }

    [Fact]
    public async Task ExactlyAThousandRecipients_IsAccepted()
    {
        var mail = Mail();
        mail["personalizations"]![0]!["to"] = new JsonArray(Enumerable.Range(0, 1000).Select(i => (JsonNode?)new JsonObject { ["email"] = $"r{i}@example.net" }).ToArray());

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(mail)).StatusCode);
    }

    [Fact]
    public async Task EachPersonalization_IsOneMailWithItsSubstitutionsSubjectHeadersAndArgs()
    {
        var mail = Mail();
        mail["content"] = new JsonArray(
            new JsonObject { ["type"] = "text/plain", ["value"] = "Dear {{name}}, see {{url}}" },
            new JsonObject { ["type"] = "text/html", ["value"] = "<p>Dear {{name|h}}, <a href=\"{{url|h}}\">see</a></p>" });
        mail["personalizations"] = new JsonArray(
            Personalization("a@example.net", "件名 A", "Hanako", "https://x/?a=1&b=2", "s-1"),
            Personalization("b@example.net", "Subject B", "<Ken>", "https://x/?a=3", "s-2"));

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(mail)).StatusCode);

        var mails = (await app.OutboxAsync()).OrderBy(m => m.To[0], StringComparer.Ordinal).ToArray();
        Assert.Equal(2, mails.Length);
        Assert.Equal(("件名 A", "Dear Hanako, see https://x/?a=1&b=2"), (mails[0].Subject, mails[0].Text));
        Assert.Equal("<p>Dear &lt;Ken&gt;, <a href=\"https://x/?a=3\">see</a></p>", mails[1].Html);
        Assert.Equal(("s-1", "c1"), (mails[0].CustomArgs["sendId"], mails[0].CustomArgs["campaign"]));
        Assert.Equal("<https://x/u/s-2>", mails[1].Headers["List-Unsubscribe"]);
        Assert.Equal(new OutboxStats(1, 2, 2, 0, mails[0].ReceivedAt, mails[1].ReceivedAt), await app.Client.GetFromJsonAsync<OutboxStats>("dev/outbox/stats"));
    }

    private static JsonObject Personalization(string email, string subject, string name, string url, string sendId) => new()
    {
        ["to"] = new JsonArray(new JsonObject { ["email"] = email }),
        ["subject"] = subject,
        ["substitutions"] = new JsonObject
        {
            ["{{name}}"] = name,
            ["{{name|h}}"] = System.Net.WebUtility.HtmlEncode(name),
            ["{{url}}"] = url,
            ["{{url|h}}"] = System.Net.WebUtility.HtmlEncode(url),
        },
        ["headers"] = new JsonObject { ["List-Unsubscribe"] = $"<https://x/u/{sendId}>" },
        ["custom_args"] = new JsonObject { ["sendId"] = sendId },
    };
}
