using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Azure.Storage.Queues;

namespace AlumniNetwork.Functions.Tests.EndToEnd;

/// <summary>
/// A lifecycle survey wave as it runs locally: the daily timer's invocation finds who is due today → their wave's
/// campaign → DispatchDueWork → PlanCampaign → SendCampaignBatch → the SendGrid sink; then people click a score in
/// their email or send the form, and the report in the console shows the results, threshold and all.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class SurveyWaveTests(AzuriteFixture azurite)
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    [Fact]
    public async Task DueWave_EmailsThePeopleDueToday_TheirClicksAreAnswers_AndTheReportShowsThem()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString);
        foreach (var name in new[] { "campaign-plans", "campaign-batches", "campaign-plans-deadletter", "campaign-batches-deadletter" })
        {
            await queues.GetQueueClient(name).CreateIfNotExistsAsync();
            await queues.GetQueueClient(name).ClearMessagesAsync();
        }

        await using var app = await TestApp.StartAsync(azurite, WelcomeQueue.LocalRunSettings());
        await ClearOfTokyoMidnightAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), Tokyo).DateTime);
        var due = await app.SeedMembersAsync(6, [ConsentPurpose.Surveys], i => i % 2 == 0 ? Locale.Japanese : Locale.English, today.AddDays(-90), i => $"due{i}@example.net");
        await app.SeedMembersAsync(2, [ConsentPurpose.Newsletter], lastWorkingDay: today.AddDays(-90), email: i => $"noconsent{i}@example.net");
        await app.SeedMembersAsync(3, [ConsentPurpose.Surveys], lastWorkingDay: today.AddDays(-89), email: i => $"tomorrow{i}@example.net");
        var surveyId = await app.PublishedSurveyAsync("Anonymous", k: 5);

        await FireTimerAsync(app);
        await Eventually.TrueAsync(async () => (await app.OutboxAsync()).Count >= 6, "the wave reached everyone due who consented", seconds: 120);
        await FireTimerAsync(app);

        var mails = await app.OutboxAsync();
        Assert.Equal(due.Select(m => m.PersonalEmail.Value).Order(), mails.Select(m => m.To[0]).Order());
        var campaignId = $"survey-{surveyId}-v1-w01-{today:yyyyMMdd}";
        Assert.All(mails, m => Assert.Equal(campaignId, m.CustomArgs["campaign"]));
        var english = mails.First(m => m.To[0] == "due1@example.net");
        Assert.Contains("This survey is anonymous", english.Text!, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", english.Html!, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await app.AdminJsonAsync($"api/manage/campaigns/{campaignId}")).GetProperty("status").GetString() == "Completed", "the wave's campaign completed");
        Assert.Equal(2, (await app.AdminJsonAsync($"api/manage/campaigns/{campaignId}")).GetProperty("skipped").GetProperty("no-consent:Surveys").GetInt32());

        // Five click a score in their email; the sixth sends the whole form after clicking.
        var scores = new[] { 10, 9, 9, 7, 3, 0 };
        for (var i = 0; i < mails.Count; i++)
        {
            var mail = mails.Single(m => m.To[0] == $"due{i}@example.net");
            var clicked = await app.Client.GetAsync(ScoreLink(mail, scores[i]).PathAndQuery.TrimStart('/'));
            Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        }

        var last = mails.Single(m => m.To[0] == "due5@example.net");
        var token = Uri.UnescapeDataString(Regex.Match(ScoreLink(last, 0).Query, "token=([^&]+)").Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, (await app.AnswerAsync(token, ("recommend", "0"), ("why", "評価が不透明でした"), ("topics", "pay"), ("back", "No"))).StatusCode);

        using var viewer = await ConsoleClient.SignedInAsync(app, AdminRoles.Viewer);
        var report = await viewer.GetPageAsync($"/api/console/surveys/{surveyId}");
        // The console speaks the company's language (Japanese) to a browser that names none.
        Assert.Contains("<td>回答数</td><td>6</td>", Compact(report), StringComparison.Ordinal);
        Assert.Contains("<td>依頼数(送信)</td><td>6</td>", Compact(report), StringComparison.Ordinal);
        Assert.Contains("<td>回答率</td><td>100%</td>", Compact(report), StringComparison.Ordinal);
        // 3 promoters, 2 detractors of 6: 16.7 points.
        Assert.Contains("16.7", report, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", report, StringComparison.Ordinal);
        Assert.DoesNotContain("due0@example.net", report, StringComparison.Ordinal);
        var csv = await (await viewer.GetAsync($"/api/console/surveys/{surveyId}/results.csv")).Content.ReadAsStringAsync();
        Assert.Contains("answer,1,all,all,recommend,9,9,2,,,", csv, StringComparison.Ordinal);
    }

    private static Uri ScoreLink(OutboxMail mail, int score) =>
        new(ScoreLinks().Matches(mail.Text!).Single(m => m.Groups[1].Value == score.ToString(System.Globalization.CultureInfo.InvariantCulture)).Groups[2].Value);

    private static string Compact(string html) => Whitespace().Replace(html, "");

    /// <summary>
    /// Waits for Tokyo's next day when its midnight is under three minutes away: the test and each run of the timer
    /// work out "today" apart, and the people due tomorrow must stay tomorrow's.
    /// </summary>
    private static async Task ClearOfTokyoMidnightAsync()
    {
        var now = TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), Tokyo).DateTime;
        var left = now.Date.AddDays(1) - now;
        if (left < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(left + TimeSpan.FromSeconds(1));
        }
    }

    private static async Task FireTimerAsync(TestApp app)
    {
        var envelope = new JsonObject
        {
            ["Data"] = new JsonObject { ["timer"] = new JsonObject { ["Schedule"] = new JsonObject(), ["IsPastDue"] = false } },
            ["Metadata"] = new JsonObject(),
        };
        (await app.Client.PostAsJsonAsync("RunSurveyWaves", envelope)).EnsureSuccessStatusCode();
    }

    [GeneratedRegex(@"^(\d{1,2}): (\S+&score=\d{1,2})$", RegexOptions.Multiline)]
    private static partial Regex ScoreLinks();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
