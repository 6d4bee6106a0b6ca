using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Openings;

public enum ApprovedOpeningOutcome
{
    Sent,

    /// <summary>
    /// The Sends ledger holds it already (a redelivered message, or a decision repeated by the officer), or a batch of the
    /// opening's campaign sent it to the person after their flag was lifted.
    /// </summary>
    AlreadySent,

    /// <summary>
    /// No approval stands (rejected, or the alumnus is gone or their erasure has begun, also when it began as they were
    /// recorded on the opening: the record is taken back): nothing goes, and nothing will.
    /// </summary>
    NotApproved,

    /// <summary>The opening is gone, closed, sensitive, or not sent yet (its send asks the approval itself, and picks up one decided while it was sending).</summary>
    NotSendable,

    /// <summary>The person is no longer a match, or no longer consents to job offers.</summary>
    NoLongerForThem,

    /// <summary>The outreach rules refused it now (suppressed address, the cap, the quiet period…); not tried again.</summary>
    Refused,

    /// <summary>
    /// The opening was marked sent but its campaign has not started (its start failed): the person is recorded in
    /// <see cref="Opening.ApprovedFlagged"/>, so the campaign includes them when a repeated send starts it; nothing goes
    /// from here, and nothing is asked again.
    /// </summary>
    JoinsCampaign,

    /// <summary>The opening's campaign is still running: asked again later, so no batch can include the person as well.</summary>
    WaitingForCampaign,

    /// <summary>The outcome of the send is awaited, or another delivery holds it: asked again later.</summary>
    Deferred,
}

/// <summary>
/// Sends an opening to one flagged match whom a compliance officer approved after the opening went out (the decision
/// schedules <see cref="WorkKinds.OpeningApproved"/>, <see cref="OpeningWork.ApprovalOf"/>): only while the approval
/// stands, the opening is open and not sensitive, and the person still matches and consents to job offers. A campaign
/// not started yet is joined (<see cref="ApprovedOpeningOutcome.JoinsCampaign"/>); a started one is waited for until it
/// finishes, so no batch can include the person too; then it records them in
/// <see cref="Opening.ApprovedFlagged"/> and sends the opening's own mail through the single send path, keyed in the
/// Sends ledger by the opening's campaign id (once per person, however often it runs) with the outreach rules for job
/// offers. Runs under <see cref="WorkItemRunner"/> (ADR 0028). Nobody whose erasure has begun is recorded, and a record
/// that landed as the erasure began (or ran to its end) is taken back (<see cref="Privacy.ErasureRecheck"/>, ADR 0007).
/// </summary>
public sealed partial class SendApprovedOpening(
    IOpeningStore openings,
    IAlumniStore alumni,
    IProfileStore profiles,
    IConsentLedger consents,
    IComplianceApprovals approvals,
    ICampaigns campaigns,
    ISendLedger sends,
    IEnumerable<ICampaignComposer> composers,
    OutreachSender sender,
    OpeningsPersonalData personalData,
    Privacy.ErasureRecheck erasure,
    WorkItemRunner runner,
    TimeProvider time,
    ILogger<SendApprovedOpening> logger)
{
    /// <summary>How long the follow-up waits before asking again whether the opening's campaign has finished.</summary>
    public static readonly TimeSpan CampaignWait = TimeSpan.FromMinutes(10);

    public async Task<(ApprovedOpeningOutcome? Outcome, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        ApprovedOpeningOutcome? result = null;
        var run = await runner.RunAsync(message, async ct =>
        {
            var person = OpeningWork.PersonOf(message);
            var (outcome, retryAt) = person is { } subject
                ? await SendAsync(subject.OpeningId, subject.AlumnusId, ct)
                : (ApprovedOpeningOutcome.NotSendable, null);
            result = outcome;
            LogOutcome(person?.OpeningId ?? "(malformed subject)", outcome);
            return retryAt is { } until ? new WorkStep.Later(until, outcome.ToString()) : new WorkStep.Done();
        }, cancellationToken);
        return (result, run);
    }

    private async Task<(ApprovedOpeningOutcome, DateTimeOffset?)> SendAsync(string openingId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        if (await openings.GetAsync(openingId, cancellationToken) is not { IsOpen: true, IsSensitive: false, SentAt: not null } opening)
        {
            return (ApprovedOpeningOutcome.NotSendable, null);
        }

        if (!await approvals.IsApprovedAsync(alumnusId, opening.Scope, cancellationToken) || await alumni.GetAsync(alumnusId, cancellationToken) is not { ErasureStartedAt: null } alumnus)
        {
            return (ApprovedOpeningOutcome.NotApproved, null);
        }

        var granted = await consents.GrantedAsync(alumnus, cancellationToken);
        if (!granted.Contains(ConsentPurpose.JobOffers) ||
            OpeningMatcher.Evaluate(opening, alumnus, await profiles.GetAsync(alumnusId, cancellationToken)).Standing == MatchStanding.Excluded)
        {
            return (ApprovedOpeningOutcome.NoLongerForThem, null);
        }

        // Marked sent, but its campaign has not started (the start failed, or the send is between its two steps): the
        // person joins the campaign, whose planner reads ApprovedFlagged when it starts (a repeated send starts it under
        // the same id). Read again after the record: a campaign started in between may have been planned without them,
        // and then the wait below decides, as for any running campaign.
        var progress = await campaigns.GetProgressAsync(opening.CampaignId, cancellationToken);
        if (progress is null)
        {
            if (await RecordAsync(opening, alumnusId, cancellationToken) is { } refused)
            {
                return (refused, null);
            }

            progress = await campaigns.GetProgressAsync(opening.CampaignId, cancellationToken);
            if (progress is null)
            {
                return (ApprovedOpeningOutcome.JoinsCampaign, null);
            }
        }

        // A batch still to come decides on the opening's ApprovedFlagged and keeps its own ledger rows: recorded now, the
        // person could get the campaign's mail as well as this one. Once the campaign has ended no batch decides again.
        if (progress is not { Status: CampaignStatus.Completed or CampaignStatus.Stopped })
        {
            return (ApprovedOpeningOutcome.WaitingForCampaign, time.GetUtcNow() + CampaignWait);
        }

        // The flag may have been lifted before the person's batch ran: the batch then sent them the opening itself. The
        // one-to-one send below is keyed in the Sends ledger apart from the batches and its gate would take the batch's
        // contact for its own redelivery, so it is asked here. A contact of the one-to-one send itself (batch 0) is not:
        // its own redelivery is the ledger's to answer, which keeps a send whose outcome is awaited going.
        if (await SentByABatchAsync(opening.CampaignId, alumnus, cancellationToken))
        {
            return (ApprovedOpeningOutcome.AlreadySent, null);
        }

        // Recorded before the mail (intent first): the match list and a re-decided campaign include them from now on.
        if (await RecordAsync(opening, alumnusId, cancellationToken) is { } notRecorded)
        {
            return (notRecorded, null);
        }

        if (await composers.Single(c => c.Kind == CampaignKind.Opening).LoadAsync(openingId, cancellationToken) is not { } mail)
        {
            return (ApprovedOpeningOutcome.NotSendable, null);
        }

        var sent = await sender.SendAsync(alumnus, opening.CampaignId, ConsentPurpose.JobOffers, stillWanted: true,
            () => CampaignMailBuilder.RenderAlone(opening.CampaignId, CampaignKind.Opening, mail, alumnus), cancellationToken);
        return sent.Status switch
        {
            SendStatus.Sent => (ApprovedOpeningOutcome.Sent, null),
            SendStatus.AlreadySent => (ApprovedOpeningOutcome.AlreadySent, null),
            SendStatus.Refused => (ApprovedOpeningOutcome.Refused, null),
            _ => (ApprovedOpeningOutcome.Deferred, sent.RetryAt ?? time.GetUtcNow().AddMinutes(1)),
        };
    }

    /// <summary>
    /// Records the person in the opening's <see cref="Opening.ApprovedFlagged"/>; null when it stands. The row was read
    /// with no erasure begun, but the erasure may have begun since and even run to its end, its last unlink finding nothing
    /// yet: the row is read again after the write, and when the erasure has begun (or the row is gone) the id is taken
    /// off again (<see cref="Privacy.ErasureRecheck"/>, ADR 0007, ADR 0028).
    /// </summary>
    private async Task<ApprovedOpeningOutcome?> RecordAsync(Opening opening, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        if (!await openings.TryAddApprovedFlaggedAsync(opening, [alumnusId], cancellationToken))
        {
            return ApprovedOpeningOutcome.NotSendable;
        }

        return await erasure.WriteStandsAsync(alumnusId, ct => personalData.UnlinkAsync(alumnusId, ct), cancellationToken)
            ? null
            : ApprovedOpeningOutcome.NotApproved;
    }

    /// <summary>
    /// Whether a batch of the campaign may have mailed the person. Its contact on their row is written when the batch
    /// claims them, and stays when nothing went (the provider refused the batch, or a stop came first), so only the
    /// batch's ledger row answers (ADR 0024): handed to the provider (<see cref="SendState.Unknown"/>), accepted, or
    /// taken as sent by rule. A row merely claimed, or dropped by the provider, sent nothing.
    /// </summary>
    private async Task<bool> SentByABatchAsync(string campaignId, Alumnus alumnus, CancellationToken cancellationToken)
    {
        foreach (var batch in alumnus.Contacts.Where(c => c.CampaignId == campaignId && c.Batch != OutreachContact.OneToOne).Select(c => c.Batch).Distinct())
        {
            var rows = await sends.ListBatchAsync(CampaignBatch.KeyOf(campaignId, batch), cancellationToken);
            if (rows.Any(r => r.AlumnusId == alumnus.Id && r.State is SendState.Unknown or SendState.Sent or SendState.Unconfirmed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The opening, never its alumnus: the outcome tells whether compliance approved them.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Approved opening {OpeningId} for a flagged match: {Outcome}")]
    private partial void LogOutcome(string openingId, ApprovedOpeningOutcome outcome);
}
