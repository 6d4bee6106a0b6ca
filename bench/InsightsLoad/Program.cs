using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;

// Dashboard load for the running local system (scripts/run-local.sh): seeds alumni and their consent entries straight
// into Azurite in 100-entity transactions, runs the RollUpInsights timer once the way the host would, signs in on the
// development page as a viewer and times the dashboard. Exits non-zero when a dashboard request took 2 s or more.
// Usage: dotnet run -c Release --project bench/InsightsLoad -- [alumni=100000] [requests=20] [url=http://localhost:7071]
//        [storage=UseDevelopmentStorage=true]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var baseUrl = new Uri(args.Length > 2 ? args[2] : "http://localhost:7071/");
var tables = new TableServiceClient(args.Length > 3 ? args[3] : "UseDevelopmentStorage=true");
var now = TimeProvider.System.GetUtcNow();

// Alumni: 20% departed, 30% invited, 50% joined, last working days over the past two years; members hold 3 consents.
var alumniTable = tables.GetTableClient("Alumni");
var consentTable = tables.GetTableClient("Consents");
await alumniTable.CreateIfNotExistsAsync();
await consentTable.CreateIfNotExistsAsync();
var people = Enumerable.Range(0, count).Select(i =>
{
    var id = Guid.NewGuid().ToString("N");
    var left = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-(i % 730));
    var status = (i % 10) switch { < 2 => "Departed", < 5 => "Invited", _ => "Joined" };
    return (Id: id, Left: left, Status: status, JoinedAt: status == "Joined" ? now.AddDays(-(i % 365)) : (DateTimeOffset?)null);
}).ToArray();

var seeding = Stopwatch.StartNew();
await Parallel.ForEachAsync(people.GroupBy(p => p.Id[..2]).SelectMany(g => g.Chunk(100)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
    await alumniTable.SubmitTransactionAsync(batch.Select(p => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(p.Id[..2], p.Id)
    {
        ["EmployeeId"] = "L" + p.Id[..12], ["GivenName"] = "花子", ["FamilyName"] = "山田", ["PersonalEmail"] = $"{p.Id}@example.net",
        ["Department"] = "Retail Banking", ["LastWorkingDay"] = p.Left.ToString("O", CultureInfo.InvariantCulture), ["Reason"] = "Voluntary",
        ["DoNotContact"] = false, ["Locale"] = "ja-JP", ["Status"] = p.Status, ["WelcomeDueAt"] = now.AddDays(-1), ["RecordedAt"] = now.AddDays(-2),
        ["InvitedAt"] = p.Status == "Departed" ? null : now.AddDays(-1), ["JoinedAt"] = p.JoinedAt,
    })), ct));
var alumniSeeded = seeding.Elapsed;

// A consent ledger partition per member: one transaction each, many in flight.
string[] purposes = ["NetworkMembership", "Newsletter", "Events"];
await Parallel.ForEachAsync(people.Where(p => p.JoinedAt is not null), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (p, ct) =>
    await consentTable.SubmitTransactionAsync(purposes.Select(purpose => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(p.Id, $"{p.JoinedAt!.Value.UtcTicks:D19}-{purpose}")
    {
        ["Purpose"] = purpose, ["Granted"] = true, ["At"] = p.JoinedAt, ["Method"] = "Link", ["WordingVersion"] = "join-1",
    })), ct));
Console.WriteLine($"seeded {count:N0} alumni in {alumniSeeded.TotalSeconds:F1} s and the consents of {count / 2:N0} members in {(seeding.Elapsed - alumniSeeded).TotalSeconds:F1} s");

using var cookies = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
using var http = new HttpClient(cookies) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(10) };
var rollUp = Stopwatch.StartNew();
var rolled = await http.PostAsync("RollUpInsights", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
Console.WriteLine($"RollUpInsights: {(int)rolled.StatusCode} in {rollUp.Elapsed.TotalSeconds:F1} s: {await rolled.Content.ReadAsStringAsync()}");
if (rolled.StatusCode != HttpStatusCode.OK)
{
    return 1; // the reads below would measure the dashboard without a roll-up
}

var signIn = await http.GetStringAsync("dev/console/sign-in");
var token = WebUtility.HtmlDecode(Regex.Match(signIn, "name=\"__csrf\" value=\"([^\"]+)\"").Groups[1].Value);
using var form = new FormUrlEncodedContent([KeyValuePair.Create("role", "Alumni.Viewer"), KeyValuePair.Create("__csrf", token)]);
var signedIn = await http.PostAsync("dev/console/sign-in", form);
if (signedIn.StatusCode != HttpStatusCode.Redirect)
{
    Console.WriteLine($"sign-in failed: {(int)signedIn.StatusCode}");
    return 1;
}

var latencies = new List<double>();
for (var i = 0; i <= requests; i++)
{
    var started = Stopwatch.GetTimestamp();
    using var response = await http.GetAsync("api/console/insights");
    var body = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.OK || !body.Contains("role=\"img\"", StringComparison.Ordinal))
    {
        Console.WriteLine($"dashboard answered {(int)response.StatusCode} without its charts");
        return 1;
    }

    if (i > 0)
    {
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds); // the first request warms the app up and is not counted
    }
}

latencies.Sort();
double P(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(q * latencies.Count) - 1)];
Console.WriteLine($"dashboard, {requests} requests: ms p50 {P(0.50):F0} p95 {P(0.95):F0} max {latencies[^1]:F0}");
return latencies[^1] < 2000 ? 0 : 1;
