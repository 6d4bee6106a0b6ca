using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Functions.Tests.Admin;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Members with collaboration cards, requests through the admin API, and the queue handlers run as the host would.</summary>
internal static class CollaborationSeeds
{
    public const string RequestsPath = "api/manage/collaboration/requests";

    /// <summary>
    /// A member who left in June (past the quiet period), joined through the real form (agreeing to collaboration requests
    /// unless <paramref name="consent"/> is false), with a profile employer and a card written on the card page; listed
    /// (approved by an admin) unless <paramref name="listed"/> is false.
    /// </summary>
    public static async Task<AlumnusId> CollaboratorAsync(this TestApp app, string locale = "ja-JP", string employer = "山田商事株式会社",
        bool listed = true, bool employees = true, bool consent = true, bool paused = false)
    {
        var n = Guid.NewGuid().ToString("N")[..10];
        var (given, family) = locale == "ja-JP" ? ("花子", "山田") : ("Hanako", "Yamada");
        var departed = await app.PostSignedAsync(Departures.Body(employeeId: $"C{n}", lastWorkingDay: "2026-06-30", locale: locale,
            email: $"c{n}@example.net", givenName: given, familyName: family));
        departed.EnsureSuccessStatusCode();
        var id = AlumnusId.Parse((await departed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!);
        var join = new List<KeyValuePair<string, string>> { new("token", app.Token(LinkPurpose.Join, id)), new("membership", "yes") };
        if (consent)
        {
            join.Add(new("purpose", "Collaboration"));
        }

        (await app.Client.PostAsync("api/alumni/join", new FormUrlEncodedContent(join))).EnsureSuccessStatusCode();
        (await app.PostFormAsync(LinkPurpose.Profile, id, ("CurrentEmployer", employer))).EnsureSuccessStatusCode();
        var card = new List<(string, string)> { ("Company", employer), ("Offer", "決済システムの導入支援 / Payments integration"), ("Industry", "Finance"),
            ("Skills", "Python, 決済"), ("Location", "東京 Tokyo"), ("VisibleToMembers", "yes") };
        if (employees)
        {
            card.Add(("VisibleToEmployees", "yes"));
        }

        if (paused)
        {
            card.Add(("RequestsPaused", "yes"));
        }

        (await app.PostFormAsync(LinkPurpose.CollaborationCard, id, [.. card])).EnsureSuccessStatusCode();
        if (listed)
        {
            await app.ReviewCardAsync(id, "approve");
        }

        return id;
    }

    public static async Task ReviewCardAsync(this TestApp app, AlumnusId id, string decision, string? reason = null)
    {
        using var scope = app.Services.CreateScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<ModerateCards>().ReviewAsync(id.Value, new CardReview(decision, reason), null, "test-admin", CancellationToken.None);
        Assert.IsType<Core.Admin.AdminOutcome<Core.Collaboration.CollaborationCard>.Done>(outcome);
    }

    public static string RequestBody(AlumnusId id, string confidentiality = "Normal", string kind = "Employee", string name = "佐藤 一郎",
        string department = "法人営業部", string email = "sato.ichiro@corp.example.com", string reason = "決済分野での共同提案をご相談したく、ご連絡しました。") => new JsonObject
    {
        ["alumnusId"] = id.Value,
        ["requesterKind"] = kind,
        ["requesterName"] = name,
        ["requesterDepartment"] = department,
        ["requesterEmail"] = email,
        ["reason"] = reason,
        ["confidentiality"] = confidentiality,
    }.ToJsonString();

    public static Task<HttpResponseMessage> RequestCollaborationAsync(this TestApp app, AlumnusId id, string confidentiality = "Normal", string kind = "Employee") =>
        app.AdminAsync(HttpMethod.Post, RequestsPath, RequestBody(id, confidentiality, kind));

    /// <summary>Requests collaboration and returns the new request's id (201 or 202 expected).</summary>
    /// <param name="body">Another request (<see cref="RequestBody"/>) than the default one to <paramref name="id"/>.</param>
    public static async Task<string> RequestIdAsync(this TestApp app, AlumnusId id, string confidentiality = "Normal", HttpStatusCode expected = HttpStatusCode.Created,
        string? body = null)
    {
        var response = body is null ? await app.RequestCollaborationAsync(id, confidentiality) : await app.AdminAsync(HttpMethod.Post, RequestsPath, body);
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static string AnswerToken(this TestApp app, AlumnusId id, string requestId) =>
        app.Services.GetRequiredService<LinkTokenService>().Issue(LinkPurpose.CollaborationAnswer, app.Stored(id), requestId);

    public static string AnswerPath(this TestApp app, AlumnusId id, string requestId) =>
        $"{AlumniLinks.PathOf(LinkPurpose.CollaborationAnswer)}?token={Uri.EscapeDataString(app.AnswerToken(id, requestId))}";

    public static Task<HttpResponseMessage> AnswerAsync(this TestApp app, AlumnusId id, string requestId, string choice) =>
        app.Client.PostAsync(AlumniLinks.PathOf(LinkPurpose.CollaborationAnswer),
            new FormUrlEncodedContent([KeyValuePair.Create("token", app.AnswerToken(id, requestId)), KeyValuePair.Create("choice", choice)]));

    /// <summary>
    /// Runs the dispatcher and hands the collaboration and conflict messages to their functions, as the host would, once
    /// the conflict checks written before a profile save or a register change, and the requester's work written before an
    /// answer, are due (intent first, a moment later).
    /// </summary>
    /// <returns>How many messages were handled.</returns>
    public static async Task<int> RunCollaborationWorkAsync(this TestApp app)
    {
        await app.WaitForIntentWorkAsync(WorkKinds.ConflictCheck, WorkKinds.ConflictRegister, WorkKinds.CollaborationAnswer);
        var dispatch = await app.Client.PostAsync("DispatchDueWork", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, dispatch.StatusCode);
        var outputs = (await dispatch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Outputs");
        var handled = 0;
        foreach (var (binding, function) in new[] { ("conflictChecks", "CheckConflicts"), ("collaborationMail", "SendCollaborationMail") })
        {
            if (!outputs.TryGetProperty(binding, out var messages))
            {
                continue;
            }

            foreach (var message in messages.EnumerateArray())
            {
                var envelope = "{\"Data\":{\"message\":" + message.GetRawText() + "},\"Metadata\":{\"DeliveryCount\":1}}";
                var response = await app.Client.PostAsync(function, new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                handled++;
            }
        }

        return handled;
    }
}
