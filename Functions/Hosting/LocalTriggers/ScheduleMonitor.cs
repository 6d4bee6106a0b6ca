using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using NCrontab;

namespace AlumniNetwork.Functions.Hosting.LocalTriggers;

/// <summary>A monitored timer's last run, its next occurrence, and when they were written (the host's <c>ScheduleStatus</c>).</summary>
public sealed record TimerStatus(DateTime Last, DateTime Next, DateTime LastUpdated);

/// <summary>
/// The Functions host's schedule monitor (<c>useMonitor</c>) for the local trigger host: each monitored timer's status is
/// kept in a storage table (the host keeps it in blob storage), one partition per script root as the host keeps one per
/// host id, so an occurrence missed while the app was down runs at the next start, flagged past due.
/// </summary>
public sealed class ScheduleMonitor(TableClient table, string scriptRoot)
{
    public const string TableName = "LocalTimerStatus";

    private readonly string partition = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(scriptRoot))))[..32];

    /// <summary>
    /// Whether the host monitors the timer: as its <c>useMonitor</c> says, else when it recurs at most once a minute.
    /// </summary>
    public static bool Monitors(BindingDefinition trigger, CrontabSchedule schedule, DateTime now)
    {
        var next = schedule.GetNextOccurrence(now);
        return trigger.UseMonitor ?? schedule.GetNextOccurrence(next) - next >= TimeSpan.FromMinutes(1);
    }

    /// <summary>
    /// The stored status, and whether its next occurrence passed while nothing ran (the host's <c>CheckPastDueAsync</c>): a
    /// timer never seen before is recorded with its next occurrence and is not past due; a schedule changed since to an
    /// earlier occurrence counts from that one.
    /// </summary>
    public async Task<(TimerStatus Status, bool PastDue)> CheckPastDueAsync(string function, CrontabSchedule schedule, DateTime now, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        var stored = await table.GetEntityIfExistsAsync<TableEntity>(partition, function, cancellationToken: cancellationToken);
        var status = stored.HasValue
            ? new TimerStatus(Utc(stored.Value!, nameof(TimerStatus.Last)), Utc(stored.Value!, nameof(TimerStatus.Next)), Utc(stored.Value!, nameof(TimerStatus.LastUpdated)))
            : null;
        if (status is null || schedule.GetNextOccurrence(status.LastUpdated) < status.Next)
        {
            status = status is null ? new TimerStatus(default, schedule.GetNextOccurrence(now), now) : status with { Next = schedule.GetNextOccurrence(status.LastUpdated) };
            await UpdateAsync(function, status, cancellationToken);
        }

        return (status, now > status.Next);
    }

    /// <summary>Records a run (whatever its result, as the host does): a run that dies before this is made again at the next start.</summary>
    public Task UpdateAsync(string function, TimerStatus status, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(
            new TableEntity(partition, function)
            {
                [nameof(TimerStatus.Last)] = status.Last.Ticks,
                [nameof(TimerStatus.Next)] = status.Next.Ticks,
                [nameof(TimerStatus.LastUpdated)] = status.LastUpdated.Ticks,
            },
            TableUpdateMode.Replace,
            cancellationToken);

    // Ticks, not dates: the host's first status has no last run (DateTime's default), which a table cannot store as a date.
    private static DateTime Utc(TableEntity entity, string name) => new(entity.GetInt64(name) ?? 0, DateTimeKind.Utc);
}
