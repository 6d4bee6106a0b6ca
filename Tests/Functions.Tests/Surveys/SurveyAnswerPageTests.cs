using System.Net;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Surveys;

/// <summary>The survey page through its real endpoint: one-click scores, the form, its rules, and pages that refuse.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SurveyAnswerPageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;
    private string surveyId = "";
    private IReadOnlyList<Alumnus> members = [];

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(azurite);
        surveyId = await app.PublishedSurveyAsync();
        members = await app.SeedMembersAsync(3, [ConsentPurpose.Surveys], i => i == 1 ? Locale.English : Locale.Japanese);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<ResponseTally> TallyAsync() =>
        ResponseTally.Sum((await app.Services.GetRequiredService<ISurveyResponseStore>().CellsAsync(surveyId, CancellationToken.None)).Select(c => c.Tally));

    [Theory]
    [InlineData(0, "記述式のご回答は、お名前を除いたうえで、書かれたとおりに社内で読まれます。ご自身が特定される内容は書かないでください。")]
    [InlineData(1, "Written answers are read as you wrote them, without your name: leave out anything that identifies you.")]
    public async Task AnonymousPageWithAFreeTextQuestion_SaysWrittenAnswersAreReadAsWritten_InTheNoteAndUnderTheBox(int member, string note)
    {
        var page = await app.Client.GetStringAsync(app.SurveyPath(surveyId, members[member].Id));
        var attributedId = await app.PublishedSurveyAsync("Attributed");
        var attributed = await app.Client.GetStringAsync(app.SurveyPath(attributedId, members[member].Id));

        // Once in the note of how answers are kept, once in the hint the one free-text box is described by.
        Assert.Equal(2, page.Split(note).Length - 1);
        Assert.Matches("id=\"q-why-hint\">[^<]*" + System.Text.RegularExpressions.Regex.Escape(note), page);
        Assert.DoesNotContain(note, attributed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "ja-JP", "このアンケートは匿名です", "当社を働く場所として勧めますか *", "回答を送信する")]
    [InlineData(1, "en-US", "This survey is anonymous", "How likely are you to recommend working here? *", "Send my answers")]
    public async Task Page_SpeaksTheAlumnusLanguage_SaysHowAnswersAreKept_AndEscapesTheTitle(int member, string lang, string mode, string question, string send)
    {
        var page = await app.Client.GetStringAsync(app.SurveyPath(surveyId, members[member].Id));

        Assert.Contains($"<html lang=\"{lang}\">", page, StringComparison.Ordinal);
        Assert.Contains(mode, page, StringComparison.Ordinal);
        Assert.Contains(question, page, StringComparison.Ordinal);
        Assert.Contains(send, page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Answer_AfterErasureBegan_Gets410BilingualPageAndStoresNothing(int member)
    {
        // In an anonymous survey the first answer writes a guard under the person's pseudonym, which the erasure deletes.
        await app.StopErasureAfterItsFirstWriteAsync(members[member].Id);
        var before = await app.SnapshotAsync();

        var response = await app.AnswerAsync(surveyId, members[member].Id, ("recommend", "9"), ("back", "Yes"));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("お客様のデータは保持していません", html, StringComparison.Ordinal);
        Assert.Contains("We hold no data about you", html, StringComparison.Ordinal);
        Assert.Equal(0, (await TallyAsync()).Responses);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData(0, "7件以上集まった集団")]
    [InlineData(1, "groups of at least 7 people")]
    public async Task Page_StatesTheSurveysOwnThreshold(int member, string note)
    {
        var k7 = await app.PublishedSurveyAsync(k: 7);

        var page = await app.Client.GetStringAsync(app.SurveyPath(k7, members[member].Id));

        Assert.Contains(note, page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "5件以上集まった集団", "3件以上")]
    [InlineData(1, "groups of at least 5 people", "at least 3")]
    public async Task Page_OfAVersionStoredWithKBelowTheFloor_StatesTheThresholdItsResultsUse(int member, string note, string stored)
    {
        // A version stored with k=3 before the floor of 5 (a draft can no longer say 3): its results hide groups under 5.
        var store = app.Services.GetRequiredService<ISurveyStore>();
        var id = await app.CreateSurveyAsync();
        var survey = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Null(survey.Edit(survey.Draft! with { MinimumGroupSize = 3 }, TimeProvider.System.GetUtcNow()));
        Assert.True(await store.TryUpdateAsync(survey, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{id}/publish")).StatusCode);
        Assert.Equal(3, (await store.GetVersionAsync(id, 1, CancellationToken.None))!.MinimumGroupSize);

        var page = await app.Client.GetStringAsync(app.SurveyPath(id, members[member].Id));

        Assert.Contains(note, page, StringComparison.Ordinal);
        Assert.DoesNotContain(stored, page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "選んだ数字の回答を保存しました", "残りの質問にもお答えください", "改善すべき点", "回答を送信する")]
    [InlineData(1, "the number you chose is saved", "answer the rest of the survey", "What should we change?", "Send my answers")]
    public async Task ClickedScore_IsAlreadyAnAnswer_AndThePageOpensWithItChosen(int member, string saved, string rest, string otherQuestion, string send)
    {
        var response = await app.Client.GetAsync(app.SurveyPath(surveyId, members[member].Id) + "&score=9");

        var page = await response.Content.ReadAsStringAsync();
        var tally = await TallyAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(saved, page, StringComparison.Ordinal);
        Assert.Contains(rest, page, StringComparison.Ordinal);
        Assert.Contains("name=\"q-recommend\" value=\"9\" checked", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"8\" checked", page, StringComparison.Ordinal);
        Assert.Contains(otherQuestion, page, StringComparison.Ordinal);
        Assert.Contains("name=\"q-topics\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"q-back\"", page, StringComparison.Ordinal);
        Assert.Contains($"<button type=\"submit\">{send}</button>", page, StringComparison.Ordinal);
        Assert.Equal((1, 1), (tally.Responses, tally.Of("recommend").CountOf("9")));
    }

    [Fact]
    public async Task ScoreClickedAgain_IsCountedOnce_TheLastOneWins_AndOtherAnswersStay()
    {
        (await app.AnswerAsync(surveyId, members[0].Id, ("recommend", "8"), ("topics", "pay"), ("back", "ForAProject"))).EnsureSuccessStatusCode();

        await app.Client.GetAsync(app.SurveyPath(surveyId, members[0].Id) + "&score=9");
        await app.Client.GetAsync(app.SurveyPath(surveyId, members[0].Id) + "&score=3");

        var tally = await TallyAsync();
        Assert.Equal(1, tally.Responses);
        Assert.Equal((0, 0, 1), (tally.Of("recommend").CountOf("8"), tally.Of("recommend").CountOf("9"), tally.Of("recommend").CountOf("3")));
        Assert.Equal((1, 1), (tally.Of("topics").CountOf("pay"), tally.Of("back").CountOf("ForAProject")));
        var page = await app.Client.GetStringAsync(app.SurveyPath(surveyId, members[0].Id));
        Assert.Contains("value=\"3\" checked", page, StringComparison.Ordinal);
        Assert.Contains("value=\"pay\" checked", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreClickedThatHidesTheFollowUp_DropsItsAnswer_FromTheCountsAndTheComments()
    {
        (await app.AnswerAsync(surveyId, members[0].Id, ("recommend", "2"), ("why", "残業が多すぎました"), ("back", "No"))).EnsureSuccessStatusCode();

        var clicked = await app.Client.GetAsync(app.SurveyPath(surveyId, members[0].Id) + "&score=9");

        Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        var tally = await TallyAsync();
        Assert.Equal((1, 0, 1, 1), (tally.Responses, tally.Of("why").Answered, tally.Of("recommend").CountOf("9"), tally.Of("back").CountOf("No")));
        var rows = await app.RowsAsync(AlumniTables.SurveyResponses);
        Assert.DoesNotContain(rows, r => r.PartitionKey == surveyId && r.RowKey.StartsWith("t-", StringComparison.Ordinal));
        var page = await app.Client.GetStringAsync(app.SurveyPath(surveyId, members[0].Id));
        Assert.DoesNotContain("残業が多すぎました", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrefetchOfAScoreLink_RecordsNothing()
    {
        var before = await app.SnapshotAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, app.SurveyPath(surveyId, members[0].Id) + "&score=10");
        request.Headers.Add("Sec-Purpose", "prefetch");

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task TextAtTheBrowsersLimitWithCrlfLineBreaks_IsAccepted_AndKeptWithLf()
    {
        // 191 characters and 9 line breaks: 200 as the browser's maxlength counts them, 209 as CRLF on the wire.
        var text = string.Join("\r\n", Enumerable.Repeat(new string('あ', 19), 9).Append(new string('あ', 20)));

        var response = await app.AnswerAsync(surveyId, members[0].Id, ("recommend", "1"), ("why", text));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await app.Client.GetStringAsync(app.SurveyPath(surveyId, members[0].Id));
        Assert.Contains(text.Replace("\r\n", "\n", StringComparison.Ordinal), page, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> BadForms => new()
    {
        { "score out of range", ["recommend=11"] },
        { "score not a number", ["recommend=nine"] },
        { "two scores", ["recommend=1", "recommend=2"] },
        { "unknown option", ["recommend=5", "topics=salary"] },
        { "too many choices", ["recommend=5", "topics=pay", "topics=growth", "topics=hours"] },
        { "text over the limit", ["recommend=1", "why=" + new string('あ', 201)] },
        { "text with a text-direction character", ["recommend=1", "why=ok\u202Eko"] },
        { "text with a paragraph separator", ["recommend=1", "why=ok\u2029ko"] },
        { "required answer missing", ["topics=pay"] },
        { "answer to a hidden conditional question", ["recommend=9", "why=because"] },
        { "unknown return intent", ["recommend=9", "back=Maybe"] },
        { "unknown question", ["recommend=9", "salary=1"] },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task BadAnswers_Return400WithTheMessageOnTheQuestion_AndSaveNothing(string what, string[] fields)
    {
        var before = await app.SnapshotAsync();
        var form = fields.Select(f => KeyValuePair.Create("q-" + f[..f.IndexOf('=', StringComparison.Ordinal)], f[(f.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .Prepend(KeyValuePair.Create("token", app.SurveyToken(surveyId, members[1].Id)));

        var response = await app.Client.PostAsync("api/alumni/survey", new FormUrlEncodedContent(form));

        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
        Assert.Contains("Nothing has been saved yet", page, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData("11")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("")]
    public async Task BadClickedScore_Returns400_AndSavesNothing(string score)
    {
        var before = await app.SnapshotAsync();

        var response = await app.Client.GetAsync(app.SurveyPath(surveyId, members[0].Id) + "&score=" + Uri.EscapeDataString(score));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task ConditionalQuestion_IsTakenWhenItApplies()
    {
        var response = await app.AnswerAsync(surveyId, members[2].Id, ("recommend", "2"), ("why", "残業が多すぎました"), ("topics", "hours"), ("topics", "pay"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, 1), ((await TallyAsync()).Of("why").Answered, (await TallyAsync()).Of("topics").CountOf("hours")));
    }

    [Fact]
    public async Task ClosedSurvey_Answers410WithAClearPage_AndSavesNothing()
    {
        await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{surveyId}/close");
        var before = await app.SnapshotAsync();

        var clicked = await app.Client.GetAsync(app.SurveyPath(surveyId, members[0].Id) + "&score=9");
        var posted = await app.AnswerAsync(surveyId, members[0].Id, ("recommend", "9"));

        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.Gone), (clicked.StatusCode, posted.StatusCode));
        Assert.Contains("回答受付は終了しました", await clicked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task LinkToADraftOrToAnUnpublishedVersion_Answers404_AndSavesNothing()
    {
        var draft = await app.CreateSurveyAsync();
        var before = await app.SnapshotAsync();

        var toDraft = await app.AnswerAsync(app.SurveyToken(draft, members[0].Id), ("recommend", "9"));
        var toVersion2 = await app.AnswerAsync(app.SurveyToken(surveyId, members[0].Id, version: 2), ("recommend", "9"));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (toDraft.StatusCode, toVersion2.StatusCode));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task LinkWithoutASurveyScope_IsNotASurveyLink()
    {
        var response = await app.Client.GetAsync(app.PathFor(Core.Links.LinkPurpose.Survey, members[0].Id));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SavedAnswers_ComeBackFilledIn_AndAChangeReplacesThem()
    {
        await app.AnswerAsync(surveyId, members[1].Id, ("recommend", "4"), ("why", "Few chances <b>to grow</b>"), ("back", "No"));

        var page = await app.Client.GetStringAsync(app.SurveyPath(surveyId, members[1].Id));
        var changed = await app.AnswerAsync(surveyId, members[1].Id, ("recommend", "10"), ("back", "Yes"));

        Assert.Contains("Few chances &lt;b&gt;to grow&lt;/b&gt;</textarea>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"No\" checked", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var tally = await TallyAsync();
        Assert.Equal((1, 0, 1, 0), (tally.Responses, tally.Of("why").Answered, tally.Of("back").CountOf("Yes"), tally.Of("back").CountOf("No")));
    }
}
