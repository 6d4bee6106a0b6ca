using System.Globalization;
using AlumniNetwork.Bench.CampaignFanOut;
using AlumniNetwork.Bench.IntakeLoad;

// One newsletter campaign to N consenting members, on a fresh Azurite and the development SendGrid sink, with the
// function app as its own process and its local trigger host on (docs/performance.md has the results):
//   dotnet run -c Release --project bench/CampaignFanOut -- [sizes=1000,10000,100000]
// With BENCH_SKIP_FLOORS=1 only the app runs (faster; the floors print as zero): for comparing its peak memory.
// Prints, per size: SendGrid requests, table transactions, wall time from the campaign's start to the sink's last
// accepted personalization, the ledger-only floor (the same ledger rows straight on Azure.Data.Tables), the engine's storage
// floor (the reads, cap claims and ledger rows the design requires, straight on Azure.Data.Tables) and the app's peak memory.
// Exits non-zero unless every member got exactly one mail (distinct recipients at the sink), in ⌈N / 1,000⌉ requests,
// with one sent row each in the Sends table (read from Azurite) and at most ⌈N / 100⌉ Sends transactions, counted by a
// proxy in front of Azurite's table endpoint (every table request of the run passes it), agreeing with the app's meter.
// What single storage operations cost on Azurite as the table grows (why the floors differ):
//   dotnet run -c Release --project bench/CampaignFanOut -- storage-costs [sizes=10000,100000]
var costs = args.Length > 0 && args[0] == "storage-costs";
var sizes = (args.Length > (costs ? 1 : 0) ? args[^1] : costs ? "10000,100000" : "1000,10000,100000")
    .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
if (costs)
{
    Console.WriteLine(StorageCosts.Header);
    foreach (var size in sizes)
    {
        await StorageCosts.RunAsync(Repository.Root(), size);
    }

    return 0;
}

var results = new List<FanOutResult>();
foreach (var size in sizes)
{
    var result = await FanOutRun.RunAsync(Repository.Root(), size);
    Console.WriteLine(result.Line());
    Console.WriteLine(result.AtAzuriteLine());
    results.Add(result);
}

Console.WriteLine();
Console.WriteLine(FanOutResult.Header);
results.ForEach(r => Console.WriteLine(r.Row()));
return results.All(r => r.Complete) ? 0 : 1;
