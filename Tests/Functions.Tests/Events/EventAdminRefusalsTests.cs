using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Events;

/// <summary>
/// The event rules that refuse a change, through the real admin API and RSVP page: each refusal is a 4xx and leaves every
/// table (rows and their ETags: the event, its RSVPs, the audit log, work items, campaigns) and the outbox as they were.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventAdminRefusalsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static async Task<string?> FieldAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString();

    [Theory]
    [InlineData("capacity")]
    [InlineData("audience")]
    public async Task PublishedEventWithTwoAttending_RefusesACapacityBelowThemOrAnotherAudience_AndChangesNothing(string field)
    {
        var eventId = await app.PublishedEventAsync(capacity: 2);
        await app.RsvpAsync(eventId, await app.PersonAsync(), "attend");
        await app.RsvpAsync(eventId, await app.PersonAsync(), "attend");
        var before = await app.SnapshotAsync();
        var body = field == "capacity" ? EventSeeds.Body(capacity: 1) : EventSeeds.Body(audience: """{"departments":["Retail Banking"]}""");

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, await FieldAsync(response));
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Empty(await app.OutboxAsync());
    }

    [Fact]
    public async Task PublishingADraftWhoseDeadlinePassed_Is409_NoCampaignNoWorkItem()
    {
        var eventId = await app.CreateEventAsync(EventSeeds.Body(deadlineFromNow: TimeSpan.FromMinutes(-5)));
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/publish");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("deadline", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Empty(await app.RowsAsync(AlumniTables.Campaigns));
        Assert.Empty(await app.RowsAsync(AlumniTables.WorkItems));
    }

    [Fact]
    public async Task AttendingAfterTheDeadline_Gets409Page_AndTheRsvpAndEventRowsKeepTheirETags()
    {
        var eventId = await app.PublishedEventAsync(deadlineFromNow: TimeSpan.FromMinutes(2));
        var person = await app.PersonAsync();
        await app.RsvpAsync(eventId, person, "decline");
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(deadlineFromNow: TimeSpan.FromMinutes(-5)))).StatusCode);
        var rows = (await app.RowsAsync(AlumniTables.Events)).Where(r => r.PartitionKey == eventId).ToArray();
        var (rsvp, evt) = (rows.Single(r => r.RowKey == $"rsvp-{person}").ETag, rows.Single(r => r.RowKey == "event").ETag);
        var before = await app.SnapshotAsync();

        // A decline stays open to seat holders until the start (ADR 0021); taking a seat closes at the deadline.
        var response = await app.RsvpAsync(eventId, person, "attend");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("受付は終了", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = (await app.RowsAsync(AlumniTables.Events)).Where(r => r.PartitionKey == eventId).ToArray();
        Assert.Equal((rsvp, evt), (after.Single(r => r.RowKey == $"rsvp-{person}").ETag, after.Single(r => r.RowKey == "event").ETag));
        Assert.Equal("Declined", after.Single(r => r.RowKey == $"rsvp-{person}").GetString("Status"));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData("501 addresses")]
    [InlineData("cancelled and started")]
    [InlineData("started")]
    public async Task EmployeeInvitationsRefused_Are4xx_StoreNothing_SendNothing(string refusal)
    {
        var eventId = await app.PublishedEventAsync();
        var addresses = Enumerable.Range(0, refusal == "501 addresses" ? 501 : 1).Select(i => $"employee{i}@corp.example.com");
        if (refusal == "cancelled and started")
        {
            // A cancelled event not yet started takes the request: it sends the cancellation to the staff invited before.
            Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/cancel")).StatusCode);
            await app.DeliverEventMailAsync();
            await app.StartEventAsync(eventId);
        }
        else if (refusal == "started")
        {
            await app.StartEventAsync(eventId);
        }

        var (before, sent) = (await app.SnapshotAsync(), (await app.OutboxAsync()).Count);

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/staff-invitations",
            JsonSerializer.Serialize(new { addresses }));

        Assert.Equal(refusal == "501 addresses" ? HttpStatusCode.BadRequest : HttpStatusCode.Conflict, response.StatusCode);
        if (refusal == "501 addresses")
        {
            Assert.Equal("addresses", await FieldAsync(response));
        }

        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal(sent, (await app.OutboxAsync()).Count);
        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Subject.StartsWith("[社内 / Internal]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(180)]
    public async Task CancellingAnEventThatHasStartedOrEnded_Is409NamingTheRule_AndChangesNothingNorMailsAnyone(int minutesAgo)
    {
        var eventId = await app.PublishedEventAsync();
        await app.RsvpAsync(eventId, await app.PersonAsync(), "attend");
        await app.DeliverEventMailAsync();
        await app.StartEventAsync(eventId, TimeSpan.FromMinutes(minutesAgo));
        var (before, sent) = (await app.SnapshotAsync(), (await app.OutboxAsync()).Count);

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/cancel");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("has started", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
        await app.DeliverEventMailAsync();
        Assert.Equal(sent, (await app.OutboxAsync()).Count);
    }

    [Fact]
    public async Task EventUnderWay_TakesAnEditKeepingItsStart_ButRefusesAStartMovedIntoThePast_ChangingNothing()
    {
        var eventId = await app.PublishedEventAsync();
        var start = await app.StartEventAsync(eventId, TimeSpan.FromMinutes(30));

        var kept = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(title: "アルムナイ講演会（会場訂正）", start: start));

        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal("アルムナイ講演会（会場訂正）", (await app.AdminJsonAsync($"api/manage/events/{eventId}")).GetProperty("title").GetProperty("ja").GetString());

        var before = await app.SnapshotAsync();
        var moved = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(start: start.AddMinutes(-5)));

        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Equal("start", await FieldAsync(moved));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task EventUnderWay_RefusesAnEndMovedIntoThePast_ChangingNothingAndSendingNothing_ButTakesALaterEnd()
    {
        var eventId = await app.PublishedEventAsync();
        var start = await app.StartEventAsync(eventId, TimeSpan.FromMinutes(30));
        await app.DeliverEventMailAsync();
        var sent = (await app.OutboxAsync()).Count;
        var before = await app.SnapshotAsync();

        var past = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(start: start, end: start.AddMinutes(10)));

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal("end", await FieldAsync(past));
        Assert.Equal(before, await app.SnapshotAsync());
        await app.DeliverEventMailAsync();
        Assert.Equal(sent, (await app.OutboxAsync()).Count);

        var later = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(start: start, end: start.AddHours(3)));

        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task EditingAnEventThatHasEnded_Is409NamingTheRule_AndChangesNothing()
    {
        var eventId = await app.PublishedEventAsync();
        var start = await app.StartEventAsync(eventId, TimeSpan.FromHours(3));
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(title: "訂正", start: start));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("has ended", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }
}
