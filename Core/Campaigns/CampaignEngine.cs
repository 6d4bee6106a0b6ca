using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// The campaign engine as features see it (<see cref="ICampaigns"/>): starting writes the campaign and a planning
/// work item; the dispatcher and the queue-triggered <see cref="PlanCampaign"/> and <see cref="SendCampaignBatch"/> do
/// the rest. Progress is summed from the batch rows (each written by the attempt that holds it and by the event webhook's
/// engagement counts), so counting never contends on one row.
/// </summary>
public sealed partial class CampaignEngine(
    ICampaignStore campaigns,
    IEnumerable<ICampaignComposer> composers,
    IWorkItemStore work,
    CampaignMailBuilder builder,
    TimeProvider time,
    ILogger<CampaignEngine> logger) : ICampaigns
{
    public async Task<CampaignStart> StartAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return new CampaignStart.Invalid(errors);
        }

        var campaign = Campaign.Start(request, time.GetUtcNow());
        var isNew = await campaigns.TryAddAsync(campaign, cancellationToken);
        var stored = isNew ? campaign : await campaigns.GetAsync(request.CampaignId, cancellationToken);

        // Scheduled on every call, from the stored start time: a start that died before this line is completed by the
        // next call, and a repeated call adds the same work item, which exists already.
        if (stored is { Status: CampaignStatus.Planning })
        {
            await work.ScheduleAsync(new WorkItem { Kind = WorkKinds.CampaignPlan, SubjectId = stored.Id, DueAt = stored.StartedAt }, cancellationToken);
        }

        if (isNew)
        {
            LogStarted(campaign.Id, campaign.Kind);
        }

        return new CampaignStart.Started(request.CampaignId, isNew);
    }

    public async Task StopAsync(string campaignId, CancellationToken cancellationToken)
    {
        while (await campaigns.GetAsync(campaignId, cancellationToken) is { Status: CampaignStatus.Planning or CampaignStatus.Sending } campaign)
        {
            campaign.Stop();
            if (await campaigns.TryUpdateAsync(campaign, cancellationToken))
            {
                LogStopped(campaignId);
                return;
            }
        }
    }

    public async Task<CampaignProgress?> GetProgressAsync(string campaignId, CancellationToken cancellationToken)
    {
        if (!Campaign.IsId(campaignId) || await campaigns.GetAsync(campaignId, cancellationToken) is not { } campaign)
        {
            return null;
        }

        var batches = await campaigns.ListBatchesAsync(campaignId, cancellationToken);
        var skipped = new Dictionary<string, int>(campaign.Excluded, StringComparer.Ordinal);

        // Those still waiting for a batch when a stop ended the planning will never be in one: skipped, not pending.
        var waiting = campaign.Waiting.Values.Sum(w => w.Count);
        var pending = campaign.Status == CampaignStatus.Stopped ? 0 : waiting;
        if (campaign.Status == CampaignStatus.Stopped && waiting > 0)
        {
            skipped[CampaignProgress.StoppedReason] = skipped.GetValueOrDefault(CampaignProgress.StoppedReason) + waiting;
        }

        foreach (var batch in batches)
        {
            foreach (var (reason, count) in batch.Skipped)
            {
                skipped[reason] = skipped.GetValueOrDefault(reason) + count;
            }

            // Each recipient is counted once: an unfinished batch (one given back after a refusal keeps its last attempt's
            // skipped) is pending only for those not skipped; a finished one's rest were erased or stopped before their mail.
            var rest = Math.Max(0, batch.Recipients.Count - batch.Skipped.Values.Sum() - batch.Sent - batch.Failed);
            if (!batch.IsDone)
            {
                pending += rest;
            }
            else if (rest > 0)
            {
                var reason = batch.Status == BatchStatus.Stopped ? CampaignProgress.StoppedReason : CampaignProgress.ErasedReason;
                skipped[reason] = skipped.GetValueOrDefault(reason) + rest;
            }
        }

        var done = batches.Count(b => b.IsDone);
        var status = campaign.Status == CampaignStatus.Sending && done == campaign.Batches ? CampaignStatus.Completed : campaign.Status;
        return new CampaignProgress(
            campaign.Id, campaign.Kind, campaign.SourceId, status, campaign.StartedAt, campaign.AudienceSize, skipped,
            batches.Sum(b => b.Sent), batches.Sum(b => b.Failed), pending,
            batches.Sum(b => b.Delivered), batches.Sum(b => b.Opened), batches.Sum(b => b.Clicked),
            campaign.Batches, done);
    }

    public async Task<IReadOnlyList<CampaignProgress>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var progress = new List<CampaignProgress>();
        await foreach (var campaign in campaigns.ListAsync(cancellationToken))
        {
            if (progress.Count == limit)
            {
                break;
            }

            progress.Add((await GetProgressAsync(campaign.Id, cancellationToken))!);
        }

        return progress;
    }

    public async Task<EmailMessage?> PreviewAsync(CampaignKind kind, string sourceId, Alumnus sample, CancellationToken cancellationToken)
    {
        var mail = await Composer(kind).LoadForPreviewAsync(sourceId, cancellationToken);
        var preview = Campaign.Start(new CampaignRequest("preview", kind, sourceId, AudienceSegment.Everyone, "preview"), time.GetUtcNow());
        return mail is null ? null : builder.Render(preview, mail, sample, CampaignBatch.KeyOf(preview.Id, 0));
    }

    private List<FieldError> Validate(CampaignRequest request)
    {
        var errors = new List<FieldError>();
        if (!Campaign.IsId(request.CampaignId))
        {
            errors.Add(new FieldError("campaignId", Campaign.IdRule));
        }

        if (!composers.Any(c => c.Kind == request.Kind))
        {
            errors.Add(new FieldError("kind", $"no composer is registered for {request.Kind}"));
        }

        if (string.IsNullOrWhiteSpace(request.SourceId) || request.SourceId.Length > 200)
        {
            errors.Add(new FieldError("sourceId", "must be given, at most 200 characters"));
        }

        return errors;
    }

    private ICampaignComposer Composer(CampaignKind kind) =>
        composers.FirstOrDefault(c => c.Kind == kind) ?? throw new InvalidOperationException($"No composer is registered for {kind}.");

    // No actor: an admin's Entra oid resolves to a person in the directory; the audit log names who started it.
    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} ({Kind}) started")]
    private partial void LogStarted(string campaignId, CampaignKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} stopped")]
    private partial void LogStopped(string campaignId);
}
