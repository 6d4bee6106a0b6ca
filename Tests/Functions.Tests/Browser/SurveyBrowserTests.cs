using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Playwright;

namespace AlumniNetwork.Functions.Tests.Browser;

/// <summary>The survey page on a phone in Japanese and English, by label and keyboard; the report page in the console.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SurveyBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp app = null!;
    private string surveyId = "";

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(azurite);
        surveyId = await app.PublishedSurveyAsync();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<ResponseTally> TallyAsync() =>
        ResponseTally.Sum((await app.Services.GetRequiredService<ISurveyResponseStore>().CellsAsync(surveyId, CancellationToken.None)).Select(c => c.Tally));

    private Task<IPage> PhoneAsync(string locale, string path) => browser.OpenOnPhoneAsync(app, locale, path);

    [Fact]
    public async Task Japanese_OneClickFromTheEmailIsAnAnswer_ThenTheRestOfTheSurveyIsAdded()
    {
        var member = (await app.SeedMembersAsync(1, [ConsentPurpose.Surveys]))[0];
        var page = await PhoneAsync("ja-JP", app.SurveyPath(surveyId, member.Id) + "&score=9");

        Assert.Equal("ja-JP", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("選んだ数字の回答を保存しました");
        Assert.Equal(1, (await TallyAsync()).Of("recommend").CountOf("9"));

        // The page the click opened is the survey itself, the score chosen and the rest to answer.
        var recommend = page.GetByRole(AriaRole.Group, new() { Name = "1. 当社を働く場所として勧めますか *" });
        Assert.True(await recommend.GetByLabel("9", new() { Exact = true }).IsCheckedAsync());
        await Assertions.Expect(page.GetByText("このアンケートは匿名です")).ToBeVisibleAsync();
        await page.GetByLabel("給与").CheckAsync();
        await page.GetByLabel("成長機会").CheckAsync();
        await page.GetByLabel("プロジェクト単位なら").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "回答を送信する" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("回答を保存しました");
        var tally = await TallyAsync();
        Assert.Equal((1, 1, 1, 1), (tally.Responses, tally.Of("topics").CountOf("pay"), tally.Of("topics").CountOf("growth"), tally.Of("back").CountOf("ForAProject")));
    }

    [Fact]
    public async Task English_MissingAnswerIsNamed_ThenTheConditionalQuestionIsAnswered_WithTheKeyboardAlone()
    {
        var member = (await app.SeedMembersAsync(1, [ConsentPurpose.Surveys], _ => Locale.English))[0];
        var page = await PhoneAsync("en-US", app.SurveyPath(surveyId, member.Id));

        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing has been saved yet");
        await Assertions.Expect(page.Locator("#q-recommend-error")).ToHaveTextAsync("This question must be answered.");
        Assert.Equal("true", await page.GetByRole(AriaRole.Group, new() { Name = "1. How likely are you to recommend working here? *" }).GetByLabel("0", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        Assert.Equal(0, (await TallyAsync()).Responses);

        await page.GetByRole(AriaRole.Group, new() { Name = "1. How likely are you to recommend working here? *" }).GetByLabel("3", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(page.GetByText("Answer only if you answered")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "3. Why is that?" }).FillAsync("Little room to grow <honestly>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Thank you: your answers are saved.");
        var tally = await TallyAsync();
        Assert.Equal((1, 1, 1), (tally.Responses, tally.Of("recommend").CountOf("3"), tally.Of("why").Answered));
    }

    [Fact]
    public async Task Report_ShowsChartsThatReadWithoutColour_TablesAndTheCsv_AndHidesSmallGroups()
    {
        var members = await app.SeedMembersAsync(7, [ConsentPurpose.Surveys]);
        var scores = new[] { "10", "9", "9", "8", "6", "3", "10" };
        for (var i = 0; i < members.Count; i++)
        {
            (await app.AnswerAsync(surveyId, members[i].Id, ("recommend", scores[i]), ("back", i % 2 == 0 ? "Yes" : "No"))).EnsureSuccessStatusCode();
        }

        var page = await browser.SignInAsync(app, "en-US", AdminRoles.Viewer, $"api/console/surveys/{surveyId}");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alumni survey <script>x</script>", Level = 1 })).ToBeVisibleAsync();
        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Answers to question 1" });
        await Assertions.Expect(chart).ToBeVisibleAsync();
        // The chart's description states every value, and each bar is labelled with its value: colour carries nothing alone.
        Assert.Contains("10: 2", await page.Locator("#q-recommend-chart-desc").TextContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Answers to question 1" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download the aggregates as CSV" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Question 1", Exact = true })).ToContainTextAsync("eNPS");

        // Markets (3 of the 7: members 1, 3, 5) is a small group: filtering shows nothing about it, and nothing about Retail Banking beside it.
        await page.GetByLabel("Filter by").SelectOptionAsync("Department");
        await page.GetByLabel("Value").FillAsync("Markets");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Filtered: Department = Markets")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Answers to question 1" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Hidden (small group)")).ToBeVisibleAsync();
    }
}
