using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        }

        var response = await SendAsync(mail);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field);
        Assert.Empty(await app.OutboxAsync());
    }

    [Fact]
    public async Task ExactlyAThousandRecipients_IsAccepted()
    {
        var mail = Mail();
        mail["personalizations"]![0]!["to"] = new JsonArray(Enumerable.Range(0, 1000).Select(i => (JsonNode?)new JsonObject { ["email"] = $"r{i}@example.net" }).ToArray());

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(mail)).StatusCode);
    }
}
