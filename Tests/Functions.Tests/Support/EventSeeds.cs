using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Events created and answered through the real admin API and RSVP page.</summary>
internal static class EventSeeds
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public static string Local(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Tokyo).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An event 30 days from now (or from <paramref name="start"/>), two hours long, in Tokyo, registration open
    /// until <paramref name="deadlineFromNow"/> (with a start given and no deadline: until the start).</summary>
    public static string Body(int capacity = 2, TimeSpan? deadlineFromNow = null, string title = "アルムナイ講演会", string? audience = null, DateTimeOffset? start = null, DateTimeOffset? end = null)
    {
        var deadline = deadlineFromNow is null && start is { } given ? given : TimeProvider.System.GetUtcNow() + (deadlineFromNow ?? TimeSpan.FromDays(20));
        start ??= TimeProvider.System.GetUtcNow().AddDays(30);
        var body = new JsonObject
        {
            ["title"] = new JsonObject { ["ja"] = title, ["en"] = "Alumni lecture" },
            ["description"] = new JsonObject { ["ja"] = "講演と懇親会 <script>alert(1)</script>", ["en"] = "Talk and drinks <script>alert(1)</script>" },
            ["kind"] = "LectureSeries",
            ["start"] = Local(start.Value),
            ["end"] = Local(end ?? start.Value.AddHours(2)),
            ["timeZone"] = "Asia/Tokyo",
            ["venue"] = "本社 20F ホール",
            ["onlineUrl"] = "https://meet.example.com/alumni-lecture",
            ["capacity"] = capacity,
            ["registrationDeadline"] = Local(deadline),
            ["hosts"] = new JsonArray(new JsonObject { ["name"] = "佐藤 一郎", ["role"] = "Employee", ["title"] = "CFO" }),
        };
        if (audience is not null)
        {
            body["audience"] = JsonNode.Parse(audience);
        }

        return body.ToJsonString();
    }

    public static async Task<string> CreateEventAsync(this TestApp app, string? body = null)
    {
        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/events", body ?? Body());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static async Task<string> PublishedEventAsync(this TestApp app, int capacity = 2, TimeSpan? deadlineFromNow = null)
    {
        var id = await app.CreateEventAsync(Body(capacity, deadlineFromNow));
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{id}/publish")).StatusCode);
        return id;
    }

    /// <summary>
    /// Moves a published event's start (and end) so that it began <paramref name="ago"/> before now, as time would: the
    /// API refuses a start in the past, and attendance can be marked only once an event is under way. The start is to the
    /// minute, as the API's body gives it, so a body with <see cref="Body"/>'s <c>start</c> keeps it.
    /// </summary>
    /// <returns>The new start.</returns>
    public static async Task<DateTimeOffset> StartEventAsync(this TestApp app, string eventId, TimeSpan? ago = null)
    {
        var table = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.Events);
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(eventId, "event")).Value;
        var start = TimeProvider.System.GetUtcNow() - (ago ?? TimeSpan.FromMinutes(10));
        start = new DateTimeOffset(start.Ticks - start.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        (row["StartsAt"], row["EndsAt"]) = (start, start.AddHours(2));
        await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
        return start;
    }

    public static string RsvpToken(this TestApp app, string eventId, AlumnusId alumnusId) =>
        app.Services.GetRequiredService<LinkTokenService>().Issue(LinkPurpose.Rsvp, app.Stored(alumnusId), $"event-{eventId}", TimeProvider.System.GetUtcNow().AddDays(60));

    public static string RsvpPath(this TestApp app, string eventId, AlumnusId alumnusId) =>
        $"api/alumni/rsvp?token={Uri.EscapeDataString(app.RsvpToken(eventId, alumnusId))}";

    public static Task<HttpResponseMessage> RsvpAsync(this TestApp app, string eventId, AlumnusId alumnusId, string choice) =>
        app.Client.PostAsync("api/alumni/rsvp", new FormUrlEncodedContent([KeyValuePair.Create("token", app.RsvpToken(eventId, alumnusId)), KeyValuePair.Create("choice", choice)]));

    /// <summary>A former employee with a unique employee id and address.</summary>
    public static Task<AlumnusId> PersonAsync(this TestApp app, string locale = "ja-JP")
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        return locale == "ja-JP"
            ? app.SeedAsync($"E{n}", $"p{n}@example.net", "花子", "山田")
            : app.SeedLocaleAsync($"E{n}", $"p{n}@example.net", locale);
    }

    private static async Task<AlumnusId> SeedLocaleAsync(this TestApp app, string employeeId, string email, string locale)
    {
        var response = await app.PostSignedAsync(Departures.Body(employeeId: employeeId, email: email, locale: locale, givenName: "Hanako", familyName: "Yamada"));
        response.EnsureSuccessStatusCode();
        return AlumnusId.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!);
    }

    /// <summary>
    /// Runs the dispatcher and hands every event-mail message to SendEventMail, as the host would. Notice work falls due a
    /// moment after the change it announces (<see cref="EventWork.WriteGrace"/>): this waits for it first.
    /// </summary>
    public static async Task<int> DeliverEventMailAsync(this TestApp app)
    {
        await app.WaitForDueWorkAsync(WorkKinds.EventNotices);
        return await app.DeliverAsync("eventMail", "SendEventMail");
    }
}
