using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// The work a publication writes before it is saved (<see cref="EventWork.Published"/>): starts the event's invitation
/// campaign, which the publish call also starts at once. Starting is idempotent, so the work finds it started unless the
/// call failed after the save. A draft may be a publication whose save is slow (storage retries): the work waits for it
/// until no publish call can still be running (<see cref="SaveBound"/>), then ends; a cancelled event starts nothing.
/// </summary>
public sealed partial class StartEventInvitations(IEventStore events, ICampaigns campaigns, WorkItemRunner runner, TimeProvider time, ILogger<StartEventInvitations> logger)
{
    /// <summary>Longer than any publish call can take to save (<see cref="IntentWork.SaveBound"/>).</summary>
    public static readonly TimeSpan SaveBound = IntentWork.SaveBound;

    /// <summary>How often a draft is looked at again while its publication may still be saving.</summary>
    public static readonly TimeSpan DraftRecheck = IntentWork.SaveRecheck;

    public async Task<(CampaignStart? Start, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        CampaignStart? start = null;
        var run = await runner.RunAsync(message, async ct =>
        {
            var e = await events.GetAsync(message.SubjectId, ct);
            if (e is { Status: EventStatus.Draft } && time.GetUtcNow() < message.DueAt + SaveBound)
            {
                return new WorkStep.Later(time.GetUtcNow() + DraftRecheck, "the publication may still be saving");
            }

            if (e is not { Status: EventStatus.Published })
            {
                LogNothingToStart(message.SubjectId);
                return new WorkStep.Done();
            }

            start = await campaigns.StartAsync(ManageEvents.InvitationRequest(e, e.PublishedBy ?? e.CreatedBy), ct);
            return start is CampaignStart.Invalid
                ? throw new InvalidOperationException($"The invitation campaign of event {e.Id} was refused by the campaign engine.")
                : new WorkStep.Done();
        }, cancellationToken);
        return (start, run);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId}: not published (never saved, or cancelled since); no invitations to start")]
    private partial void LogNothingToStart(string eventId);
}
