using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Events;

/// <summary>Create, read, update, publish and cancel through the admin API on Azurite, with the engine's recording double.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventAdminFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<JsonElement> EventAsync(string id) => await app.AdminJsonAsync($"api/manage/events/{id}");

    [Fact]
    public async Task CreateRepeatedWithItsKey_IsOneEvent_AnsweredWithIt_AndAnotherBodyIs409NamingTheKey()
    {
        var body = EventSeeds.Body();
        var first = await app.AdminCreateAsync("api/manage/events", body, "retry-1");
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var before = await app.SnapshotAsync();

        var again = await app.AdminCreateAsync("api/manage/events", body, "retry-1");
        var other = await app.AdminCreateAsync("api/manage/events", body.Replace("Alumni lecture", "Another lecture", StringComparison.Ordinal), "retry-1");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict), (first.StatusCode, again.StatusCode, other.StatusCode));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Contains("\"Idempotency-Key\"", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task Create_ThenPublish_StartsTheInvitationCampaignOnce_AndSchedulesTheReminder()
    {
        var created = await app.AdminAsync(HttpMethod.Post, "api/manage/events", EventSeeds.Body(audience: """{"departments":["Retail Banking"],"returnInterests":["ProjectWork"]}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal($"/api/manage/events/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("Draft", (await EventAsync(id)).GetProperty("status").GetString());
        var campaigns = app.Services.GetRequiredService<ICampaignStore>();
        Assert.Null(await campaigns.GetAsync($"event-{id}-invitation", CancellationToken.None));

        var published = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{id}/publish");
        var etag = (await app.RowsAsync(AlumniTables.Events)).Single().ETag;
        var again = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{id}/publish");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (published.StatusCode, again.StatusCode));
        Assert.Equal(etag, (await app.RowsAsync(AlumniTables.Events)).Single().ETag);
        var campaign = (await campaigns.GetAsync($"event-{id}-invitation", CancellationToken.None))!;
        Assert.Equal((CampaignKind.EventInvitation, id), (campaign.Kind, campaign.SourceId));
        Assert.Equal(["Retail Banking"], campaign.Audience.Departments);
        Assert.Equal(AdminApi.DevelopmentSubject, campaign.RequestedBy);
        var work = (await app.RowsAsync(AlumniTables.WorkItems)).Select(r => (r.GetString("Kind"), r.GetString("SubjectId"))).Order().ToArray();
        Assert.Equal([("campaign-plan", $"event-{id}-invitation"), ("event-published", id), ("event-reminder", id)], work);
        Assert.Equal(["event.created", "event.published"], (await app.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")).Order());

        // The start written before the save, in case the call failed after it, finds the campaign started and completes.
        await Task.Delay(Core.Events.EventWork.WriteGrace);
        await app.DeliverEventMailAsync();
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") == "event-published");
        Assert.Equal(campaign.ETag, (await campaigns.GetAsync($"event-{id}-invitation", CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task PublishWhoseCampaignStartNeverRan_TheWorkWrittenBeforeTheSaveStartsTheInvitations()
    {
        var id = await app.PublishedEventAsync();
        // As if the call had died after the save: the campaign and its planning are gone, the work written first is not.
        var table = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.WorkItems);
        foreach (var row in (await app.RowsAsync(AlumniTables.WorkItems)).Where(r => r.GetString("Kind") == "campaign-plan"))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var campaigns = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.Campaigns);
        foreach (var row in await app.RowsAsync(AlumniTables.Campaigns))
        {
            await campaigns.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        await Task.Delay(Core.Events.EventWork.WriteGrace);
        await app.DeliverEventMailAsync();

        var campaign = (await app.Services.GetRequiredService<ICampaignStore>().GetAsync($"event-{id}-invitation", CancellationToken.None))!;
        Assert.Equal((CampaignKind.EventInvitation, id, AdminApi.DevelopmentSubject), (campaign.Kind, campaign.SourceId, campaign.RequestedBy));
        var work = (await app.RowsAsync(AlumniTables.WorkItems)).Select(r => r.GetString("Kind")).Order().ToArray();
        Assert.Equal(["campaign-plan", "event-reminder"], work);
    }

    [Fact]
    public async Task EventPublishedItemDeliveredTwice_AndAgainAfterTheCampaignEnded_InvitesEachPersonOnce()
    {
        var members = await app.SeedMembersAsync(4, [ConsentPurpose.Events]);
        var id = await app.PublishedEventAsync();
        var campaignId = $"event-{id}-invitation";
        await Task.Delay(Core.Events.EventWork.WriteGrace);

        // The queue delivers at least once: the publish item comes twice, before the campaign's planning has run.
        var published = Assert.Single(await RunDueWorkAsync(redeliverPublished: true));
        var invitations = (await app.OutboxAsync()).Where(m => m.Categories.Contains("Events")).Select(m => Assert.Single(m.To)).Order().ToArray();
        Assert.Equal(members.Select(m => m.PersonalEmail.Value).Order(), invitations);
        var progress = await app.AdminJsonAsync($"api/manage/campaigns/{campaignId}");
        Assert.Equal(("Completed", members.Count), (progress.GetProperty("status").GetString(), progress.GetProperty("sent").GetInt32()));
        var campaignRows = await app.RowsAsync(AlumniTables.Campaigns);

        // And once more after the campaign has finished, as a redelivery late by the message's lock time would.
        await app.InvokeAsync("SendEventMail", published);
        await RunDueWorkAsync(redeliverPublished: false);

        Assert.Equal([campaignId], (await app.AdminJsonAsync("api/manage/campaigns")).EnumerateArray().Select(c => c.GetProperty("campaignId").GetString()));
        Assert.Equal(invitations.Length, (await app.OutboxAsync()).Count);
        Assert.Equal(progress.GetRawText(), (await app.AdminJsonAsync($"api/manage/campaigns/{campaignId}")).GetRawText());
        Assert.Equal(campaignRows.Select(r => (r.RowKey, r.ETag)), (await app.RowsAsync(AlumniTables.Campaigns)).Select(r => (r.RowKey, r.ETag)));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") is "event-published" or "campaign-plan" or "campaign-batch");
    }

    /// <summary>
    /// Dispatches and hands each message to its function, as the host would, until no work is due; with
    /// <paramref name="redeliverPublished"/>, each <c>event-published</c> message is handed over twice.
    /// </summary>
    /// <returns>The <c>event-published</c> messages dispatched.</returns>
    private async Task<List<JsonElement>> RunDueWorkAsync(bool redeliverPublished)
    {
        var functions = new Dictionary<string, string> { ["eventMail"] = "SendEventMail", ["campaignPlans"] = "PlanCampaign", ["campaignBatches"] = "SendCampaignBatch" };
        var published = new List<JsonElement>();
        for (var round = 0; round < 10; round++)
        {
            var dispatch = await app.Client.PostAsync("DispatchDueWork", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"));
            var outputs = (await dispatch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Outputs").EnumerateObject().ToArray();
            if (outputs.Length == 0)
            {
                return published;
            }

            foreach (var output in outputs)
            {
                foreach (var message in output.Value.EnumerateArray())
                {
                    var isPublished = message.GetProperty("kind").GetString() == "event-published";
                    published.AddRange(isPublished ? [message.Clone()] : []);
                    for (var delivery = 0; delivery < (isPublished && redeliverPublished ? 2 : 1); delivery++)
                    {
                        await app.InvokeAsync(functions[output.Name], message);
                    }
                }
            }
        }

        throw new InvalidOperationException("Work was still due after ten dispatches.");
    }

    [Fact]
    public async Task View_ShowsLocalTimesAsEnteredAndTheSeatCounts()
    {
        var body = EventSeeds.Body(capacity: 40);
        var id = await app.CreateEventAsync(body);

        var view = await EventAsync(id);

        var sent = JsonDocument.Parse(body).RootElement;
        Assert.Equal(sent.GetProperty("start").GetString(), view.GetProperty("start").GetString());
        Assert.Equal("Asia/Tokyo", view.GetProperty("timeZone").GetString());
        Assert.Equal((40, 0, 0), (view.GetProperty("capacity").GetInt32(), view.GetProperty("attending").GetInt32(), view.GetProperty("waitlisted").GetInt32()));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { EventSeeds.Body().Replace("\"capacity\":2", "\"capacity\":0", StringComparison.Ordinal), "capacity" },
        { EventSeeds.Body(deadlineFromNow: TimeSpan.FromDays(31)), "registrationDeadline" },
        { EventSeeds.Body(audience: """{"salaryBand":"A"}"""), "audience.salaryBand" },
        { EventSeeds.Body().Replace("\"kind\":\"LectureSeries\"", "\"kind\":\"Party\"", StringComparison.Ordinal), "kind" },
        { """{"title":{"ja":"x","en":"x"},"kind":"Seminar","start":"2099-01-01T10:00","end":"2099-01-01T09:00","timeZone":"Asia/Tokyo","venue":"x","capacity":5}""", "end" },
        { """{"title":{"ja":"x","en":"x"},"kind":"Seminar","start":"0001-01-01T00:00","end":"0001-01-01T09:00","timeZone":"Asia/Tokyo","venue":"x","capacity":5}""", "start" },
        { """{"title":{"ja":"x","en":"x"},"kind":"Seminar","start":"2099-01-01T10:00","end":"9999-12-31T23:59","timeZone":"America/Los_Angeles","venue":"x","capacity":5}""", "end" },
        { "not json", "$" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBody_Returns400NamingTheField_AndStoresNothing(string body, string field)
    {
        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task BadUpdate_Returns400AndChangesNothing()
    {
        var id = await app.CreateEventAsync();
        var etag = (await app.RowsAsync(AlumniTables.Events)).Single().ETag;
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{id}", EventSeeds.Body().Replace("\"capacity\":2", "\"capacity\":-1", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(etag, (await app.RowsAsync(AlumniTables.Events)).Single().ETag);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task Update_ReplacesTheDetails()
    {
        var id = await app.CreateEventAsync();

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{id}", EventSeeds.Body(capacity: 50, title: "新しい題名"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await EventAsync(id);
        Assert.Equal(("新しい題名", 50), (view.GetProperty("title").GetProperty("ja").GetString(), view.GetProperty("capacity").GetInt32()));
    }

    [Fact]
    public async Task Cancel_StopsTheCampaign_AndACancelledEventCannotBePublishedOrChanged()
    {
        var id = await app.PublishedEventAsync();

        var cancelled = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{id}/cancel");
        var etag = (await app.RowsAsync(AlumniTables.Events)).Single().ETag;
        var publish = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{id}/publish");
        var update = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{id}", EventSeeds.Body());

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(CampaignStatus.Stopped, (await app.Services.GetRequiredService<ICampaignStore>().GetAsync($"event-{id}-invitation", CancellationToken.None))!.Status);
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (publish.StatusCode, update.StatusCode));
        Assert.Equal(etag, (await app.RowsAsync(AlumniTables.Events)).Single().ETag);
    }

    [Fact]
    public async Task WithoutAnAdminToken_Returns401_AndWithoutTheRole403_StoringNothing()
    {
        var none = await app.SendAsync(HttpMethod.Post, "api/manage/events", token: null, EventSeeds.Body());
        var wrongRole = await app.SendAsync(HttpMethod.Post, "api/manage/events", app.Token("Alumni.Reader"), EventSeeds.Body());

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (none.StatusCode, wrongRole.StatusCode));
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task UnknownEvent_Returns404NamingTheEvent()
    {
        var id = new string('a', 32);

        foreach (var response in new[]
        {
            await app.AdminAsync(HttpMethod.Get, $"api/manage/events/{id}"),
            await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{id}/publish"),
            await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{id}/cancel"),
            await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{id}", EventSeeds.Body()),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("No event", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task NotJsonOrOversized_Get415And413()
    {
        var text = await app.AdminAsync(HttpMethod.Post, "api/manage/events", EventSeeds.Body(), "text/plain");
        var huge = await app.AdminAsync(HttpMethod.Post, "api/manage/events", EventSeeds.Body().Replace("Talk and drinks", new string('x', 70_000), StringComparison.Ordinal));

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, HttpStatusCode.RequestEntityTooLarge), (text.StatusCode, huge.StatusCode));
        Assert.Equal(0, await app.CountAllRowsAsync());
    }
}
