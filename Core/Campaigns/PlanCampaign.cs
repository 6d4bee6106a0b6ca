using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Campaigns;

public enum PlanOutcome
{
    /// <summary>The whole audience is in batches.</summary>
    Planned,

    /// <summary>This run's time is up; the work item is held for the next dispatch, which carries on from the checkpoint.</summary>
    Continued,

    /// <summary>Planned before (a redelivered message), stopped, or unknown: nothing to do.</summary>
    NothingToDo,

    /// <summary>Another delivery of the same message moved the checkpoint first; it carries on.</summary>
    Superseded,

    /// <summary>What the campaign is about is gone (a cancelled event): the campaign is stopped.</summary>
    SourceGone,
}

/// <summary>
/// Reads a campaign's audience page by page (members, in table order) and cuts it into batches of up to 1,000
/// recipients, each a work item the dispatcher fans out. The outreach gate is asked here already, from the rows'
/// projections, so batches hold only people who may be sent to (the batch asks again when it sends: things change).
/// After each page the batches are written, then the checkpoint: a planner that dies is taken over from the last page
/// it finished. A batch it had already written is kept as it was; should the audience have changed in between, a
/// person the re-read puts in another batch is claimed by the first (see <see cref="Outreach.OutreachContact"/>), so
/// nobody gets the campaign twice.
/// </summary>
public sealed partial class PlanCampaign(
    ICampaignStore campaigns,
    IEnumerable<ICampaignComposer> composers,
    IAlumniStore alumni,
    IProfileStore profiles,
    IConsentLedger consents,
    IWorkItemStore work,
    WorkItemRunner runner,
    OutreachPolicy policy,
    TimeProvider time,
    ILogger<PlanCampaign> logger)
{
    public const int PageSize = 1000;

    /// <summary>How long one run reads before it hands over to a follow-up (well inside the function timeout).</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromMinutes(2);

    /// <summary>Plans under <see cref="WorkItemRunner"/>: how the run ended is recorded in the work item.</summary>
    public async Task<(PlanOutcome? Plan, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        PlanOutcome? plan = null;
        var work = await runner.RunAsync(message, async ct =>
        {
            var outcome = await PlanAsync(message.SubjectId, ct);
            plan = outcome;
            LogOutcome(message.SubjectId, outcome);

            // Continued: picked up at the next dispatch. Superseded: another delivery is planning; should it die, the
            // held item brings planning back, and finds it done if it was not.
            return outcome switch
            {
                PlanOutcome.Continued => new WorkStep.Later(time.GetUtcNow(), "planning-continues"),
                PlanOutcome.Superseded => new WorkStep.Later(time.GetUtcNow() + Slice, "planned-elsewhere"),
                _ => (WorkStep)new WorkStep.Done(),
            };
        }, cancellationToken);
        return (plan, work);
    }

    private async Task<PlanOutcome> PlanAsync(string campaignId, CancellationToken cancellationToken)
    {
        if (await campaigns.GetAsync(campaignId, cancellationToken) is not { Status: CampaignStatus.Planning } campaign)
        {
            return PlanOutcome.NothingToDo;
        }

        var mail = await composers.Single(c => c.Kind == campaign.Kind).LoadAsync(campaign.SourceId, cancellationToken);
        if (mail is null)
        {
            campaign.Stop();
            return await campaigns.TryUpdateAsync(campaign, cancellationToken) ? PlanOutcome.SourceGone : PlanOutcome.Superseded;
        }

        var started = time.GetUtcNow();
        while (campaign.Status == CampaignStatus.Planning)
        {
            if (time.GetUtcNow() - started > Slice)
            {
                return PlanOutcome.Continued;
            }

            var checkpoint = (campaign.Continuation, campaign.Batches, campaign.AudienceSize);
            var batches = await PlanPageAsync(campaign, mail, cancellationToken);
            foreach (var batch in batches)
            {
                await campaigns.AddBatchAsync(batch, cancellationToken);
                await work.ScheduleAsync(new WorkItem { Kind = WorkKinds.CampaignBatch, SubjectId = batch.Key, DueAt = campaign.StartedAt }, cancellationToken);
            }

            if (!await campaigns.TryUpdateAsync(campaign, cancellationToken))
            {
                return await TryCheckpointStoppedAsync(campaign, checkpoint, cancellationToken) ? PlanOutcome.NothingToDo : PlanOutcome.Superseded;
            }
        }

        LogPlanned(campaign.Id, campaign.AudienceSize, campaign.Batches);
        return PlanOutcome.Planned;
    }

    /// <summary>
    /// The checkpoint lost to a stop written since it was read, and to nothing else (no other planner moved it): this
    /// page's batches exist, so the page is checkpointed on the stopped campaign, with its ETag. Dropped instead, the
    /// people it put in a batch would count as stopped twice: as still waiting on the campaign, and in their batch.
    /// </summary>
    private async Task<bool> TryCheckpointStoppedAsync(Campaign campaign, (string?, int, int) checkpoint, CancellationToken cancellationToken)
    {
        if (await campaigns.GetAsync(campaign.Id, cancellationToken) is not { Status: CampaignStatus.Stopped } current ||
            (current.Continuation, current.Batches, current.AudienceSize) != checkpoint)
        {
            return false;
        }

        campaign.Stop();
        campaign.ETag = current.ETag;
        return await campaigns.TryUpdateAsync(campaign, cancellationToken);
    }

    private async Task<List<CampaignBatch>> PlanPageAsync(Campaign campaign, ICampaignMail mail, CancellationToken cancellationToken)
    {
        var (page, next) = await alumni.ListMembersPageAsync(campaign.Continuation, PageSize, cancellationToken);
        var profilesOf = campaign.Audience.NeedsProfile ? await ProfilesAsync(profiles, page, cancellationToken) : [];
        var purpose = CampaignKinds.PurposeOf(campaign.Kind);
        var now = time.GetUtcNow();
        var batches = new List<CampaignBatch>();
        foreach (var alumnus in page)
        {
            var profile = profilesOf.GetValueOrDefault(alumnus.Id);
            if (!campaign.Audience.Matches(alumnus, profile) || !mail.Includes(alumnus, profile))
            {
                continue;
            }

            var granted = await consents.GrantedAsync(alumnus, cancellationToken);
            var denial = policy.Denial(alumnus, alumnus.Suppressed, granted, purpose, policy.RecentCampaigns(alumnus, campaign.Id, now).Count, now);
            if (campaign.Plan(alumnus.Id, alumnus.Locale, denial) is { } full)
            {
                batches.Add(full);
            }
        }

        campaign.PageRead(next);
        if (next is null)
        {
            batches.AddRange(campaign.FinishPlanning());
        }

        return batches;
    }

    /// <summary>The profiles of a page of alumni: one range query per bucket the page touches.</summary>
    internal static async Task<Dictionary<AlumnusId, Profile>> ProfilesAsync(IProfileStore profiles, IEnumerable<IRecipient> page, CancellationToken cancellationToken)
    {
        var found = new Dictionary<AlumnusId, Profile>();
        foreach (var bucket in page.Select(a => a.Id).GroupBy(id => id.Bucket))
        {
            var ids = bucket.OrderBy(id => id.Value, StringComparer.Ordinal).ToArray();
            await foreach (var profile in profiles.ListRangeAsync(ids[0], ids[^1], cancellationToken))
            {
                found[profile.AlumnusId] = profile;
            }
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} planning: {Outcome}")]
    private partial void LogOutcome(string campaignId, PlanOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} planned: {AudienceSize} in the audience, {Batches} batches")]
    private partial void LogPlanned(string campaignId, int audienceSize, int batches);
}
