using System.Diagnostics;
using Azure.Data.Tables;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// The least any design must read: one scan of the members in pages of 1,000 with the planner's filter, nothing
/// written. Resolving the audience page by page is what the issue asks of every campaign, so the ledger-only floor plus
/// this scan bounds from below what any engine can reach on the same Azurite (one Node.js process: the two cannot
/// overlap on its one busy core).
/// </summary>
internal static class RawScan
{
    public static async Task<TimeSpan> RunAsync(TableServiceClient service)
    {
        var members = service.GetTableClient(RawEngine.MembersTable);
        var rows = 0;
        var wall = Stopwatch.StartNew();
        await foreach (var page in members.QueryAsync<TableEntity>("Status eq 'Joined'", maxPerPage: 1000).AsPages(pageSizeHint: 1000))
        {
            rows += page.Values.Count;
        }

        var elapsed = wall.Elapsed;
        return rows > 0 ? elapsed : throw new InvalidOperationException("The audience scan read no member.");
    }
}
