using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using AlumniNetwork.Bench.IntakeLoad;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

// Survey results at scale, in one process against an Azurite it starts: the function app is hosted in process with its
// Development settings; a survey is published and answered by N people through the real answer use case (signed link,
// rules, the response, its guard and its aggregate cell in one transaction), spread over 4 waves, 8 departments, 10
// departure years, 5 reasons and 5 tenure bands (thousands of aggregate cells); then a viewer signed in on the
// development page times the report page, a filtered report, one wave, the CSV and the free-text answers (the JSON
// results API reads the same SurveyResults use case as the report page). Exits non-zero when any of them took 2 s or more.
// Usage: dotnet run -c Release --project bench/SurveyResults -- [responses=10000] [requests=20] [concurrency=16]
var responses = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
var root = Repository.Root();
await using var azurite = await AzuriteProcess.StartAsync(root);
var tables = new TableServiceClient(azurite.ConnectionString);
await using var product = await ProductHost.StartAsync(root, tables, azurite.ConnectionString, "b");
var services = product.Services;
var now = TimeProvider.System.GetUtcNow();

// The survey: four questions, lifecycle waves at 90 days and a year (then yearly), published.
string surveyId;
using (var scope = services.CreateScope())
{
    var manage = scope.ServiceProvider.GetRequiredService<ManageSurveys>();
    var created = await manage.CreateAsync(Encoding.UTF8.GetBytes("""
        {"title": {"ja": "退職者アンケート", "en": "Alumni survey"}, "mode": "Anonymous", "minimumGroupSize": 5,
         "questions": [
           {"id": "recommend", "kind": "Scale0To10", "required": true, "text": {"ja": "推奨度", "en": "Recommend?"}},
           {"id": "topics", "kind": "MultipleChoice", "maxChoices": 2, "text": {"ja": "改善点", "en": "Change?"},
            "options": [{"id": "pay", "text": {"ja": "給与", "en": "Pay"}}, {"id": "growth", "text": {"ja": "成長", "en": "Growth"}}, {"id": "hours", "text": {"ja": "時間", "en": "Hours"}}]},
           {"id": "why", "kind": "FreeText", "maxLength": 500, "text": {"ja": "理由", "en": "Why?"}},
           {"id": "back", "kind": "ReturnIntent", "text": {"ja": "戻りますか", "en": "Return?"}}],
         "lifecycle": {"waves": [{"days": 90}, {"months": 12}], "repeatEveryMonths": 12}}
        """), "bench", null, CancellationToken.None);
    surveyId = ((AlumniNetwork.Core.Admin.AdminOutcome<SurveyView>.Done)created).Value.Id;
    await manage.PublishAsync(surveyId, null, "bench", CancellationToken.None);
}

// The respondents: alumni rows written through the app's store.
string[] departments = ["Retail Banking", "Markets", "IT", "Risk", "Legal", "HR", "Operations", "Audit"];
var people = Enumerable.Range(0, responses).Select(i => new Alumnus
{
    Id = AlumnusId.New(),
    EmployeeId = $"B{i:D7}",
    GivenName = "花子",
    FamilyName = $"Bench{i}",
    PersonalEmail = EmailAddress.Parse($"bench{i}@example.net"),
    Department = departments[i % departments.Length],
    HireDate = new DateOnly(2000 + (i % 15), 4, 1),
    LastWorkingDay = new DateOnly(2016 + (i / 8 % 10), 1 + (i % 12), 15),
    Reason = (DepartureReason)(i / 80 % 5),
    Locale = Locale.Japanese,
    Status = AlumnusStatus.Joined,
    WelcomeDueAt = now.AddDays(-400),
    RecordedAt = now.AddDays(-400),
}).ToArray();
var seeding = Stopwatch.StartNew();
var alumni = services.GetRequiredService<IAlumniStore>();
await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (a, ct) => await alumni.AddAsync(a, ct));
var seeded = seeding.Elapsed;

// The answers, through the answer use case as the page calls it.
string[] waves = ["w01", "w02", "w03", "aspring"];
var tokens = services.GetRequiredService<LinkTokenService>();
var answering = Stopwatch.StartNew();
var refused = 0;
await Parallel.ForEachAsync(Enumerable.Range(0, responses), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    using var scope = services.CreateScope();
    var token = tokens.Issue(LinkPurpose.Survey, people[i], new SurveyWave(surveyId, 1, waves[i % waves.Length]).Scope);
    var values = new Dictionary<string, IReadOnlyList<string>>
    {
        ["recommend"] = [(i * 7 % 11).ToString(CultureInfo.InvariantCulture)],
        ["topics"] = i % 3 == 0 ? ["pay", "growth"] : ["hours"],
        ["back"] = [((ReturnIntent)(i % 3)).ToString()],
    };
    if (i % 5 == 0)
    {
        values["why"] = [$"コメント {i}"];
    }

    var view = await scope.ServiceProvider.GetRequiredService<AnswerSurvey>().SubmitAsync(token, new SurveyAnswers(values), ct);
    if (view.Status != SurveyPageStatus.Saved)
    {
        Interlocked.Increment(ref refused);
    }
});
var answered = answering.Elapsed;
var cells = (await services.GetRequiredService<ISurveyResponseStore>().CellsAsync(surveyId, CancellationToken.None)).Count;
Console.WriteLine($"seeded {responses:N0} alumni in {seeded.TotalSeconds:F1} s; {responses - refused:N0} answers in {answered.TotalSeconds:F1} s " +
    $"({(responses - refused) / answered.TotalSeconds:F0}/s at concurrency {concurrency}), {refused} not saved; {cells:N0} aggregate cells");

// A viewer, signed in on the development page.
using var cookies = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
using var http = new HttpClient(cookies) { BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
var signIn = await http.GetStringAsync("dev/console/sign-in");
var csrf = WebUtility.HtmlDecode(Regex.Match(signIn, "name=\"__csrf\" value=\"([^\"]+)\"").Groups[1].Value);
using (var form = new FormUrlEncodedContent([KeyValuePair.Create("role", "Alumni.Viewer"), KeyValuePair.Create("__csrf", csrf)]))
{
    if ((await http.PostAsync("dev/console/sign-in", form)).StatusCode != HttpStatusCode.Redirect)
    {
        Console.WriteLine("sign-in failed");
        return 1;
    }
}

var slowest = 0.0;
foreach (var (name, path, mustContain) in new[]
{
    ("report page", $"api/console/surveys/{surveyId}", "role=\"img\""),
    ("report, one department", $"api/console/surveys/{surveyId}?by=Department&value=Markets", "role=\"img\""),
    ("report, one wave", $"api/console/surveys/{surveyId}?wave=w02", "role=\"img\""),
    ("CSV of the aggregates", $"api/console/surveys/{surveyId}/results.csv", "section,version"),
    ("free-text answers", $"api/console/surveys/{surveyId}/comments?question=why", "<li"),
})
{
    var latencies = new List<double>();
    for (var i = 0; i <= requests; i++)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains(mustContain, StringComparison.Ordinal))
        {
            Console.WriteLine($"{name} answered {(int)response.StatusCode} without {mustContain}");
            return 1;
        }

        if (i > 0)
        {
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds); // the first request warms up and is not counted
        }
    }

    var sorted = latencies.Order().ToArray();
    slowest = Math.Max(slowest, sorted[^1]);
    Console.WriteLine($"{name}, {requests} requests: ms p50 {Latencies.Percentile(sorted, 0.5):F0} p95 {Latencies.Percentile(sorted, 0.95):F0} max {sorted[^1]:F0}");
}

return slowest < 2000 ? 0 : 1;
