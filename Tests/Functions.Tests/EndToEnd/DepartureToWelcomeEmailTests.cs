using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.EndToEnd;

/// <summary>
/// The whole slice as it runs locally: signed webhook → alumnus and work item → DispatchDueWork timer → queue →
/// SendWelcomeInvitation → SendGrid client → sink. Webhook and message each arrive twice; one email goes out.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DepartureToWelcomeEmailTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SignedDepartureTwice_AndMessageDeliveredTwice_SendExactlyOneWelcomeEmail()
    {
        var queue = await WelcomeQueue.EmptyAsync(azurite);
        await using var app = await TestApp.StartAsync(azurite, WelcomeQueue.LocalRunSettings());
        var body = Departures.Body(lastWorkingDay: "2026-11-01", locale: "ja-JP");

        var first = await app.PostSignedAsync(body, webhookId: "msg_e2e_1");
        var again = await app.PostSignedAsync(body, webhookId: "msg_e2e_1");
        var retried = await app.PostSignedAsync(body, webhookId: "msg_e2e_2");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!;

        await Eventually.TrueAsync(async () => (await app.OutboxAsync()).Count > 0, "the welcome email reached the sink");
        var mail = Assert.Single(await app.OutboxAsync());
        Assert.Equal(["hanako@example.net"], mail.To);
        Assert.Contains("アルムナイネットワーク", mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"{app.BaseAddress}api/alumni/join?token=", mail.Text, StringComparison.Ordinal);
        Assert.Equal(id, mail.CustomArgs["alumnusId"]);

        // The same message delivered a second time, as Service Bus may after a lost lock.
        var alumnus = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        var duplicate = new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = id, DueAt = alumnus.GetDateTimeOffset("WelcomeDueAt")!.Value }.ToMessage();
        await queue.SendMessageAsync(JsonSerializer.Serialize(duplicate, JsonSerializerOptions.Web));
        await Eventually.TrueAsync(async () => await queue.ApproximateCountAsync() == 0, "the duplicate message was handled");

        Assert.Single(await app.OutboxAsync());
        Assert.Single(await app.RowsAsync(AlumniTables.Sends));
        Assert.Empty(await app.RowsAsync(AlumniTables.WorkItems));
        Assert.Equal("Invited", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("Status"));
        Assert.Equal(0, await new QueueServiceClient(azurite.ConnectionString).GetQueueClient(WelcomeQueue.Name + "-deadletter").ApproximateCountAsync());
    }

    [Fact]
    public async Task DepartureNotYetDue_SendsNothing()
    {
        await WelcomeQueue.EmptyAsync(azurite);
        await using var app = await TestApp.StartAsync(azurite, WelcomeQueue.LocalRunSettings());

        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2099-12-31"));
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Empty(await app.OutboxAsync());
        Assert.Equal("Departed", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("Status"));
        Assert.Single(await app.RowsAsync(AlumniTables.WorkItems));
    }

    [Fact]
    public async Task SameMessageDeliveredTwiceAtOnce_SendsOneEmail()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var id = await app.DepartAsync(lastWorkingDay: "2026-11-01");
        var alumnus = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        var message = JsonSerializer.Serialize(new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = id.Value, DueAt = alumnus.GetDateTimeOffset("WelcomeDueAt")!.Value }.ToMessage(), JsonSerializerOptions.Web);
        var envelope = "{\"Data\":{\"message\":" + message + "},\"Metadata\":{\"DeliveryCount\":1}}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            app.Client.PostAsync("SendWelcomeInvitation", new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"))));
        var redelivered = await app.Client.PostAsync("SendWelcomeInvitation", new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.InternalServerError));
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Single(await app.OutboxAsync());
        Assert.Equal("Sent", Assert.Single(await app.RowsAsync(AlumniTables.Sends)).GetString("Status"));
    }

    [Theory]
    [InlineData("ja-JP", "すべてのメール配信")]
    [InlineData("en-US", "All emails")]
    public async Task WelcomeRefusalLink_AndItsOneClickTarget_RecordARefusalOfEveryEmail(string locale, string offer)
    {
        await using var app = await TestApp.StartAsync(azurite);
        var id = await app.DepartAsync(locale: locale, lastWorkingDay: "2026-11-01");
        var alumnus = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        var message = JsonSerializer.Serialize(new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = id.Value, DueAt = alumnus.GetDateTimeOffset("WelcomeDueAt")!.Value }.ToMessage(), JsonSerializerOptions.Web);
        var envelope = "{\"Data\":{\"message\":" + message + "},\"Metadata\":{\"DeliveryCount\":1}}";
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync("SendWelcomeInvitation", new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        var mail = Assert.Single(await app.OutboxAsync());
        var refusal = mail.Headers["List-Unsubscribe"].Trim('<', '>');
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.StartsWith($"{app.BaseAddress}api/alumni/unsubscribe?token=", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("category=", refusal, StringComparison.Ordinal);
        Assert.Contains(refusal, mail.Text, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(refusal), mail.Html, StringComparison.Ordinal);

        var page = await app.Client.GetStringAsync(refusal);
        var oneClick = await app.Client.PostAsync(refusal, new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        var again = await app.Client.PostAsync(refusal, new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Contains(offer, page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var refusals = await app.RowsAsync(AlumniTables.Consents);
        Assert.Equal(["Collaboration", "Events", "JobOffers", "Newsletter", "Surveys"], refusals.Select(r => r.GetString("Purpose")).Order(StringComparer.Ordinal));
        Assert.All(refusals, r => Assert.Equal((false, "Link", "unsubscribe-2026-11"), (r.GetBoolean("Granted")!.Value, r.GetString("Method"), r.GetString("WordingVersion"))));
    }
}
