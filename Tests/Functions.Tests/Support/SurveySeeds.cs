using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Admin;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Surveys created and published through the real admin API, and answered through the real survey page.</summary>
internal static class SurveySeeds
{
    /// <summary>
    /// A survey of four questions: recommend (0–10, required), topics (pick up to 2), why (free text, only after a score of 0–6)
    /// and back (would you return). Lifecycle: 90 days, then yearly.
    /// </summary>
    public static string Body(string mode = "Anonymous", int k = 5, string title = "退職者アンケート <script>x</script>", string? closesAt = null, bool lifecycle = true)
    {
        var body = new JsonObject
        {
            ["title"] = new JsonObject { ["ja"] = title, ["en"] = "Alumni survey <script>x</script>" },
            ["introduction"] = new JsonObject { ["ja"] = "率直なご意見をお聞かせください。", ["en"] = "Tell us frankly what you think." },
            ["mode"] = mode,
            ["questions"] = new JsonArray(
                new JsonObject { ["id"] = "recommend", ["kind"] = "Scale0To10", ["required"] = true,
                    ["text"] = new JsonObject { ["ja"] = "当社を働く場所として勧めますか", ["en"] = "How likely are you to recommend working here?" } },
                new JsonObject { ["id"] = "topics", ["kind"] = "MultipleChoice", ["maxChoices"] = 2,
                    ["text"] = new JsonObject { ["ja"] = "改善すべき点", ["en"] = "What should we change?" },
                    ["options"] = new JsonArray(
                        new JsonObject { ["id"] = "pay", ["text"] = new JsonObject { ["ja"] = "給与", ["en"] = "Pay" } },
                        new JsonObject { ["id"] = "growth", ["text"] = new JsonObject { ["ja"] = "成長機会", ["en"] = "Growth" } },
                        new JsonObject { ["id"] = "hours", ["text"] = new JsonObject { ["ja"] = "労働時間", ["en"] = "Hours" } }) },
                new JsonObject { ["id"] = "why", ["kind"] = "FreeText", ["maxLength"] = 200,
                    ["text"] = new JsonObject { ["ja"] = "その理由は", ["en"] = "Why is that?" },
                    ["showIf"] = new JsonObject { ["question"] = "recommend", ["answers"] = new JsonArray("0", "1", "2", "3", "4", "5", "6") } },
                new JsonObject { ["id"] = "back", ["kind"] = "ReturnIntent", ["text"] = new JsonObject { ["ja"] = "当社に戻ることを考えますか", ["en"] = "Would you consider returning?" } }),
            ["reminderAfterDays"] = 7,
            ["minimumGroupSize"] = k,
        };
        if (lifecycle)
        {
            body["lifecycle"] = new JsonObject { ["waves"] = new JsonArray(new JsonObject { ["days"] = 90 }), ["repeatEveryMonths"] = 12 };
        }

        if (closesAt is not null)
        {
            body["closesAt"] = closesAt;
        }

        return body.ToJsonString();
    }

    public static async Task<string> CreateSurveyAsync(this TestApp app, string? body = null)
    {
        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/surveys", body ?? Body());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static async Task<string> PublishedSurveyAsync(this TestApp app, string mode = "Anonymous", int k = 5, string? body = null)
    {
        var id = await app.CreateSurveyAsync(body ?? Body(mode, k));
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/publish")).StatusCode);
        return id;
    }

    /// <summary>A published survey moved to its last version (<see cref="SurveyCampaigns.MaxVersion"/>), as if published that many times.</summary>
    public static async Task<string> LastVersionSurveyAsync(this TestApp app)
    {
        var id = await app.PublishedSurveyAsync();
        var store = app.Services.GetRequiredService<ISurveyStore>();
        var read = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.True(await store.TryUpdateAsync(Survey.Restore(id, read.Status, null, SurveyCampaigns.MaxVersion, read.Current, read.CreatedAt, read.CreatedBy,
            read.UpdatedAt, read.PublishedAt, read.ClosedAt, read.LifecycleDoneThrough, read.ETag), CancellationToken.None));
        return id;
    }

    /// <summary>The token a wave's email carries for <paramref name="alumnusId"/>.</summary>
    public static string SurveyToken(this TestApp app, string surveyId, AlumnusId alumnusId, string wave = "w01", int version = 1) =>
        app.Services.GetRequiredService<LinkTokenService>().Issue(LinkPurpose.Survey, app.Stored(alumnusId), new SurveyWave(surveyId, version, wave).Scope);

    public static string SurveyPath(this TestApp app, string surveyId, AlumnusId alumnusId, string wave = "w01", int version = 1) =>
        $"api/alumni/survey?token={Uri.EscapeDataString(app.SurveyToken(surveyId, alumnusId, wave, version))}";

    /// <summary>Posts the survey form as the page would (answers as <c>q-{question}</c> fields).</summary>
    public static Task<HttpResponseMessage> AnswerAsync(this TestApp app, string surveyId, AlumnusId alumnusId, params (string Question, string Value)[] answers) =>
        app.AnswerAsync(app.SurveyToken(surveyId, alumnusId), answers);

    /// <summary>
    /// Stores the aggregate cell of <paramref name="responses"/> responses in a wave of version 1 (each scoring 9, the
    /// first <paramref name="topics"/> of them also ticking "pay"), with one response row, as an answer would.
    /// </summary>
    /// <param name="expected">What the save comes to: <see cref="SurveySave.Closed"/>, nothing written, once the survey closed.</param>
    public static async Task SeedCellAsync(this TestApp app, string surveyId, string wave, int responses, int topics = 0, SurveySave expected = SurveySave.Saved)
    {
        var content = (await app.Services.GetRequiredService<ISurveyStore>().GetVersionAsync(surveyId, 1, CancellationToken.None))!;
        var cohort = new Cohort(2024, "Retail Banking", DepartureReason.Voluntary, TenureBand.ThreeToFiveYears);
        var key = new SurveyWave(surveyId, 1, wave);
        var tally = new ResponseTally();
        SurveyAnswers Answers(int i) => new(new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["recommend"] = ["9"], ["topics"] = i < topics ? ["pay"] : [] });
        for (var i = 0; i < responses; i++)
        {
            tally.Add(content, Answers(i), +1);
        }

        var response = new SurveyResponse(key, Guid.NewGuid().ToString("N"), cohort, Answers(0), null, TimeProvider.System.GetUtcNow(), CommentKey: Guid.NewGuid().ToString("N"));
        Assert.Equal(expected, await app.Services.GetRequiredService<ISurveyResponseStore>().TrySaveAsync(null, response, new SurveyCell(key, cohort, tally), CommentChanges.None, CancellationToken.None));
    }

    public static Task<HttpResponseMessage> AnswerAsync(this TestApp app, string token, params (string Question, string Value)[] answers) =>
        app.Client.PostAsync("api/alumni/survey", new FormUrlEncodedContent(
            answers.Select(a => KeyValuePair.Create("q-" + a.Question, a.Value)).Prepend(KeyValuePair.Create("token", token))));
}
