using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Tests.Console;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Surveys;

/// <summary>The console's report page of a survey, on Azurite, as a viewer sees it in either language.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SurveyReportPageTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite, AdminRoles.Viewer)
{
    [Fact]
    public async Task AWaveTheTrendHides_SaysItHasTooFewResponses_InsteadOfEmptyTables_InJapaneseAndEnglish()
    {
        // w01=20, w02=7, w03=2 at k=5: the trend shows w01 only, so w02 shows nothing at all.
        var surveyId = await App.PublishedSurveyAsync();
        await App.SeedCellAsync(surveyId, "w01", 20);
        await App.SeedCellAsync(surveyId, "w02", 7);
        await App.SeedCellAsync(surveyId, "w03", 2);

        var japanese = await Admin.GetPageAsync($"/api/console/surveys/{surveyId}?wave=w02");
        var shownJapanese = await Admin.GetPageAsync($"/api/console/surveys/{surveyId}?wave=w01");
        await Admin.GetAsync("/api/console/language?to=en&back=" + Uri.EscapeDataString("/api/console/home"));
        var english = await Admin.GetPageAsync($"/api/console/surveys/{surveyId}?wave=w02");
        var filteredEnglish = await Admin.GetPageAsync($"/api/console/surveys/{surveyId}?wave=w02&by=Department&value=Retail%20Banking");
        var shownEnglish = await Admin.GetPageAsync($"/api/console/surveys/{surveyId}?wave=w01");

        Assert.Contains("この回は回答が少ない (回答が5件未満、または差し引きで少数の回答が分かる) ため、結果を表示しません。", japanese, StringComparison.Ordinal);
        Assert.DoesNotContain("別の回答数と eNPS", japanese, StringComparison.Ordinal);
        Assert.DoesNotContain("この回は回答が少ない", shownJapanese, StringComparison.Ordinal);
        Assert.Contains("部署別の回答数と eNPS", shownJapanese, StringComparison.Ordinal);
        foreach (var page in new[] { english, filteredEnglish })
        {
            Assert.Contains("This wave has too few responses to show: fewer than 5, or few enough to be revealed by subtraction.", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Responses and eNPS by", page, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("This wave has too few responses", shownEnglish, StringComparison.Ordinal);
        Assert.Contains("集計は回答5件ごと (回答の変更は5件ごと)、およびアンケートの終了時に更新されます。", shownJapanese, StringComparison.Ordinal);
        Assert.Contains("次の更新を待つ回答: 新規 0 件、変更 0 件。", shownJapanese, StringComparison.Ordinal);
        Assert.Contains("The figures update after every 5 answers (or 5 changed answers) and when the survey closes.", shownEnglish, StringComparison.Ordinal);
        Assert.Contains("Waiting for the next update: 0 new, 0 changed.", shownEnglish, StringComparison.Ordinal);
        Assert.Contains("Responses and eNPS by department", shownEnglish, StringComparison.Ordinal);
    }
}
