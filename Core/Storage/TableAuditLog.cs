using System.Globalization;
using Azure.Data.Tables;
using AlumniNetwork.Core.Audit;

namespace AlumniNetwork.Core.Storage;

/// <summary>Audit entries partitioned by UTC day, newest first within a day (inverted ticks).</summary>
public sealed class TableAuditLog(AlumniTables tables) : IAuditLog
{
    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Audit, cancellationToken);
        var row = $"{DateTimeOffset.MaxValue.UtcTicks - entry.At.UtcTicks:D19}-{Guid.NewGuid():N}";
        await table.AddEntityAsync(new TableEntity(Day(entry.At), row)
        {
            ["At"] = entry.At,
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
            ["Subject"] = entry.Subject,
            ["Detail"] = entry.Detail,
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(DateTimeOffset since, DateTimeOffset until, int limit, AuditFilter filter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Audit, cancellationToken);
        var entries = new List<AuditEntry>();
        for (var day = until.UtcDateTime.Date; day >= since.UtcDateTime.Date && entries.Count < limit; day = day.AddDays(-1))
        {
            var partition = TableClient.CreateQueryFilter($"PartitionKey eq {Day(new DateTimeOffset(day, TimeSpan.Zero))}");
            await foreach (var e in table.QueryAsync<TableEntity>(partition, cancellationToken: cancellationToken))
            {
                // The filter is applied here, not in the table query: a day's partition is small, and Azurite's filters have gaps.
                var at = e.GetDateTimeOffset("At")!.Value;
                var entry = new AuditEntry(at, e.GetString("Actor"), e.GetString("Action"), e.GetString("Subject"), e.GetString("Detail"));
                if (at >= since && at <= until && filter.Matches(entry))
                {
                    entries.Add(entry);
                }

                if (entries.Count >= limit)
                {
                    break;
                }
            }
        }

        return entries;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
