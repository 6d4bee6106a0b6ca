using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Campaigns;

public enum BatchOutcome
{
    Sent,

    /// <summary>Sent before, stopped, or unknown: a redelivered message does nothing.</summary>
    NothingToDo,

    /// <summary>Another delivery of the same message holds the batch and is sending it.</summary>
    Busy,

    /// <summary>The campaign was stopped (or its subject is gone) before the batch went.</summary>
    Stopped,

    /// <summary>The provider did not answer in time: the request may have gone, so it is not sent again blindly.</summary>
    OutcomeUnknown,
}

/// <summary>The batch could not be sent for a passing reason (the provider's 429 or 5xx after retries, contention): try later.</summary>
public sealed class BatchNotSentException(string batchKey, Exception? inner = null)
    : Exception($"Campaign batch {batchKey} was not sent; it will be tried again.", inner);

/// <summary>
/// Sends one campaign batch: reads its recipients' rows (a handful of range queries), asks the outreach gate per person
/// from the rows' projections, claims each allowed person on their own row (the promotional cap's counter, written
/// with the row's ETag in 100-row transactions, so two campaigns cannot both take a person's last place), records
/// every decision in the Sends ledger (100 rows a transaction), then makes one provider request for all of them.
/// Run twice on the same message it sends nothing twice: claims made by an earlier attempt are resumed, and a batch
/// the provider accepted is done.
/// </summary>
public sealed partial class SendCampaignBatch(
    ICampaignStore campaigns,
    IEnumerable<ICampaignComposer> composers,
    IAlumniStore alumni,
    IProfileStore profiles,
    IConsentLedger consents,
    ISendLedger sends,
    IBulkEmailSender email,
    IWorkItemStore work,
    CampaignMailBuilder builder,
    OutreachPolicy policy,
    TimeProvider time,
    ILogger<SendCampaignBatch> logger)
{
    /// <summary>Rounds of re-reading rows that changed under a claim before the batch gives up for now.</summary>
    private const int ClaimRounds = 5;

    public async Task<BatchOutcome> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        var outcome = CampaignBatch.TryParseKey(message.SubjectId, out var campaignId, out var number)
            ? await SendAsync(campaignId, number, cancellationToken)
            : BatchOutcome.NothingToDo;
        if (outcome != BatchOutcome.Busy)
        {
            // The attempt that holds the batch completes the item; a concurrent duplicate leaves it to it.
            await work.CompleteAsync(message.PartitionKey, message.RowKey, cancellationToken);
        }

        LogOutcome(message.SubjectId, outcome);
        return outcome;
    }

    private async Task<BatchOutcome> SendAsync(string campaignId, int number, CancellationToken cancellationToken)
    {
        if (await campaigns.GetBatchAsync(campaignId, number, cancellationToken) is not { IsDone: false } batch ||
            await campaigns.GetAsync(campaignId, cancellationToken) is not { } campaign)
        {
            return BatchOutcome.NothingToDo;
        }

        if (batch.Status == BatchStatus.Unknown)
        {
            // Settled by the provider's events, never by sending again blindly.
            return BatchOutcome.OutcomeUnknown;
        }

        // One attempt at a time: the batch row is taken with its ETag for a short lease.
        var now = time.GetUtcNow();
        if (!batch.IsFree(now))
        {
            return BatchOutcome.Busy;
        }

        (batch.Status, batch.LeaseUntil) = (BatchStatus.Claiming, now + CampaignBatch.Lease);
        if (!await campaigns.TryUpdateBatchAsync(batch, cancellationToken))
        {
            return BatchOutcome.Busy;
        }

        var mail = campaign.Status == CampaignStatus.Stopped ? null : await composers.Single(c => c.Kind == campaign.Kind).LoadAsync(campaign.SourceId, cancellationToken);
        if (mail is null)
        {
            batch.Status = BatchStatus.Stopped;
            await SaveAsync(batch, cancellationToken);
            return BatchOutcome.Stopped;
        }

        var decided = await DecideAndClaimAsync(campaign, batch, mail, cancellationToken);
        await sends.RecordBatchAsync(batch.Key, decided.Values.Select(d => d.Send).Where(s => s is not null).Cast<BatchSend>().ToArray(), cancellationToken);
        var claimed = decided.Values.Where(d => d.Send?.Status == BatchSendStatus.Claimed).Select(d => d.Alumnus!).ToArray();

        batch.Skipped = decided.Values.Where(d => d.Send?.Status == BatchSendStatus.Skipped).GroupBy(d => d.Send!.Reason!)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        // From here the provider may get the request: whatever happens next, the batch is never taken again blindly.
        (batch.Status, batch.RequestedAt) = (BatchStatus.Unknown, time.GetUtcNow());
        if (!await campaigns.TryUpdateBatchAsync(batch, cancellationToken))
        {
            return BatchOutcome.Busy;
        }

        var failed = await SendSplittingAsync(campaign, batch, mail, claimed, cancellationToken);
        if (failed is null)
        {
            batch.Status = BatchStatus.Unknown;
            await SaveAsync(batch, cancellationToken);
            return BatchOutcome.OutcomeUnknown;
        }

        batch.Failed = decided.Values.Count(d => d.Send?.Status == BatchSendStatus.Failed) + failed.Count;
        batch.Sent = claimed.Length - failed.Count + decided.Values.Count(d => d.Send?.Status == BatchSendStatus.Sent);
        batch.Status = BatchStatus.Sent;
        batch.SentAt ??= time.GetUtcNow();
        await SaveAsync(batch, cancellationToken);
        return BatchOutcome.Sent;
    }

    /// <param name="Alumnus">The recipient's row, when it still exists.</param>
    /// <param name="Send">The ledger row to write; null when the person is gone (erased) and nothing may be written about them.</param>
    private sealed record Decision(Alumnus? Alumnus, BatchSend? Send);

    /// <summary>Decides every recipient and claims the allowed ones on their rows, re-reading rows that changed meanwhile.</summary>
    private async Task<Dictionary<AlumnusId, Decision>> DecideAndClaimAsync(Campaign campaign, CampaignBatch batch, ICampaignMail mail, CancellationToken cancellationToken)
    {
        var earlier = (await sends.ListBatchAsync(batch.Key, cancellationToken)).ToDictionary(s => s.AlumnusId);
        var decided = new Dictionary<AlumnusId, Decision>();
        var pending = batch.Recipients.ToHashSet();
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round == ClaimRounds)
            {
                throw new BatchNotSentException(batch.Key);
            }

            var rows = await ReadAsync(pending, cancellationToken);
            var profilesOf = campaign.Audience.NeedsProfile ? await PlanCampaign.ProfilesAsync(profiles, rows.Values, cancellationToken) : [];
            var now = time.GetUtcNow();
            var toClaim = new List<Alumnus>();
            foreach (var id in pending)
            {
                var decision = await DecideAsync(campaign, batch, mail, id, rows.GetValueOrDefault(id), profilesOf.GetValueOrDefault(id), earlier.GetValueOrDefault(id), now, cancellationToken);
                decided[id] = decision;
                if (decision.Alumnus is not { } alumnus)
                {
                    continue;
                }

                // Claimed: this batch's contact on the row. Refused after an earlier attempt claimed: the contact goes,
                // it must not count towards the cap for a mail that never went.
                var claimedHere = alumnus.Contacts.Any(c => IsThisBatch(c, batch));
                if (decision.Send?.Status == BatchSendStatus.Claimed && !claimedHere)
                {
                    alumnus.Contacts = [new OutreachContact(campaign.Id, batch.Number, now), .. alumnus.Contacts.Where(c => c.At > now - OutreachContact.Kept)];
                    toClaim.Add(alumnus);
                }
                else if (decision.Send?.Status == BatchSendStatus.Skipped && claimedHere)
                {
                    alumnus.Contacts = alumnus.Contacts.Where(c => !IsThisBatch(c, batch)).ToArray();
                    toClaim.Add(alumnus);
                }
            }

            pending = [];
            foreach (var chunk in toClaim.GroupBy(a => a.Id.Bucket).SelectMany(bucket => bucket.Chunk(100)))
            {
                if (!await alumni.TryUpdateAllAsync(chunk, cancellationToken))
                {
                    pending.UnionWith(chunk.Select(a => a.Id));
                }
            }
        }

        return decided;
    }

    private async Task<Decision> DecideAsync(
        Campaign campaign, CampaignBatch batch, ICampaignMail mail, AlumnusId id, Alumnus? alumnus, Profile? profile, BatchSend? earlier, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (alumnus is null)
        {
            return new Decision(null, null);
        }

        if (earlier?.Status is BatchSendStatus.Sent or BatchSendStatus.Failed or BatchSendStatus.Skipped)
        {
            return new Decision(alumnus, earlier);
        }

        if (alumnus.Contacts.Any(c => c.CampaignId == campaign.Id && c.Batch != batch.Number))
        {
            return new Decision(alumnus, new BatchSend(id, BatchSendStatus.Skipped, "in-another-batch", now));
        }

        // A claim of an earlier attempt of this batch was never accepted by the provider (the batch is not sent): the
        // person is asked again, as anyone is, so consent withdrawn in between is honoured.
        var granted = alumnus.Consented ?? ConsentState.From(await consents.HistoryAsync(id, cancellationToken)).Granted;
        var denial = alumnus.Status != AlumnusStatus.Joined ? "not-a-member"
            : !campaign.Audience.Matches(alumnus, profile) || !mail.Includes(alumnus, profile) ? "left-the-audience"
            : policy.Denial(alumnus, alumnus.Suppressed, granted, CampaignKinds.PurposeOf(campaign.Kind), policy.RecentCampaigns(alumnus, campaign.Id, now).Count, now);
        return denial is null
            ? new Decision(alumnus, new BatchSend(id, BatchSendStatus.Claimed, null, now))
            : new Decision(alumnus, new BatchSend(id, BatchSendStatus.Skipped, denial, now));
    }

    private static bool IsThisBatch(OutreachContact contact, CampaignBatch batch) => contact.CampaignId == batch.CampaignId && contact.Batch == batch.Number;

    /// <summary>The recipients' rows: one range query per bucket they fall in.</summary>
    private async Task<Dictionary<AlumnusId, Alumnus>> ReadAsync(HashSet<AlumnusId> ids, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<AlumnusId, Alumnus>();
        foreach (var bucket in ids.GroupBy(id => id.Bucket))
        {
            var sorted = bucket.OrderBy(id => id.Value, StringComparer.Ordinal).ToArray();
            await foreach (var alumnus in alumni.ListRangeAsync(sorted[0], sorted[^1], cancellationToken))
            {
                if (ids.Contains(alumnus.Id))
                {
                    rows[alumnus.Id] = alumnus;
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// Sends the claimed recipients in as few requests as the provider takes. When it refuses a request as malformed,
    /// the recipients it names (or, failing that, the halves of the request) are tried apart until the offending ones
    /// are found; they are marked failed, the rest go.
    /// </summary>
    /// <returns>The recipients marked failed; null when a request's outcome is unknown (it timed out).</returns>
    private async Task<IReadOnlyList<Alumnus>?> SendSplittingAsync(Campaign campaign, CampaignBatch batch, ICampaignMail mail, Alumnus[] recipients, CancellationToken cancellationToken)
    {
        if (recipients.Length == 0)
        {
            return [];
        }

        var failed = new List<Alumnus>();
        var parts = new Queue<(Alumnus[] Recipients, bool Whole)>([(recipients, true)]);
        while (parts.TryDequeue(out var part))
        {
            var messages = builder.Build(campaign, batch, mail, part.Recipients);
            foreach (var (message, sent) in messages)
            {
                try
                {
                    batch.ProviderMessageId = await email.SendAsync(message, cancellationToken);

                    // One request for the whole batch is recorded by the batch alone; anything less, recipient by
                    // recipient, so a retry after a later part fails sends nobody twice.
                    if (!part.Whole || messages.Count > 1)
                    {
                        await MarkAsync(batch, sent, BatchSendStatus.Sent, null, cancellationToken);
                    }
                }
                catch (BulkEmailRejectedException rejected)
                {
                    var named = rejected.RecipientIndexes.Where(i => i < sent.Length).Select(i => sent[i]).ToArray();
                    var offending = named.Length > 0 ? named : sent.Length == 1 ? sent : [];
                    if (offending.Length > 0)
                    {
                        failed.AddRange(offending);
                        await MarkAsync(batch, offending, BatchSendStatus.Failed, "provider-rejected", cancellationToken);
                        parts.Enqueue((sent.Except(offending).ToArray(), false));
                    }
                    else
                    {
                        parts.Enqueue((sent[..(sent.Length / 2)], false));
                        parts.Enqueue((sent[(sent.Length / 2)..], false));
                    }
                }
                catch (EmailNotAcceptedException e)
                {
                    throw new BatchNotSentException(batch.Key, e);
                }
                catch (EmailOutcomeUnknownException e)
                {
                    LogOutcomeUnknown(batch.Key, e);
                    return null;
                }
            }
        }

        return failed;
    }

    private Task MarkAsync(CampaignBatch batch, IEnumerable<Alumnus> recipients, BatchSendStatus status, string? reason, CancellationToken cancellationToken) =>
        sends.RecordBatchAsync(batch.Key, recipients.Select(a => new BatchSend(a.Id, status, reason, time.GetUtcNow())).ToArray(), cancellationToken);

    /// <summary>Writes the batch's result; engagement counted by the provider's events meanwhile is kept.</summary>
    private async Task SaveAsync(CampaignBatch batch, CancellationToken cancellationToken)
    {
        while (!await campaigns.TryUpdateBatchAsync(batch, cancellationToken))
        {
            var current = await campaigns.GetBatchAsync(batch.CampaignId, batch.Number, cancellationToken)
                ?? throw new InvalidOperationException($"Campaign batch {batch.Key} vanished while it was sent.");
            (batch.Delivered, batch.Opened, batch.Clicked, batch.ETag) = (current.Delivered, current.Opened, current.Clicked, current.ETag);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign batch {BatchKey}: {Outcome}")]
    private partial void LogOutcome(string batchKey, BatchOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign batch {BatchKey}: the provider did not answer; the outcome is left to its events")]
    private partial void LogOutcomeUnknown(string batchKey, Exception exception);
}
