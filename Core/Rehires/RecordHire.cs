using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Rehires;

/// <summary>
/// Takes an <c>employee.hired</c> from the HRIS webhook: keeps the hire as keyed pseudonyms (employee id, personal
/// address) and hands the matching and attribution to a work item, so the webhook answers at once (two writes) and the
/// reads attribution needs happen off the HR system's clock. Idempotent on the employee and the hire date: a redelivery
/// finds the hire and asserts the same work item again, so a crash between the two writes loses nothing.
/// </summary>
public sealed partial class RecordHire(IRehireStore rehires, IWorkItemStore work, Pseudonyms pseudonyms, TimeProvider time, ILogger<RecordHire> logger)
{
    public async Task HandleAsync(HireNotice notice, CancellationToken cancellationToken)
    {
        var hire = new Rehire
        {
            Key = pseudonyms.Of("hire", $"{notice.EmployeeId}|{notice.HiredOn.ToString("O", CultureInfo.InvariantCulture)}"),
            HiredOn = notice.HiredOn,
            EmployeeKey = pseudonyms.Of("employee", notice.EmployeeId),
            EmailKey = notice.PersonalEmail is { } email ? pseudonyms.Of("email", email.Normalized) : null,
            ReceivedAt = time.GetUtcNow(),
        };
        if (!await rehires.TryAddAsync(hire, cancellationToken))
        {
            hire = await rehires.GetAsync(hire.Partition, hire.Key, cancellationToken) ?? hire;
        }

        // Due when first received: the same row however often the hire is posted.
        await work.ScheduleAsync(new WorkItem { Kind = WorkKinds.RehireAttribution, SubjectId = hire.Subject, DueAt = hire.ReceivedAt }, cancellationToken);
        LogHireReceived(hire.Partition);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hire of {Year} received; matching to alumni scheduled")]
    private partial void LogHireReceived(string year);
}
