using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// News items (partition <c>news</c>) and composed issues (partition <c>issue</c>, row = month, so rows sort by month).
/// An issue's entries, and the keys of what its sections offered (<c>Considered</c>) and of the new ones left out for room
/// (<c>Deferred</c>), both absent on older rows, are JSON, spread
/// over as many properties as they need (<see cref="TableJsonColumns"/>); a skipped
/// month is its row with <c>Skipped</c> true and no entries.
/// </summary>
public sealed class TableNewsletterStore(AlumniTables tables) : INewsItemStore, INewsletterIssueStore
{
    private const string NewsPartition = "news";
    private const string IssuePartition = "issue";

    /// <summary>
    /// Storage only, never HTML: every character but quotes, backslashes and controls is written as it is (Japanese and
    /// emoji included), so an issue of full sections with every field at its limit, whatever its text, stays inside a
    /// row's 1 MiB (ADR 0034).
    /// </summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = StorageJsonEncoder.Instance };

    public async Task<bool> TryAddAsync(NewsItem item, CancellationToken cancellationToken) =>
        await (await tables.GetAsync(AlumniTables.Newsletters, cancellationToken)).TryAddAsync(ToEntity(item), cancellationToken);

    public async Task<NewsItem?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Newsletters, cancellationToken);
        return await table.FindAsync<TableEntity>(NewsPartition, id, cancellationToken) is { } e ? ToItem(e) : null;
    }

    public async Task<bool> ReplaceAsync(NewsItem item, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Newsletters, cancellationToken);
        var entity = ToEntity(item);
        entity.ETag = item.ETag is null ? ETag.All : new ETag(item.ETag);
        return await table.TryReplaceAsync(entity, cancellationToken);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Newsletters, cancellationToken);
        await table.DeleteEntityAsync(NewsPartition, id, ETag.All, cancellationToken);
    }

    public async Task<IReadOnlyList<NewsItem>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Newsletters, cancellationToken);
        var items = new List<NewsItem>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {NewsPartition}"), cancellationToken: cancellationToken))
        {
            items.Add(ToItem(e));
        }

        return items.OrderByDescending(i => i.PublishFrom).ToArray();
    }

    public async Task<bool> TryAddAsync(NewsletterIssue issue, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Newsletters, cancellationToken);
        return await table.TryAddAsync(ToEntity(issue), cancellationToken);
    }

    async Task<NewsletterIssue?> INewsletterIssueStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Newsletters, cancellationToken);
        return await table.FindAsync<TableEntity>(IssuePartition, id, cancellationToken) is { } e ? ToIssue(e) : null;
    }

    public async Task<NewsletterIssue?> PreviousAsync(string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Newsletters, cancellationToken);
        NewsletterIssue? latest = null;
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {IssuePartition} and RowKey lt {id}"), cancellationToken: cancellationToken))
        {
            // A skipped month is left out here, not in the filter: a dozen rows a year, and rows from before the column lack it.
            if (ToIssue(e) is { Skipped: false } issue)
            {
                latest = issue;
            }
        }

        return latest;
    }

    /// <summary>The issue's row: its size is bounded whatever its text (ADR 0034).</summary>
    internal static TableEntity ToEntity(NewsletterIssue issue)
    {
        var entity = new TableEntity(IssuePartition, issue.Id) { ["ComposedAt"] = issue.ComposedAt };
        if (issue.Skipped)
        {
            entity["Skipped"] = true;
        }

        TableJsonColumns.Write(entity, "Entries", JsonSerializer.Serialize(issue.Entries, Json));
        if (issue.Considered is { } considered)
        {
            TableJsonColumns.Write(entity, "Considered", JsonSerializer.Serialize(considered, Json));
        }

        if (issue.Deferred is { } deferred)
        {
            TableJsonColumns.Write(entity, "Deferred", JsonSerializer.Serialize(deferred, Json));
        }

        return entity;
    }

    private static TableEntity ToEntity(NewsItem i) => new(NewsPartition, i.Id)
    {
        ["TitleJa"] = i.TitleJa,
        ["TitleEn"] = i.TitleEn,
        ["BodyJa"] = i.BodyJa,
        ["BodyEn"] = i.BodyEn,
        ["Link"] = i.Link?.AbsoluteUri,
        ["PublishFrom"] = i.PublishFrom,
        ["PublishUntil"] = i.PublishUntil,
        ["UpdatedAt"] = i.UpdatedAt,
        ["CreateHash"] = i.CreateHash,
    };

    private static NewsItem ToItem(TableEntity e) => new(
        e.RowKey, e.GetString("TitleJa"), e.GetString("TitleEn"), e.GetString("BodyJa"), e.GetString("BodyEn"),
        e.GetString("Link") is { } link ? new Uri(link) : null,
        e.GetDateTimeOffset("PublishFrom")!.Value, e.GetDateTimeOffset("PublishUntil"), e.GetDateTimeOffset("UpdatedAt")!.Value)
    {
        ETag = e.ETag.ToString(),
        CreateHash = e.GetString("CreateHash"),
    };

    private static NewsletterIssue ToIssue(TableEntity e)
    {
        var json = TableJsonColumns.Read(e, "Entries") ?? "[]";
        return new NewsletterIssue(e.RowKey, e.GetDateTimeOffset("ComposedAt")!.Value, JsonSerializer.Deserialize<NewsletterEntry[]>(json, Json) ?? [], e.GetBoolean("Skipped") == true)
        {
            Considered = TableJsonColumns.Read(e, "Considered") is { } considered ? JsonSerializer.Deserialize<string[]>(considered, Json) : null,
            Deferred = TableJsonColumns.Read(e, "Deferred") is { } deferred ? JsonSerializer.Deserialize<string[]>(deferred, Json) : null,
        };
    }
}
