using System.Globalization;
using AlumniNetwork.Core.Storage;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <param name="Recipients">Distinct addresses the sink got a mail for; <paramref name="Duplicates"/>: mails to an address that already had one.</param>
/// <param name="Ledger">The Sends rows Azurite holds after the run, read by the driver.</param>
/// <param name="SendsTransactions">The app's own meter (counted as each transaction is submitted, so a failed one counts too).</param>
/// <param name="AtAzurite">The <see cref="TableProxy"/>'s counts from the app's start: every table request that reached Azurite, by table and kind.</param>
internal sealed record FanOutResult(
    int Members,
    long Mails,
    long Recipients,
    long Duplicates,
    long Requests,
    SendsLedger Ledger,
    long SendsTransactions,
    long AlumniTransactions,
    IReadOnlyDictionary<string, long> AtAzurite,
    TimeSpan FirstRequest,
    TimeSpan Wall,
    TimeSpan RawFloor,
    int RawTransactions,
    TimeSpan ScanFloor,
    TimeSpan EngineFloor,
    double SentMarkWindowMaxMs,
    double PeakMemoryMiB)
{
    public const string Header =
        "| Members | Mails in the sink | Distinct recipients (duplicates) | SendGrid requests (⌈N/1,000⌉) | Sends rows in Azurite (partitions) | Sends transactions, app's meter / `$batch` at Azurite (at most ⌈N/100⌉) | Alumni transactions (claims), app's meter / `$batch` at Azurite | Start to first request | Start to last mail | Ledger-only floor | Product / ledger floor | Audience scan alone | (Ledger + scan) / ledger | Engine's storage floor | Product / engine floor | Sent-mark window max | App peak memory |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    public long ExpectedRequests => (Members + 999) / 1000;

    public long ExpectedLedgerTransactions => (Members + 99) / 100;

    /// <summary>The Sends ledger's entity-group transactions as the proxy saw them reach Azurite.</summary>
    public long SendsBatches => AtAzurite.GetValueOrDefault($"{AlumniTables.Sends} $batch");

    public long AlumniBatches => AtAzurite.GetValueOrDefault($"{AlumniTables.Alumni} $batch");

    /// <summary>
    /// Every member got exactly one mail, in ⌈N/1,000⌉ requests, with one ledger row each, none left claimed or dropped,
    /// in at most ⌈N/100⌉ transactions by the proxy's count, which agrees with the app's meter.
    /// </summary>
    public bool Complete => Mails == Members && Recipients == Members && Duplicates == 0 && Requests == ExpectedRequests &&
        Ledger.AsExpected && SendsBatches <= ExpectedLedgerTransactions && SendsBatches == SendsTransactions;

    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"{Members:N0}: {Mails:N0} mails to {Recipients:N0} distinct recipients ({Duplicates} duplicates) in {Requests} requests (expected {ExpectedRequests}); " +
        $"Sends ledger {Ledger.Rows:N0} rows in {Ledger.Partitions} partitions{(Ledger.AsExpected ? "" : " (NOT one sent row per member in the campaign's batches)")}, " +
        $"{SendsTransactions} transactions by the app's meter and {SendsBatches} $batch at Azurite (at most {ExpectedLedgerTransactions}" +
        $"{(SendsBatches == SendsTransactions ? "" : ", the two DISAGREE")}), Alumni {AlumniTransactions} and {AlumniBatches}; first request after {FirstRequest.TotalSeconds:F1} s, last mail after {Wall.TotalSeconds:F1} s against a ledger-only floor of {RawFloor.TotalSeconds:F1} s ({RawTransactions} transactions), " +
        $"{Wall / RawFloor:F2}x; audience scan alone {ScanFloor.TotalSeconds:F1} s, (ledger + scan) / ledger {(RawFloor + ScanFloor) / RawFloor:F2}x; engine's storage floor {EngineFloor.TotalSeconds:F1} s, {Wall / EngineFloor:F2}x; sent-mark window max {SentMarkWindowMaxMs:F0} ms; peak memory {PeakMemoryMiB:F0} MiB{(Complete ? "" : "  INCOMPLETE")}");

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Members:N0} | {Mails:N0} | {Recipients:N0} ({Duplicates}) | {Requests} ({ExpectedRequests}) | {Ledger.Rows:N0} ({Ledger.Partitions}) | {SendsTransactions} / {SendsBatches} ({ExpectedLedgerTransactions}) | {AlumniTransactions} / {AlumniBatches} | {FirstRequest.TotalSeconds:F1} s | {Wall.TotalSeconds:F1} s | " +
        $"{RawFloor.TotalSeconds:F1} s | {Wall / RawFloor:F2}× | {ScanFloor.TotalSeconds:F1} s | {(RawFloor + ScanFloor) / RawFloor:F2}× | {EngineFloor.TotalSeconds:F1} s | {Wall / EngineFloor:F2}× | {SentMarkWindowMaxMs:F0} ms | {PeakMemoryMiB:F0} MiB |");

    /// <summary>What reached Azurite's table endpoint from the app's start, by table and kind, largest first.</summary>
    public string AtAzuriteLine() => string.Create(CultureInfo.InvariantCulture,
        $"{Members:N0}: at Azurite from the app's start: {string.Join(", ", AtAzurite.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))}");
}
