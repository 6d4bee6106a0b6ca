using System.Globalization;

namespace AlumniNetwork.Bench.CampaignFanOut;

internal sealed record FanOutResult(
    int Members,
    long Mails,
    long Requests,
    long SendsTransactions,
    long AlumniTransactions,
    TimeSpan FirstMail,
    TimeSpan Wall,
    TimeSpan RawFloor,
    int RawTransactions,
    TimeSpan ScanFloor,
    TimeSpan EngineFloor,
    double SentMarkWindowMaxMs,
    double PeakMemoryMiB)
{
    public const string Header =
        "| Members | Mails in the sink | SendGrid requests (⌈N/1,000⌉) | Sends transactions (⌈N/100⌉) | Alumni transactions (claims) | Start to first request | Start to last mail | Ledger-only floor | Product / ledger floor | Audience scan alone | (Ledger + scan) / ledger | Engine's storage floor | Product / engine floor | Sent-mark window max | App peak memory |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    public long ExpectedRequests => (Members + 999) / 1000;

    public long ExpectedLedgerTransactions => (Members + 99) / 100;

    public bool Complete => Mails == Members && Requests == ExpectedRequests;

    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"{Members:N0}: {Mails:N0} mails in {Requests} requests (expected {ExpectedRequests}); Sends {SendsTransactions} transactions (at least {ExpectedLedgerTransactions}), " +
        $"Alumni {AlumniTransactions}; first request after {FirstMail.TotalSeconds:F1} s, last mail after {Wall.TotalSeconds:F1} s against a ledger-only floor of {RawFloor.TotalSeconds:F1} s ({RawTransactions} transactions), " +
        $"{Wall / RawFloor:F2}x; audience scan alone {ScanFloor.TotalSeconds:F1} s, (ledger + scan) / ledger {(RawFloor + ScanFloor) / RawFloor:F2}x; engine's storage floor {EngineFloor.TotalSeconds:F1} s, {Wall / EngineFloor:F2}x; sent-mark window max {SentMarkWindowMaxMs:F0} ms; peak memory {PeakMemoryMiB:F0} MiB{(Complete ? "" : "  INCOMPLETE")}");

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Members:N0} | {Mails:N0} | {Requests} ({ExpectedRequests}) | {SendsTransactions} ({ExpectedLedgerTransactions}) | {AlumniTransactions} | {FirstMail.TotalSeconds:F1} s | {Wall.TotalSeconds:F1} s | " +
        $"{RawFloor.TotalSeconds:F1} s | {Wall / RawFloor:F2}× | {ScanFloor.TotalSeconds:F1} s | {(RawFloor + ScanFloor) / RawFloor:F2}× | {EngineFloor.TotalSeconds:F1} s | {Wall / EngineFloor:F2}× | {SentMarkWindowMaxMs:F0} ms | {PeakMemoryMiB:F0} MiB |");
}
