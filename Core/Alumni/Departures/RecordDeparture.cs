using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Alumni;

public enum DepartureDisposition
{
    /// <summary>A new alumnus record was created.</summary>
    Created,

    /// <summary>The employee was known: the record was updated if the departure moved, else left as it was.</summary>
    Known,

    /// <summary>The person asked to be erased: not recorded again without new consent.</summary>
    Erased,

    /// <summary>The person was purged for never joining and this departure was recorded before: nothing is re-created.</summary>
    PurgedReplay,
}

/// <param name="AlumnusId">The alumnus the departure belongs to; null when it was not recorded (erased, or a purged replay).</param>
public sealed record RecordDepartureResult(DepartureDisposition Disposition, AlumnusId? AlumnusId)
{
    /// <summary>True when this call created the alumnus record.</summary>
    public bool IsNew => Disposition == DepartureDisposition.Created;
}

/// <summary>
/// Records a departure, idempotent on employee id, and makes sure the welcome invitation is scheduled. A new employee
/// costs three writes (the claim, the record, the work item) and no read. Every step can be repeated: a retry after a
/// crash at any point completes what the first attempt began.
/// </summary>
public sealed partial class RecordDeparture(
    IAlumniStore alumni,
    IWorkItemStore work,
    WelcomeSchedule schedule,
    TimeProvider time,
    ILogger<RecordDeparture> logger)
{
    private const int MaxConflictRetries = 5;

    public async Task<RecordDepartureResult> HandleAsync(DepartureNotice notice, CancellationToken cancellationToken)
    {
        switch (await alumni.ClaimEmployeeAsync(notice.EmployeeId, notice.LastWorkingDay, AlumnusId.New(), cancellationToken))
        {
            case EmployeeClaim.Erased:
                LogErasedDepartureIgnored();
                return new RecordDepartureResult(DepartureDisposition.Erased, null);
            case EmployeeClaim.PurgedReplay:
                LogPurgedReplayIgnored();
                return new RecordDepartureResult(DepartureDisposition.PurgedReplay, null);
            case EmployeeClaim.Held { Fresh: true } fresh:
                // Nothing can exist under a fresh id: no read before the writes.
                return await CreateAsync(fresh.Id, notice, cancellationToken);
            case EmployeeClaim.Held held:
                return await ApplyAsync(held.Id, notice, cancellationToken);
            default:
                throw new InvalidOperationException("Unknown employee claim.");
        }
    }

    private async Task<RecordDepartureResult> CreateAsync(AlumnusId id, DepartureNotice notice, CancellationToken cancellationToken)
    {
        var created = Alumnus.FromDeparture(id, notice, schedule.DueAt(notice.LastWorkingDay), time.GetUtcNow());
        await alumni.AddAsync(created, cancellationToken);
        await ScheduleWelcomeAsync(created, cancellationToken);
        LogDepartureRecorded(id.Value);
        return new RecordDepartureResult(DepartureDisposition.Created, id);
    }

    private async Task<RecordDepartureResult> ApplyAsync(AlumnusId id, DepartureNotice notice, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            if (await alumni.GetAsync(id, cancellationToken) is not { } existing)
            {
                // Claimed by an attempt that died before it wrote the record: this one completes it.
                return await CreateAsync(id, notice, cancellationToken);
            }

            var (changed, rescheduled) = existing.ApplyRepeatedDeparture(notice, schedule.DueAt(notice.LastWorkingDay));
            // The record first: if the process dies before the new item is written, the old item finds itself
            // superseded and schedules the current one, so nothing is sent before the new last working day has ended.
            if (changed && !await alumni.TryUpdateAsync(existing, cancellationToken))
            {
                continue;
            }

            if (rescheduled)
            {
                LogDepartureRescheduled(id.Value);
            }

            // (Re-)assert the current schedule: an earlier attempt may have died between its writes.
            await ScheduleWelcomeAsync(existing, cancellationToken);

            return new RecordDepartureResult(DepartureDisposition.Known, id);
        }

        throw new InvalidOperationException($"Alumnus {id} kept changing while a departure was applied.");
    }

    private Task ScheduleWelcomeAsync(Alumnus alumnus, CancellationToken cancellationToken) =>
        alumnus.Status == AlumnusStatus.Departed
            ? work.ScheduleAsync(new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = alumnus.Id.Value, DueAt = alumnus.WelcomeDueAt }, cancellationToken)
            : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Departure for an erased employee ignored; they are not recorded again without new consent")]
    private partial void LogErasedDepartureIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure of a person purged for never joining was recorded before the purge; not recorded again")]
    private partial void LogPurgedReplayIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure recorded for alumnus {AlumnusId}")]
    private partial void LogDepartureRecorded(string alumnusId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Last working day moved for alumnus {AlumnusId}; welcome invitation rescheduled")]
    private partial void LogDepartureRescheduled(string alumnusId);
}
