using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Rehires;

namespace AlumniNetwork.Core.Storage;

/// <summary>One row per hire, partitioned by the year of the hire; its touches as JSON (ids, kinds and times only).</summary>
public sealed class TableRehireStore(AlumniTables tables) : IRehireStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<bool> TryAddAsync(Rehire rehire, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Rehires, cancellationToken);
        var entity = ToEntity(rehire);
        if (!await table.TryAddAsync(entity, cancellationToken))
        {
            return false;
        }

        rehire.ETag = entity.ETag.ToString();
        return true;
    }

    public async Task<Rehire?> GetAsync(string partition, string key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Rehires, cancellationToken);
        return await table.FindAsync<TableEntity>(partition, key, cancellationToken) is { } row ? ToRehire(row) : null;
    }

    public async Task<bool> TryUpdateAsync(Rehire rehire, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Rehires, cancellationToken);
        var etag = await table.TryReplaceReadAsync(ToEntity(rehire), rehire.ETag, cancellationToken);
        rehire.ETag = etag ?? rehire.ETag;
        return etag is not null;
    }

    public async Task<IReadOnlyList<Rehire>> MatchedAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Rehires, cancellationToken);
        var found = new List<Rehire>();
        for (var year = first.Year; year <= last.Year; year++)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {year.ToString("D4", CultureInfo.InvariantCulture)} and Outcome eq {nameof(RehireOutcome.Matched)}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                var rehire = ToRehire(row);
                if (rehire.HiredOn >= first && rehire.HiredOn <= last)
                {
                    found.Add(rehire);
                }
            }
        }

        return [.. found.OrderBy(r => r.HiredOn)];
    }

    public async Task<IReadOnlyList<Rehire>> OfAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Rehires, cancellationToken);
        var found = new List<Rehire>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"AlumnusId eq {alumnusId.Value}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            found.Add(ToRehire(row));
        }

        return found;
    }

    /// <summary>Where the claims of returns are (<see cref="ClaimReturnAsync"/>): no hire's year, so no report reads them.</summary>
    public const string ReturnsPartition = "returns";

    public async Task<string> ClaimReturnAsync(string returnKey, string hireKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Rehires, cancellationToken);
        if (await table.TryAddAsync(new TableEntity(ReturnsPartition, returnKey) { ["HireKey"] = hireKey }, cancellationToken))
        {
            return hireKey;
        }

        // Claims are never removed: the row that refused the insert is there to read.
        return (await table.FindAsync<TableEntity>(ReturnsPartition, returnKey, cancellationToken))?.GetString("HireKey")
            ?? throw new Azure.RequestFailedException(409, "The return's claim was refused but not found.");
    }

    private static TableEntity ToEntity(Rehire r) => new(r.Partition, r.Key)
    {
        ["HiredOn"] = r.HiredOn.ToString("O", CultureInfo.InvariantCulture),
        ["EmployeeKey"] = r.EmployeeKey,
        ["EmailKey"] = r.EmailKey,
        ["ReceivedAt"] = r.ReceivedAt,
        ["Outcome"] = r.Outcome.ToString(),
        ["AlumnusId"] = r.AlumnusId?.Value,
        ["LastWorkingDay"] = r.LastWorkingDay?.ToString("O", CultureInfo.InvariantCulture),
        ["Touches"] = JsonSerializer.Serialize(r.Touches, Json),
        ["DecidedAt"] = r.DecidedAt,
    };

    private static Rehire ToRehire(TableEntity row) => Rehire.Restore(
        row.RowKey,
        DateOnly.Parse(row.GetString("HiredOn"), CultureInfo.InvariantCulture),
        row.GetString("EmployeeKey"),
        row.GetString("EmailKey"),
        row.GetDateTimeOffset("ReceivedAt")!.Value,
        Enum.Parse<RehireOutcome>(row.GetString("Outcome")),
        row.GetString("AlumnusId") is { } id ? AlumnusId.Parse(id) : null,
        row.GetString("LastWorkingDay") is { } left ? DateOnly.Parse(left, CultureInfo.InvariantCulture) : null,
        JsonSerializer.Deserialize<Touch[]>(row.GetString("Touches") ?? "[]", Json) ?? [],
        row.GetDateTimeOffset("DecidedAt"),
        row.ETag.ToString());
}
