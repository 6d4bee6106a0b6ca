using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// One partition per campaign: the campaign row (<c>campaign</c>) and its batch rows (<c>batch-00001</c>…). Recipient
/// lists are stored as 16-byte ids, so a batch of 1,000 fits one property.
/// </summary>
public sealed class TableCampaignStore(AlumniTables tables) : ICampaignStore
{
    private const string CampaignRow = "campaign";
    private const string BatchPrefix = "batch-";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Campaigns, cancellationToken);
        var entity = ToEntity(campaign);
        if (!await table.TryAddAsync(entity, cancellationToken))
        {
            return false;
        }

        campaign.ETag = entity.ETag.ToString();
        return true;
    }

    public async Task<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Campaigns, cancellationToken);
        return await table.FindAsync<TableEntity>(campaignId, CampaignRow, cancellationToken) is { } entity ? ToCampaign(entity) : null;
    }

    public async Task<bool> TryUpdateAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Campaigns, cancellationToken);
        var etag = await table.TryReplaceReadAsync(ToEntity(campaign), campaign.ETag, cancellationToken);
        campaign.ETag = etag ?? campaign.ETag;
        return etag is not null;
    }

    public async IAsyncEnumerable<Campaign> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Campaigns, cancellationToken);
        var campaigns = new List<Campaign>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {CampaignRow}"), cancellationToken: cancellationToken))
        {
            campaigns.Add(ToCampaign(entity));
        }

        foreach (var campaign in campaigns.OrderByDescending(c => c.StartedAt))
        {
            yield return campaign;
        }
    }

    public async Task AddBatchAsync(CampaignBatch batch, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Campaigns, cancellationToken);
        await table.TryAddAsync(ToEntity(batch), cancellationToken);
    }

    public async Task<CampaignBatch?> GetBatchAsync(string campaignId, int number, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Campaigns, cancellationToken);
        return await table.FindAsync<TableEntity>(campaignId, BatchRow(number), cancellationToken) is { } entity ? ToBatch(entity) : null;
    }

    public async Task<bool> TryUpdateBatchAsync(CampaignBatch batch, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Campaigns, cancellationToken);
        var etag = await table.TryReplaceReadAsync(ToEntity(batch), batch.ETag, cancellationToken);
        batch.ETag = etag ?? batch.ETag;
        return etag is not null;
    }

    public async Task<IReadOnlyList<CampaignBatch>> ListBatchesAsync(string campaignId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Campaigns, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge {BatchPrefix} and RowKey lt {"batch."}");
        var batches = new List<CampaignBatch>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            batches.Add(ToBatch(entity));
        }

        return batches;
    }

    public async Task CountEngagementAsync(string campaignId, int number, Outreach.EngagementKind kind, CancellationToken cancellationToken)
    {
        // Counters on a row many events hit at once: read, add, write with the ETag, again on a conflict.
        while (await GetBatchAsync(campaignId, number, cancellationToken) is { } batch)
        {
            _ = kind switch
            {
                Outreach.EngagementKind.Delivered => batch.Delivered++,
                Outreach.EngagementKind.Opened => batch.Opened++,
                _ => batch.Clicked++,
            };
            if (await TryUpdateBatchAsync(batch, cancellationToken))
            {
                return;
            }
        }
    }

    private static string BatchRow(int number) => $"{BatchPrefix}{number:D5}";

    private static TableEntity ToEntity(Campaign c) => new(c.Id, CampaignRow)
    {
        ["Kind"] = c.Kind.ToString(),
        ["SourceId"] = c.SourceId,
        ["Audience"] = JsonSerializer.Serialize(c.Audience, Json),
        ["RequestedBy"] = c.RequestedBy,
        ["StartedAt"] = c.StartedAt,
        ["Status"] = c.Status.ToString(),
        ["Continuation"] = c.Continuation,
        ["Batches"] = c.Batches,
        ["AudienceSize"] = c.AudienceSize,
        ["Excluded"] = JsonSerializer.Serialize(c.Excluded, Json),
        ["WaitingJapanese"] = Ids(c.Waiting[Locale.Japanese]),
        ["WaitingEnglish"] = Ids(c.Waiting[Locale.English]),
    };

    private static Campaign ToCampaign(TableEntity e) => Campaign.Restore(
        e.PartitionKey,
        Enum.Parse<CampaignKind>(e.GetString("Kind")),
        e.GetString("SourceId"),
        JsonSerializer.Deserialize<AudienceSegment>(e.GetString("Audience"), Json) ?? AudienceSegment.Everyone,
        e.GetString("RequestedBy"),
        e.GetDateTimeOffset("StartedAt")!.Value,
        Enum.Parse<CampaignStatus>(e.GetString("Status")),
        e.GetString("Continuation"),
        e.GetInt32("Batches") ?? 0,
        e.GetInt32("AudienceSize") ?? 0,
        Counts(e.GetString("Excluded")),
        new Dictionary<Locale, IReadOnlyList<AlumnusId>>
        {
            [Locale.Japanese] = Ids(e.GetBinary("WaitingJapanese")),
            [Locale.English] = Ids(e.GetBinary("WaitingEnglish")),
        },
        e.ETag.ToString());

    private static TableEntity ToEntity(CampaignBatch b) => new(b.CampaignId, BatchRow(b.Number))
    {
        ["Recipients"] = Ids(b.Recipients),
        ["Count"] = b.Recipients.Count,
        ["Status"] = b.Status.ToString(),
        ["ProviderMessageId"] = b.ProviderMessageId,
        ["LeaseUntil"] = b.LeaseUntil,
        ["RequestedAt"] = b.RequestedAt,
        ["NotBefore"] = b.NotBefore,
        ["Attempts"] = b.Attempts,
        ["SentAt"] = b.SentAt,
        ["Sent"] = b.Sent,
        ["Failed"] = b.Failed,
        ["Skipped"] = JsonSerializer.Serialize(b.Skipped, Json),
        ["Delivered"] = b.Delivered,
        ["Opened"] = b.Opened,
        ["Clicked"] = b.Clicked,
    };

    private static CampaignBatch ToBatch(TableEntity e) => new()
    {
        CampaignId = e.PartitionKey,
        Number = int.Parse(e.RowKey.AsSpan(BatchPrefix.Length), System.Globalization.CultureInfo.InvariantCulture),
        Recipients = Ids(e.GetBinary("Recipients")),
        Status = Enum.Parse<BatchStatus>(e.GetString("Status")),
        ProviderMessageId = e.GetString("ProviderMessageId"),
        LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
        RequestedAt = e.GetDateTimeOffset("RequestedAt"),
        NotBefore = e.GetDateTimeOffset("NotBefore"),
        Attempts = e.GetInt32("Attempts") ?? 0,
        SentAt = e.GetDateTimeOffset("SentAt"),
        Sent = e.GetInt32("Sent") ?? 0,
        Failed = e.GetInt32("Failed") ?? 0,
        Skipped = new Dictionary<string, int>(Counts(e.GetString("Skipped")), StringComparer.Ordinal),
        Delivered = e.GetInt32("Delivered") ?? 0,
        Opened = e.GetInt32("Opened") ?? 0,
        Clicked = e.GetInt32("Clicked") ?? 0,
        ETag = e.ETag.ToString(),
    };

    private static Dictionary<string, int> Counts(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Dictionary<string, int>>(json, Json) ?? [];

    /// <summary>Alumnus ids are 32 hex characters: 16 bytes each, so 1,000 take 16 KB of a 64 KB binary property.</summary>
    private static byte[] Ids(IReadOnlyList<AlumnusId> ids)
    {
        var bytes = new byte[ids.Count * 16];
        for (var i = 0; i < ids.Count; i++)
        {
            Convert.FromHexString(ids[i].Value).CopyTo(bytes, i * 16);
        }

        return bytes;
    }

    private static AlumnusId[] Ids(byte[]? bytes) =>
        bytes is null ? [] : bytes.Chunk(16).Select(id => AlumnusId.Parse(Convert.ToHexStringLower(id))).ToArray();
}
