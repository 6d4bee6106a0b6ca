using System.Globalization;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// Audit entries partitioned by UTC day, newest first within a day (inverted ticks), plus an index by subject in
/// <see cref="AlumniTables.AuditSubjects"/>: partition = the first hex digit of the alumnus id (16 partitions, so the
/// subjects of a 1,000-row export batch land in at most 16 transactions), row = alumnus id | inverted ticks | entry.
/// "Entries about X" is then one partition query over a row-key range, never a scan.
/// </summary>
public sealed class TableAuditLog(AlumniTables tables) : IAuditLog
{
    private const int TransactionLimit = 100;
    private const char Separator = '|';

    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Audit, cancellationToken);
        await table.AddEntityAsync(new TableEntity(Day(entry.At), RowKey(entry.At, Guid.NewGuid().ToString("N")))
        {
            ["At"] = entry.At,
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
            ["Subject"] = entry.Subject,
            ["Detail"] = entry.Detail,
        }, cancellationToken);
        if (AlumnusId.TryParse(entry.Subject, out var subject))
        {
            await RecordSubjectsAsync(entry, [subject], cancellationToken);
        }
    }

    public async Task RecordSubjectsAsync(AuditEntry entry, IReadOnlyCollection<AlumnusId> subjects, CancellationToken cancellationToken)
    {
        if (subjects.Count == 0)
        {
            return;
        }

        var table = await tables.GetAsync(AlumniTables.AuditSubjects, cancellationToken);
        // One id per call, shared by its subjects: upserts make a retried transaction harmless.
        var entryId = Guid.NewGuid().ToString("N");
        var batches = subjects.Distinct()
            .GroupBy(Partition)
            .SelectMany(group => group.Chunk(TransactionLimit))
            .ToArray();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, token) =>
            await table.SubmitTransactionAsync(batch.Select(subject => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(Partition(subject), $"{subject.Value}{Separator}{Inverted(entry.At)}{Separator}{entryId}")
                {
                    ["At"] = entry.At,
                    ["Actor"] = entry.Actor,
                    ["Action"] = entry.Action,
                    ["Detail"] = entry.Detail,
                })), token));
    }

    public async Task<AuditSlice> QueryAsync(DateTimeOffset since, DateTimeOffset until, int limit, AuditFilter filter, AuditCursor? after, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Audit, cancellationToken);
        var entries = new List<AuditEntry>();
        var last = "";
        // A continuation starts in the cursor's own day, after its row; days newer than it were read by earlier pages.
        var newest = after is not null && after.At < until ? after.At : until;
        for (var day = newest.UtcDateTime.Date; day >= since.UtcDateTime.Date; day = day.AddDays(-1))
        {
            var partition = Day(new DateTimeOffset(day, TimeSpan.Zero));
            var query = after is not null && partition == Day(after.At)
                ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {RowKey(after.At, after.EntryId)}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
            await foreach (var e in table.QueryAsync<TableEntity>(query, cancellationToken: cancellationToken))
            {
                // The filter is applied here, not in the table query: a day's partition is small, and Azurite's filters have gaps.
                var at = e.GetDateTimeOffset("At")!.Value;
                var entry = new AuditEntry(at, e.GetString("Actor"), e.GetString("Action"), e.GetString("Subject"), e.GetString("Detail"));
                if (at < since || at > until || !filter.Matches(entry))
                {
                    continue;
                }

                // One match beyond the limit shows that more follow: the page ends at the entry before it.
                if (entries.Count == limit)
                {
                    return new AuditSlice(entries, CursorOf(last));
                }

                entries.Add(entry);
                last = e.RowKey;
            }
        }

        return new AuditSlice(entries, null);
    }

    public async Task<IReadOnlyList<AuditEntry>> AboutAsync(AlumnusId subject, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.AuditSubjects, cancellationToken);
        // Every row key of this subject starts with "<id>|"; '}' is the character after '|'.
        var from = subject.Value + Separator;
        var to = subject.Value + (char)(Separator + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(subject)} and RowKey gt {from} and RowKey lt {to}");
        var entries = new List<AuditEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            entries.Add(new AuditEntry(e.GetDateTimeOffset("At")!.Value, e.GetString("Actor"), e.GetString("Action"), subject.Value, e.GetString("Detail")));
        }

        return entries;
    }

    private static string Partition(AlumnusId subject) => subject.Value[..1];

    /// <summary>An entry's row: inverted ticks (newest first within the day), '-', its id.</summary>
    private static string RowKey(DateTimeOffset at, string entryId) => $"{Inverted(at)}-{entryId}";

    private static AuditCursor CursorOf(string rowKey) =>
        new(new DateTimeOffset(DateTimeOffset.MaxValue.UtcTicks - long.Parse(rowKey.AsSpan(0, 19), CultureInfo.InvariantCulture), TimeSpan.Zero), rowKey[20..]);

    private static string Inverted(DateTimeOffset at) => $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}";

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
