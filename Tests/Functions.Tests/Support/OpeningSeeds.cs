using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.Tests.Admin;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Openings and candidates created through the real admin API, HRIS webhook, join form and profile page.</summary>
internal static class OpeningSeeds
{
    /// <summary>A project opening in Retail Banking, Tokyo, wanting Python, with a mailbox at the development sending domain.</summary>
    public static string Body(string kind = "ShortTermProject", string confidentiality = "Normal", string status = "Open", string title = "リスク管理プロジェクト <b>",
        string? department = "Retail Banking", string? location = "Tokyo", string[]? skills = null)
    {
        var body = new JsonObject
        {
            ["title"] = new JsonObject { ["ja"] = title, ["en"] = "Risk project <b>" },
            ["description"] = new JsonObject { ["ja"] = "半年間のプロジェクトです。\n週3日から。<script>", ["en"] = "A six-month project.\nThree days a week. <script>" },
            ["kind"] = kind,
            ["skills"] = new JsonArray((skills ?? ["Python", "リスク管理"]).Select(s => (JsonNode?)s).ToArray()),
            ["start"] = Day(30),
            ["recruiterMailbox"] = "careers@example.com",
            ["confidentiality"] = confidentiality,
            ["status"] = status,
        };
        if (kind is "ShortTermProject" or "Advisory")
        {
            body["end"] = Day(210);
        }

        if (department is not null)
        {
            body["department"] = department;
        }

        if (location is not null)
        {
            body["location"] = location;
        }
        else
        {
            body["remote"] = true;
        }

        return body.ToJsonString();
    }

    /// <summary>A date <paramref name="days"/> from today (UTC), as <c>yyyy-MM-dd</c>.</summary>
    public static string Day(int days) => Day(Today, days);

    /// <summary>
    /// A date <paramref name="days"/> from <paramref name="from"/>, as <c>yyyy-MM-dd</c>: a test that compares dates it
    /// made at different moments takes today once, so a midnight in between changes nothing.
    /// </summary>
    public static string Day(DateOnly from, int days) => from.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly Today => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    public static async Task<string> CreateOpeningAsync(this TestApp app, string? body = null)
    {
        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/openings", body ?? Body());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A member who left 200 days ago (past the quiet period), joined with <paramref name="purposes"/>, and whose profile
    /// says how they would return, their skills and location; <paramref name="shared"/> profile fields are visible to employees.
    /// </summary>
    public static async Task<AlumnusId> CandidateAsync(this TestApp app, string name, string locale = "ja-JP", string returning = "ProjectWork",
        string skills = "Python, SQL", string location = "Tokyo", string[]? purposes = null, string[]? shared = null, string? email = null, string? employeeId = null)
    {
        var body = JsonNode.Parse(Departures.Body(employeeId: employeeId ?? $"E-{name}", email: email ?? $"{name}@example.net", locale: locale,
            givenName: name, familyName: "Alumnus", lastWorkingDay: Day(-200)))!;
        body["data"]!["hireDate"] = Day(-3000);
        var departed = await app.PostSignedAsync(body.ToJsonString());
        departed.EnsureSuccessStatusCode();
        var id = AlumnusId.Parse((await departed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!);
        var join = new List<KeyValuePair<string, string>> { new("token", app.Token(LinkPurpose.Join, id)), new("membership", "yes") };
        join.AddRange((purposes ?? ["JobOffers"]).Select(p => KeyValuePair.Create("purpose", p)));
        (await app.Client.PostAsync("api/alumni/join", new FormUrlEncodedContent(join))).EnsureSuccessStatusCode();
        var profile = new List<(string, string)> { ("OpenToReturning", returning), ("Skills", skills), ("Location", location), ("CurrentEmployer", $"{name} Trading") };
        profile.AddRange((shared ?? []).Select(f => ($"{f}.visibility", "Employees")));
        (await app.PostFormAsync(LinkPurpose.Profile, id, [.. profile])).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>What a send leaves when its campaign's start failed after SentAt was saved: marked sent, with no campaign.</summary>
    public static async Task<Opening> MarkSentWithoutItsCampaignAsync(this TestApp app, string id)
    {
        var store = app.Services.GetRequiredService<IOpeningStore>();
        var opening = (await store.GetAsync(id, CancellationToken.None))!;
        opening.SentAt = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Assert.True(await store.TryUpdateAsync(opening, CancellationToken.None));
        return opening;
    }

    public static string OpeningsToken(this TestApp app, AlumnusId id, string? openingId = null) =>
        app.Services.GetRequiredService<LinkTokenService>().Issue(LinkPurpose.Openings, app.Stored(id), openingId is null ? null : $"opening:{openingId}");

    public static string OpeningsPath(this TestApp app, AlumnusId id, string? openingId = null) =>
        $"api/alumni/openings?token={Uri.EscapeDataString(app.OpeningsToken(id, openingId))}";

    /// <summary>The signed token of the first link to <paramref name="path"/> in the mail's text part.</summary>
    public static string TokenIn(Functions.DevSendGrid.OutboxMail mail, string path) =>
        Uri.UnescapeDataString(Regex.Match(mail.Text!, Regex.Escape(path) + @"\?token=([^\s&]+)").Groups[1].Value);

    public static Task<HttpResponseMessage> InterestAsync(this TestApp app, AlumnusId id, string openingId, string choice = "interest", string note = "", string? token = null) =>
        app.Client.PostAsync("api/alumni/openings", new FormUrlEncodedContent(
        [
            KeyValuePair.Create("token", token ?? app.OpeningsToken(id)), KeyValuePair.Create("opening", openingId),
            KeyValuePair.Create("choice", choice), KeyValuePair.Create("note", note),
        ]));

    /// <summary>Posts an <c>employee.hired</c> signed as the HR system would.</summary>
    public static Task<HttpResponseMessage> HiredAsync(this TestApp app, string employeeId, string hireDate, string? email = null)
    {
        var data = new JsonObject { ["employeeId"] = employeeId, ["hireDate"] = hireDate };
        if (email is not null)
        {
            data["personalEmail"] = email;
        }

        return app.PostSignedAsync(new JsonObject { ["type"] = "employee.hired", ["timestamp"] = "2026-11-30T09:00:00Z", ["data"] = data }.ToJsonString());
    }

    /// <summary>The hires in <c>Rehires</c>, without the claims of returns stored beside them.</summary>
    public static async Task<List<Azure.Data.Tables.TableEntity>> HireRowsAsync(this TestApp app) =>
        (await app.RowsAsync(Core.Storage.AlumniTables.Rehires)).Where(r => r.PartitionKey != Core.Storage.TableRehireStore.ReturnsPartition).ToList();

    public static async Task<Alumnus> AlumnusAsync(this TestApp app, AlumnusId id) =>
        (await app.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!;

    /// <summary>What the conflict-of-interest evaluation writes for a current employer on the register.</summary>
    public static async Task FlagAsync(this TestApp app, AlumnusId id, string category = "Competitor")
    {
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var alumnus = (await store.GetAsync(id, CancellationToken.None))!;
        alumnus.ConflictOfInterest = new ConflictFlag("entry-competitor", category, TimeProvider.System.GetUtcNow());
        Assert.True(await store.TryUpdateAsync(alumnus, CancellationToken.None));
    }
}
