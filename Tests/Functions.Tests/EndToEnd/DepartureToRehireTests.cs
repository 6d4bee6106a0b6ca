using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.EndToEnd;

/// <summary>
/// A boomerang, end to end, as it runs locally with the local trigger host (timers and queues over Azurite): the HR
/// system's <c>employee.departed</c> → the welcome email → joining → a profile → an opening sent as a campaign → interest
/// through the link in that email → the recruiter's notice → the HR system's <c>employee.hired</c> → the alumnus
/// returned, with the opening's email and the interest as the touches the return is attributed to.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DepartureToRehireTests(AzuriteFixture azurite)
{
    private static readonly string[] Queues = ["welcome-invitations", "campaign-plans", "campaign-batches", "opening-interests", "rehires"];

    [Fact]
    public async Task DepartureOpeningInterestAndHire_EndInAnAttributedReturn()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        foreach (var name in Queues.SelectMany(q => new[] { q, q + "-deadletter" }))
        {
            await queues.GetQueueClient(name).CreateIfNotExistsAsync();
            await queues.GetQueueClient(name).ClearMessagesAsync();
        }

        await using var app = await TestApp.StartAsync(azurite, WelcomeQueue.LocalRunSettings());
        var today = OpeningSeeds.Today;
        var departure = JsonNode.Parse(Departures.Body(employeeId: "E-BOOMERANG", email: "boomerang@example.net", lastWorkingDay: OpeningSeeds.Day(today, -200), locale: "en-US",
            givenName: "Hanako", familyName: "Yamada"))!;
        departure["data"]!["hireDate"] = OpeningSeeds.Day(today, -3000);
        var departed = await app.PostSignedAsync(departure.ToJsonString());
        var id = AlumnusId.Parse((await departed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!);

        // The welcome email arrives; the alumnus joins through its link, consenting to job offers and to employees seeing their profile.
        var welcome = await MailToAsync(app, "boomerang@example.net", "api/alumni/join");
        var join = await app.Client.PostAsync("api/alumni/join", new FormUrlEncodedContent(
            [KeyValuePair.Create("token", OpeningSeeds.TokenIn(welcome, "api/alumni/join")), KeyValuePair.Create("membership", "yes"),
                KeyValuePair.Create("purpose", "JobOffers"), KeyValuePair.Create("purpose", "EmployeeVisibility")]));
        Assert.Equal(HttpStatusCode.OK, join.StatusCode);
        (await app.PostFormAsync(Core.Links.LinkPurpose.Profile, id, ("OpenToReturning", "ProjectWork"), ("Skills", "Python, risk models"), ("Skills.visibility", "Employees"),
            ("Location", "Yokohama"))).EnsureSuccessStatusCode();

        // A recruiter creates the opening and sends it; the campaign's email carries a link bound to it.
        var openingId = await app.CreateOpeningAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"api/manage/openings/{openingId}/send", app.Token(Core.Admin.AdminRoles.Recruiter))).StatusCode);
        var offer = await MailToAsync(app, "boomerang@example.net", "api/alumni/openings");
        var token = OpeningSeeds.TokenIn(offer, "api/alumni/openings");
        Assert.Contains("Risk project &lt;b&gt;", await app.Client.GetStringAsync($"api/alumni/openings?token={Uri.EscapeDataString(token)}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.InterestAsync(id, openingId, note: "Available from April", token: token)).StatusCode);

        var notice = await MailToAsync(app, "careers@example.com", null);
        Assert.Contains("Available from April", notice.Text!, StringComparison.Ordinal);
        Assert.Contains("Python, risk models", notice.Text!, StringComparison.Ordinal);
        Assert.DoesNotContain("Yokohama", notice.Text!, StringComparison.Ordinal);

        // The HR system reports the hire; the return is attributed to the opening's email and the interest.
        Assert.Equal(HttpStatusCode.Accepted, (await app.HiredAsync("E-BOOMERANG", OpeningSeeds.Day(today, 1))).StatusCode);
        await Eventually.TrueAsync(async () => (await app.AlumnusAsync(id)).Status == AlumnusStatus.Returned, "the alumnus is marked returned");

        var report = await app.AdminJsonAsync($"api/manage/rehires?from={OpeningSeeds.Day(today, -1)}&to={OpeningSeeds.Day(today, 1)}");
        var rehire = Assert.Single(report.GetProperty("items").EnumerateArray());
        Assert.Equal((id.Value, true, 201), (rehire.GetProperty("alumnusId").GetString(), rehire.GetProperty("attributed").GetBoolean(), rehire.GetProperty("daysAway").GetInt32()));
        Assert.Equal(["Opening/email/first", "Opening/interest/last"], rehire.GetProperty("touches").EnumerateArray().Select(t =>
            $"{t.GetProperty("kind").GetString()}/{t.GetProperty("via").GetString()}/{(t.GetProperty("first").GetBoolean() ? "first" : "last")}"));
        Assert.Equal(1, report.GetProperty("byOpeningKind").GetProperty("ShortTermProject").GetInt32());
        foreach (var name in Queues)
        {
            Assert.Equal(0, (await queues.GetQueueClient(name + "-deadletter").GetPropertiesAsync()).Value.ApproximateMessagesCount);
        }
    }

    private static async Task<Functions.DevSendGrid.OutboxMail> MailToAsync(TestApp app, string to, string? linking)
    {
        Functions.DevSendGrid.OutboxMail? found = null;
        await Eventually.TrueAsync(async () =>
        {
            found = (await app.OutboxAsync()).FirstOrDefault(m => m.To[0] == to && (linking is null || m.Text!.Contains(linking, StringComparison.Ordinal)));
            return found is not null;
        }, $"a mail to {to}{(linking is null ? "" : $" linking {linking}")}", seconds: 120);
        return found!;
    }
}
