using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Alumni;

/// <param name="AlumnusId">Null when the employee was erased: they are not recorded again without new consent.</param>
/// <param name="IsNew">True when this call created the alumnus record.</param>
public sealed record RecordDepartureResult(AlumnusId? AlumnusId, bool IsNew);

/// <summary>
/// Records a departure, idempotent on employee id, and makes sure the welcome invitation is scheduled.
/// Every step can be repeated: a retry after a crash at any point completes what the first attempt began.
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
        if (await alumni.IsErasedAsync(notice.EmployeeId, cancellationToken))
        {
            LogErasedDepartureIgnored();
            return new RecordDepartureResult(null, IsNew: false);
        }

        var id = await alumni.ClaimEmployeeIdAsync(notice.EmployeeId, AlumnusId.New(), cancellationToken);
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var existing = await alumni.GetAsync(id, cancellationToken);
            if (existing is null)
            {
                var created = Alumnus.FromDeparture(id, notice, schedule.DueAt(notice.LastWorkingDay), time.GetUtcNow());
                await alumni.AddAsync(created, cancellationToken);
                await ScheduleWelcomeAsync(created, cancellationToken);
                LogDepartureRecorded(id.Value);
                return new RecordDepartureResult(id, IsNew: true);
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

            return new RecordDepartureResult(id, IsNew: false);
        }

        throw new InvalidOperationException($"Alumnus {id} kept changing while a departure was applied.");
    }

    private Task ScheduleWelcomeAsync(Alumnus alumnus, CancellationToken cancellationToken) =>
        alumnus.Status == AlumnusStatus.Departed
            ? work.ScheduleAsync(new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = alumnus.Id.Value, DueAt = alumnus.WelcomeDueAt }, cancellationToken)
            : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Departure for an erased employee ignored; they are not recorded again without new consent")]
    private partial void LogErasedDepartureIgnored();

    [LoggerMessage(Level = LogLevel.Information, Message = "Departure recorded for alumnus {AlumnusId}")]
    private partial void LogDepartureRecorded(string alumnusId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Last working day moved for alumnus {AlumnusId}; welcome invitation rescheduled")]
    private partial void LogDepartureRescheduled(string alumnusId);
}
