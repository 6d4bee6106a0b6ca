using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Surveys;

/// <summary>
/// What is stored when people answer, on Azurite: one answer per person however many submissions race; in an anonymous
/// survey nothing in any table that links an answer to its author, and after closing not even the pseudonym; in an
/// attributed survey the answers in the person's export, and gone on erasure while the results keep counting them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SurveyPrivacyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<ResponseTally> TallyAsync(string surveyId) =>
        ResponseTally.Sum((await app.Services.GetRequiredService<ISurveyResponseStore>().CellsAsync(surveyId, CancellationToken.None)).Select(c => c.Tally));

    [Theory]
    [InlineData("Anonymous")]
    [InlineData("Attributed")]
    public async Task ConcurrentSubmissionsOfOnePerson_AreOneAnswer_TheLastSavedWins(string mode)
    {
        var surveyId = await app.PublishedSurveyAsync(mode);
        var member = (await app.SeedMembersAsync(1, [ConsentPurpose.Surveys]))[0];
        var token = app.SurveyToken(surveyId, member.Id);

        // Every lost write means another submission was saved, so MaxAttempts racing submissions all get through.
        var responses = await Task.WhenAll(Enumerable.Range(0, Core.Surveys.AnswerSurvey.MaxAttempts).Select(i =>
            app.AnswerAsync(token, ("recommend", (i % 11).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("back", "Yes"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tally = await TallyAsync(surveyId);
        Assert.Equal((1, 1, 1), (tally.Responses, tally.Of("recommend").Answered, tally.Of("back").CountOf("Yes")));
        Assert.Equal(1, tally.Of("recommend").Counts.Values.Sum());
        var rows = await app.RowsAsync(AlumniTables.SurveyResponses);
        Assert.Single(rows, r => r.RowKey.StartsWith("r-", StringComparison.Ordinal));
        Assert.Equal(mode == "Anonymous" ? 1 : 0, rows.Count(r => r.RowKey.StartsWith("g-", StringComparison.Ordinal)));
        var saved = rows.Single(r => r.RowKey.StartsWith("r-", StringComparison.Ordinal));
        Assert.Contains($"\"{tally.Of("recommend").Counts.Single(c => c.Value == 1).Key}\"", saved.GetString("Answers0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentFirstAnswersOfManyPeople_AreEachCountedOnce()
    {
        var surveyId = await app.PublishedSurveyAsync();
        // Two submissions each, all racing for one aggregate cell: no more racers than a submission has attempts.
        var members = await app.SeedMembersAsync(Core.Surveys.AnswerSurvey.MaxAttempts / 2, [ConsentPurpose.Surveys]);

        var responses = await Task.WhenAll(members.SelectMany(m => new[] { "9", "10" }.Select(score => app.AnswerAsync(surveyId, m.Id, ("recommend", score)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tally = await TallyAsync(surveyId);
        Assert.Equal((members.Count, members.Count), (tally.Responses, tally.Of("recommend").Answered));
    }

    [Fact]
    public async Task AnonymousAnswers_LeaveNothingInAnyTableThatLinksThemToTheirAuthors_AndClosingDestroysThePseudonyms()
    {
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var members = await app.SeedMembersAsync(6, [ConsentPurpose.Surveys], email: i => $"anon{i}@example.net");
        var before = (await app.SnapshotAsync()).ToHashSet(StringComparer.Ordinal);

        foreach (var m in members)
        {
            (await app.AnswerAsync(surveyId, m.Id, ("recommend", "4"), ("why", $"理由 {m.FamilyName}"), ("back", "Yes"))).EnsureSuccessStatusCode();
        }

        var changed = (await app.SnapshotAsync()).Where(r => !before.Contains(r)).ToArray();
        Assert.All(changed, row => Assert.StartsWith(AlumniTables.SurveyResponses + "|", row, StringComparison.Ordinal));
        var identifying = members.SelectMany(m => new[] { m.Id.Value, m.PersonalEmail.Value, m.EmployeeId, m.GivenName + " " + m.FamilyName }).ToArray();
        foreach (var table in AlumniTables.All.Except([AlumniTables.Alumni, AlumniTables.Consents, AlumniTables.AlumniIndex]))
        {
            foreach (var row in await app.RowsAsync(table))
            {
                var text = string.Join("|", row.Select(p => $"{p.Key}={p.Value}"));
                Assert.DoesNotContain(identifying, id => text.Contains(id, StringComparison.Ordinal));
                Assert.False(row.ContainsKey("AlumnusId") && table == AlumniTables.SurveyResponses, $"{table} row {row.RowKey} names an alumnus");
            }
        }

        Assert.Equal(6, (await app.RowsAsync(AlumniTables.SurveyResponses)).Count(r => r.RowKey.StartsWith("g-", StringComparison.Ordinal)));

        (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{surveyId}/close")).EnsureSuccessStatusCode();

        var after = await app.RowsAsync(AlumniTables.SurveyResponses);
        Assert.DoesNotContain(after, r => r.RowKey.StartsWith("g-", StringComparison.Ordinal));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Surveys), r => r.PartitionKey == surveyId && r.RowKey == "key");
        // A response row holds its author's whole cohort beside their answers: joined to the alumni records, one alone in
        // their cohort would be named. Only the cells and the comment rows stay.
        Assert.DoesNotContain(after, r => r.RowKey.StartsWith("r-", StringComparison.Ordinal));
        Assert.Equal(6, after.Count(r => r.RowKey.StartsWith("t-", StringComparison.Ordinal)));
        Assert.Equal(6, (await TallyAsync(surveyId)).Responses);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnAnswerChangedAsTheSurveyCloses_IsRefused_AndTheFinalFiguresCountItOnce(bool click)
    {
        // The page reads the survey as open; the close then writes Closed and deletes the guard and the response; the
        // page reads no guard, and a fresh guard, response and +1 would land in a cell that still counts the first answer.
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var member = (await app.SeedMembersAsync(1, [ConsentPurpose.Surveys]))[0];
        (await app.AnswerAsync(surveyId, member.Id, ("recommend", "4"), ("back", "Yes"))).EnsureSuccessStatusCode();
        using var scope = app.Services.CreateScope();
        var store = new InterleavedSurveyStore(scope.ServiceProvider.GetRequiredService<ISurveyStore>())
        {
            AfterNextKeyRead = async () => (await app.AdminAsync(HttpMethod.Post, $"api/manage/surveys/{surveyId}/close")).EnsureSuccessStatusCode(),
        };
        var answer = ActivatorUtilities.CreateInstance<Core.Surveys.AnswerSurvey>(scope.ServiceProvider, store);
        var token = app.SurveyToken(surveyId, member.Id);

        var view = click
            ? await answer.ClickAsync(token, "9", CancellationToken.None)
            : await answer.SubmitAsync(token, new SurveyAnswers(new Dictionary<string, IReadOnlyList<string>> { ["recommend"] = ["9"], ["back"] = ["No"] }), CancellationToken.None);

        Assert.Equal(SurveyPageStatus.Closed, view.Status);
        var tally = await TallyAsync(surveyId);
        Assert.Equal((1, 1, 0, 1), (tally.Responses, tally.Of("recommend").CountOf("4"), tally.Of("recommend").CountOf("9"), tally.Of("back").CountOf("Yes")));
        var rows = await app.RowsAsync(AlumniTables.SurveyResponses);
        Assert.DoesNotContain(rows, r => r.RowKey.StartsWith("g-", StringComparison.Ordinal) || r.RowKey.StartsWith("r-", StringComparison.Ordinal) || r.RowKey == "open");
    }

    [Fact]
    public async Task AnOpenSurveyPublishedBeforeTheOpenMarker_StillTakesAnswers_AndGetsTheMarker()
    {
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var member = (await app.SeedMembersAsync(1, [ConsentPurpose.Surveys]))[0];
        await app.Tables.GetTableClient(app.TablePrefix + AlumniTables.SurveyResponses).DeleteEntityAsync(surveyId, "open");

        var response = await app.AnswerAsync(surveyId, member.Id, ("recommend", "4"), ("back", "Yes"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await TallyAsync(surveyId)).Responses);
        Assert.Contains(await app.RowsAsync(AlumniTables.SurveyResponses), r => r.PartitionKey == surveyId && r.RowKey == "open");
    }

    [Fact]
    public async Task AttributedAnswers_AreInThePersonsExport_WithTheSurveysTheyWereSent()
    {
        var surveyId = await app.PublishedSurveyAsync("Attributed");
        var member = await app.MemberAsync("en-US", "Surveys");
        (await app.AnswerAsync(surveyId, member, ("recommend", "7"), ("back", "ForAProject"))).EnsureSuccessStatusCode();

        var export = await (await app.PostFormAsync(LinkPurpose.Export, member)).Content.ReadFromJsonAsync<JsonElement>();

        var answers = export.GetProperty("surveys").GetProperty("attributedAnswers").EnumerateArray().Single();
        Assert.Equal((surveyId, "w01"), (answers.GetProperty("survey").GetString(), answers.GetProperty("wave").GetString()));
        Assert.Contains(answers.GetProperty("answers").EnumerateArray(), a => a.GetProperty("question").GetString() == "back" && a.GetProperty("values")[0].GetString() == "ForAProject");
        Assert.Equal(JsonValueKind.Array, export.GetProperty("surveys").GetProperty("sent").ValueKind);
    }

    [Fact]
    public async Task AttributedAnswers_AreOnThePersonsConsolePage_Escaped_WhileAnonymousOnesAreNot()
    {
        var attributed = await app.PublishedSurveyAsync("Attributed");
        var anonymous = await app.PublishedSurveyAsync("Anonymous");
        var member = await app.MemberAsync("ja-JP", "Surveys");
        (await app.AnswerAsync(attributed, member, ("recommend", "3"), ("why", "<b>評価</b>が不透明"), ("back", "ForAProject"))).EnsureSuccessStatusCode();
        (await app.AnswerAsync(anonymous, member, ("recommend", "2"), ("why", "匿名の理由"))).EnsureSuccessStatusCode();
        using var admin = await ConsoleClient.SignedInAsync(app, Core.Admin.AdminRoles.Admin);

        var page = await admin.GetPageAsync($"/api/console/alumni/{member.Value}");

        Assert.Contains("記名式アンケートへの回答", page, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;評価&lt;/b&gt;が不透明", page, StringComparison.Ordinal);
        Assert.Contains("プロジェクト単位なら", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>評価</b>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("匿名の理由", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousAnswers_AreNotInTheExport()
    {
        var surveyId = await app.PublishedSurveyAsync("Anonymous");
        var member = await app.MemberAsync("en-US", "Surveys");
        (await app.AnswerAsync(surveyId, member, ("recommend", "7"))).EnsureSuccessStatusCode();

        var export = await (await app.PostFormAsync(LinkPurpose.Export, member)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Empty(export.GetProperty("surveys").GetProperty("attributedAnswers").EnumerateArray());
        Assert.DoesNotContain("\"recommend\"", export.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasure_DeletesAttributedAnswers_AndAnonymousGuards_WhileTheResultsKeepCountingThem()
    {
        var attributed = await app.PublishedSurveyAsync("Attributed");
        var anonymous = await app.PublishedSurveyAsync("Anonymous");
        var member = await app.MemberAsync("ja-JP", "Surveys");
        (await app.AnswerAsync(attributed, member, ("recommend", "2"), ("why", "人事評価が不透明"))).EnsureSuccessStatusCode();
        (await app.AnswerAsync(anonymous, member, ("recommend", "8"))).EnsureSuccessStatusCode();

        (await app.PostFormAsync(LinkPurpose.Erase, member)).EnsureSuccessStatusCode();

        var rows = await app.RowsAsync(AlumniTables.SurveyResponses);
        Assert.DoesNotContain(rows, r => r.PartitionKey == attributed && r.RowKey.StartsWith("r-", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.PartitionKey == anonymous && r.RowKey.StartsWith("g-", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => string.Join("|", r.Select(p => p.Value)).Contains(member.Value, StringComparison.Ordinal));
        Assert.Equal((1, 1), ((await TallyAsync(attributed)).Responses, (await TallyAsync(attributed)).Of("why").Answered));
        Assert.Equal(1, (await TallyAsync(anonymous)).Responses);
    }
}
