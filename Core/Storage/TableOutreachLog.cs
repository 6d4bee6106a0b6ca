using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Storage;

/// <summary>Decisions partitioned by alumnus, one row per campaign (the latest decision replaces the earlier).</summary>
public sealed class TableOutreachLog(AlumniTables tables) : IOutreachLog
{
    public async Task RecordAsync(OutreachDecision decision, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.OutreachDecisions, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(decision.AlumnusId.Value, decision.CampaignId)
        {
            ["Purpose"] = decision.Purpose?.ToString(),
            ["Promotional"] = decision.Promotional,
            ["Allowed"] = decision.Allowed,
            ["Reason"] = decision.Reason,
            ["At"] = decision.At,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        await RemoveAsync(await SinceAsync(alumnusId, DateTimeOffset.MinValue, cancellationToken), cancellationToken);

    public async Task RemoveAsync(IEnumerable<OutreachDecision> decisions, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.OutreachDecisions, cancellationToken);
        foreach (var decision in decisions)
        {
            await table.DeleteEntityAsync(decision.AlumnusId.Value, decision.CampaignId, Azure.ETag.All, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<OutreachDecision>> SinceAsync(AlumnusId alumnusId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.OutreachDecisions, cancellationToken);
        var decisions = new List<OutreachDecision>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {alumnusId.Value}"), cancellationToken: cancellationToken))
        {
            var at = e.GetDateTimeOffset("At")!.Value;
            if (at >= since)
            {
                decisions.Add(new OutreachDecision(
                    alumnusId,
                    e.RowKey,
                    e.GetString("Purpose") is { } purpose ? Enum.Parse<ConsentPurpose>(purpose) : null,
                    e.GetBoolean("Promotional") ?? false,
                    e.GetBoolean("Allowed") ?? false,
                    e.GetString("Reason"),
                    at));
            }
        }

        return decisions.OrderByDescending(d => d.At).ToArray();
    }
}
