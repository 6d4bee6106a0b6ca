using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// The work a publication writes before it is saved (<see cref="EventWork.Published"/>): starts the event's invitation
/// campaign, which the publish call also starts at once. Starting is idempotent, so the work finds it started unless the
/// call failed after the save; an event never saved (the publication failed) or cancelled since starts nothing.
/// </summary>
public sealed partial class StartEventInvitations(IEventStore events, ICampaigns campaigns, WorkItemRunner runner, ILogger<StartEventInvitations> logger)
{
    public async Task<(CampaignStart? Start, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        CampaignStart? start = null;
        var run = await runner.RunAsync(message, async ct =>
        {
            if (await events.GetAsync(message.SubjectId, ct) is not { Status: EventStatus.Published } e)
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
