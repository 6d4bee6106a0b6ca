using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Privacy;

/// <summary>What a page wrote through a signed link and takes back when the person's erasure began meanwhile.</summary>
public enum TakenBack
{
    Rsvp,
    Interest,
    Card,
    SurveyAnswer,
    Profile,
}

/// <summary>
/// The work item behind <see cref="ErasureRecheck"/>: removes the one kind of record a page wrote as the person's erasure
/// began, later and for as long as it takes (ADR 0007). Each removal is the erasure's own and idempotent: a record already
/// gone is success; an RSVP's removal frees its seat once, in the same write (<see cref="EventRegistrations"/>).
/// </summary>
public sealed partial class TakeBackWrites(
    EventRegistrations registrations, OpeningsPersonalData openings, ICollaborationStore cards, SurveyRecords surveys, IProfileStore profiles,
    WorkItemRunner runner, TimeProvider time, ILogger<TakeBackWrites> logger)
{
    /// <summary>Due after the page's own attempt at the takeback, which usually leaves this nothing to remove.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait before trying again when an event stayed busy through every attempt.</summary>
    public static readonly TimeSpan BusyRetry = TimeSpan.FromMinutes(1);

    /// <summary>The work item: subject <c>{record}-{alumnus id}</c>, ids only.</summary>
    public static WorkItem WorkFor(TakenBack record, AlumnusId alumnusId, DateTimeOffset now) =>
        new() { Kind = WorkKinds.TakeBack, SubjectId = $"{record.ToString().ToLowerInvariant()}-{alumnusId.Value}", DueAt = now + Delay };

    /// <summary>Removes every RSVP of the person, freeing each seat as the erasure does; throws when an event stayed busy.</summary>
    public static async Task RemoveRsvpsAsync(EventRegistrations registrations, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        if (!await registrations.RemoveAsync(alumnusId, cancellationToken))
        {
            throw new InvalidOperationException($"An RSVP of alumnus {alumnusId.Value}, written as their erasure began, could not be removed: the event stayed busy.");
        }
    }

    public Task<WorkRunOutcome> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return runner.RunAsync(message, ct => RemoveAsync(message.SubjectId, ct), cancellationToken);
    }

    private async Task<WorkStep> RemoveAsync(string subjectId, CancellationToken cancellationToken)
    {
        var dash = subjectId.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !Enum.TryParse<TakenBack>(subjectId[..dash], ignoreCase: true, out var record) || !AlumnusId.TryParse(subjectId[(dash + 1)..], out var alumnusId))
        {
            // Not a subject this writes: nothing it could remove.
            return new WorkStep.Done();
        }

        switch (record)
        {
            case TakenBack.Rsvp:
                if (!await registrations.RemoveAsync(alumnusId, cancellationToken))
                {
                    return new WorkStep.Later(time.GetUtcNow() + BusyRetry, "event busy");
                }

                break;
            case TakenBack.Interest:
                await openings.RemoveAsync(alumnusId, cancellationToken);
                break;
            case TakenBack.Card:
                await cards.DeleteCardAsync(alumnusId, cancellationToken);
                break;
            case TakenBack.SurveyAnswer:
                await surveys.EraseAsync(alumnusId, cancellationToken);
                break;
            case TakenBack.Profile:
                await profiles.DeleteAsync(alumnusId, cancellationToken);
                break;
        }

        LogTakenBack(record, alumnusId.Value);
        return new WorkStep.Done();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Record} written as alumnus {AlumnusId}'s erasure began was removed by its work item")]
    private partial void LogTakenBack(TakenBack record, string alumnusId);
}
