using Azure.Data.Tables;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// The Sends ledger as Azurite holds it after the run, read straight from the table rather than taken from the app's
/// meters: it is as expected when it holds one row per member, no more, all in the campaign's ⌈N/1,000⌉ batch
/// partitions (<c>{campaign}-b00001</c> on), none holding more than a batch's 1,000, each <c>Sent</c> or <c>Unknown</c>
/// (a batch sent in one request leaves its rows <c>Unknown</c>: the batch's own sent mark records the outcome for all),
/// none <c>Claimed</c> or <c>Dropped</c>.
/// </summary>
internal sealed record SendsLedger(int Rows, int Partitions, bool AsExpected)
{
    public static async Task<SendsLedger> CheckAsync(TableServiceClient service, string campaignId, int members)
    {
        var expected = Enumerable.Range(1, (members + 999) / 1000).Select(n => CampaignBatch.KeyOf(campaignId, n)).ToHashSet(StringComparer.Ordinal);
        var rows = new List<TableEntity>();
        await foreach (var row in service.GetTableClient(AlumniTables.Sends).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Status"]))
        {
            rows.Add(row);
        }

        var partitions = rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Count(), StringComparer.Ordinal);
        var asExpected = rows.Count == members &&
            rows.Select(r => r.RowKey).Distinct(StringComparer.Ordinal).Count() == members &&
            rows.All(r => r.GetString("Status") is nameof(SendState.Sent) or nameof(SendState.Unknown)) &&
            expected.SetEquals(partitions.Keys) &&
            partitions.Values.All(count => count <= 1000);
        return new SendsLedger(rows.Count, partitions.Count, asExpected);
    }
}
