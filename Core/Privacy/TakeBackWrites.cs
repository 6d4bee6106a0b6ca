using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Privacy;

/// <summary>
/// The work item behind <see cref="ErasureRecheck"/>: removes whatever a page can write through a signed link (RSVPs,
/// interest, collaboration card, survey answers, profile; and an admin's collaboration request with its compliance
/// question), the engagement counts a provider event adds (ADR 0008) and the refusals a campaign batch logs (ADR 0024:
/// never the allowed decisions the erasure keeps for the consent retention); and on every send to the person it blanks
/// the provider's message id and clears the engagement noted (delivered, opened, clicked), keeping state, attempts and
/// times (<see cref="Sends.ISendLedger.ForgetMessageIdsAsync"/>, ADR 0008). It runs for a person whose erasure began
/// as it wrote, later and for as long as it takes (ADR 0007). It names the person only, not what was written (ADR 0025:
/// an anonymous survey answer's takeback must not record that the person answered), so it runs every removal. Each is
/// the erasure's own and idempotent: a record already gone is success; an RSVP's removal frees its seat once, in the
/// same write (<see cref="EventRegistrations"/>).
/// </summary>
public sealed partial class TakeBackWrites(
    EventRegistrations registrations, OpeningsPersonalData openings, CollaborationData collaboration, SurveyRecords surveys, IProfileStore profiles,
    IEngagementCounters engagement, IOutreachLog outreach, Sends.ISendLedger sends, WorkItemRunner runner, TimeProvider time, ILogger<TakeBackWrites> logger)
{
    /// <summary>Due after the page's own attempt at the takeback, which usually leaves this nothing to remove.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait before trying again when an event stayed busy through every attempt.</summary>
    public static readonly TimeSpan BusyRetry = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Subjects of items written before the work item named the person only: <c>{record}-{alumnus id}</c>. Still read,
    /// and run as any other (every removal), for those queued then.
    /// </summary>
    private static readonly string[] FormerRecords = ["rsvp", "interest", "card", "surveyanswer", "profile"];

    /// <summary>
    /// The work item: subject the alumnus id alone. The store keeps one row per kind, subject and due time, so two pages'
    /// takebacks for one person are one item only when due at the same instant; a second item is harmless (every removal is idempotent).
    /// </summary>
    public static WorkItem WorkFor(AlumnusId alumnusId, DateTimeOffset now) =>
        new() { Kind = WorkKinds.TakeBack, SubjectId = alumnusId.Value, DueAt = now + Delay };

    /// <summary>Removes every RSVP of the person, freeing each seat as the erasure does; throws when an event stayed busy.</summary>
    public static async Task RemoveRsvpsAsync(EventRegistrations registrations, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        if (!await registrations.RemoveAsync(alumnusId, cancellationToken))
        {
            throw new InvalidOperationException("An RSVP written as its alumnus's erasure began could not be removed: the event stayed busy.");
        }
    }

    public Task<WorkRunOutcome> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return runner.RunAsync(message, ct => RemoveAsync(message.SubjectId, ct), cancellationToken);
    }

    /// <summary>The person a subject names: the alumnus id alone, or a former subject's <c>{record}-{alumnus id}</c>.</summary>
    private static AlumnusId? PersonOf(string subjectId)
    {
        if (AlumnusId.TryParse(subjectId, out var id))
        {
            return id;
        }

        var dash = subjectId.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && FormerRecords.Contains(subjectId[..dash], StringComparer.Ordinal) && AlumnusId.TryParse(subjectId[(dash + 1)..], out id) ? id : null;
    }

    private async Task<WorkStep> RemoveAsync(string subjectId, CancellationToken cancellationToken)
    {
        if (PersonOf(subjectId) is not { } alumnusId)
        {
            // Not a subject this writes: nothing it could remove.
            return new WorkStep.Done();
        }

        // The RSVPs first, as the erasure does; the rest is removed even while an event stays busy, and again (harmlessly) on the retry.
        var rsvpsGone = await registrations.RemoveAsync(alumnusId, cancellationToken);
        await openings.RemoveAsync(alumnusId, cancellationToken);
        await collaboration.RemoveAsync(alumnusId, cancellationToken);
        await surveys.EraseAsync(alumnusId, cancellationToken);
        await profiles.DeleteAsync(alumnusId, cancellationToken);
        await engagement.RemoveAsync(alumnusId, cancellationToken);
        await outreach.RemoveAsync((await outreach.SinceAsync(alumnusId, DateTimeOffset.MinValue, cancellationToken)).Where(d => !d.Allowed), cancellationToken);
        await sends.ForgetMessageIdsAsync(alumnusId, cancellationToken);
        if (!rsvpsGone)
        {
            return new WorkStep.Later(time.GetUtcNow() + BusyRetry, "event busy");
        }

        LogTakenBack();
        return new WorkStep.Done();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Writes made as an erasure began were removed by their work item")]
    private partial void LogTakenBack();
}
