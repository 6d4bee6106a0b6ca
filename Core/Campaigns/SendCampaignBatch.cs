using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

    /// <summary>The provider did not answer: the request may have gone, so the batch waits for the provider's events.</summary>
    OutcomeUnknown,

    /// <summary>No evidence came within the window and the rule let it stand: treated as sent, never sent again.</summary>
    Unconfirmed,

    /// <summary>The run's time (<see cref="SendingOptions.BatchSendTime"/>) ran out before every request was made: the rest
    /// is given back, unsent, for the next run.</summary>
    OutOfTime,

    /// <summary>The provider asked for a wait when it last refused the batch (<see cref="CampaignBatch.NotBefore"/>) that has
    /// not passed: another delivery of the message sends nothing, and the item waits too.</summary>
    Throttled,
}

/// <summary>
/// Sends one campaign batch: reads its recipients' rows (a handful of range queries), asks the outreach rules per
/// person from the rows' projections, claims each allowed person on their own row (the promotional cap's counter,
/// written with the row's ETag in 100-row transactions, so two campaigns cannot both take a person's last place),
/// writes their ledger rows in the batch's partition (100 a transaction), marks the batch unknown, then makes one
/// provider request for all of them. Runs under <see cref="WorkItemRunner"/>: how it ended is recorded in the work item.
/// </summary>
/// <remarks>
/// An unknown outcome (ADR 0024) is settled request by request: every ledger row names the request that carried it,
/// and SendGrid accepts a request whole or not at all, so one provider event about a recipient of a request shows that
/// request, and no other, was accepted. When the window passes without any, and the event webhook is on to report
/// them and demonstrably accepted posts throughout (<see cref="SilenceRule"/>), the request did not arrive: its
/// recipients are asked again in the next attempt; without that proof the batch waits out SendGrid's retries. With the webhook off, or after
/// the last attempt, its recipients are treated as sent. Recipients no request carried yet are always sent next.
/// </remarks>
public sealed partial class SendCampaignBatch(
    ICampaignStore campaigns,
    IEnumerable<ICampaignComposer> composers,
    IAlumniStore alumni,
    IProfileStore profiles,
    IConsentLedger consents,
    ISendLedger sends,
    IOutreachLog decisions,
    ErasureRecheck recheck,
    IBulkEmailSender email,
    WorkItemRunner runner,
    CampaignMailBuilder builder,
    OutreachPolicy policy,
    IOptions<SendingOptions> sending,
    IOptions<SendGridEventWebhookOptions> events,
    IEventWebhookHeartbeat heartbeat,
    BatchStorageBudget budget,
    IMeterFactory meters,
    TimeProvider time,
    ILogger<SendCampaignBatch> logger)
{
    public const string MeterName = "AlumniNetwork.Campaigns";

    /// <summary>The window in which a crash leaves an accepted batch unknown (ADR 0024): from the provider's 202 to our sent mark.</summary>
    private readonly Histogram<double> sentMarkWindow = meters.Create(MeterName).CreateHistogram<double>(
        "campaign.batch.sent_mark_window", unit: "ms", description: "Time from the provider's acceptance of a batch to its sent mark");

    /// <summary>Requests a batch may take when their outcomes stay unknown: the second only when the first provably did not arrive.</summary>
    public const int MaxAttempts = 2;

    /// <summary>Rounds of re-reading rows that changed under a claim before the batch gives up for now.</summary>
    private const int ClaimRounds = 5;

    /// <summary>The ledger's evidence for a part of a batch the provider answered 202 on its own.</summary>
    private const string Accepted = "accepted";

    /// <summary>
    /// How old the run's decisions may be when a request is made: a later one (after a split, a throttled part or a slow
    /// claim) asks its recipients again from their rows as they are now (ADR 0024). Half a lease, so the normal run's
    /// one request never pays for it.
    /// </summary>
    public static readonly TimeSpan RecheckAfter = CampaignBatch.Lease / 2;

    public async Task<(BatchOutcome? Batch, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        BatchOutcome? batchOutcome = null;
        var work = await runner.RunAsync(message, async ct =>
        {
            var (outcome, step) = CampaignBatch.TryParseKey(message.SubjectId, out var campaignId, out var number)
                ? await SendAsync(campaignId, number, ct)
                : (BatchOutcome.NothingToDo, new WorkStep.Done());
            batchOutcome = outcome;
            LogOutcome(message.SubjectId, outcome);
            return step;
        }, cancellationToken);
        return (batchOutcome, work);
    }

    private async Task<(BatchOutcome, WorkStep)> SendAsync(string campaignId, int number, CancellationToken cancellationToken)
    {
        var done = new WorkStep.Done();
        if (await campaigns.GetBatchAsync(campaignId, number, cancellationToken) is not { IsDone: false } batch ||
            await campaigns.GetAsync(campaignId, cancellationToken) is not { } campaign)
        {
            return (BatchOutcome.NothingToDo, done);
        }

        // The row as stored: the claim below expects it so (a batch freed by settling is still Unknown there).
        var stored = (batch.Status, batch.LeaseUntil, batch.Attempts);
        var now = time.GetUtcNow();
        var deadline = now + sending.Value.BatchSendTime;

        // While a request may be in flight the batch is held to the end of this run, not for a short lease: one provider
        // call with its retries can outlast the lease (no retry begins past the deadline, and each try ends within
        // SendGrid:RequestTimeout, so the call ends inside the function timeout), and a settlement must not free the batch under it.
        var runEnd = now + SendingOptions.FunctionTimeout;
        if (batch.Status == BatchStatus.Unknown && await SettleAsync(batch, now, cancellationToken) is { } settled)
        {
            return settled;
        }

        // One attempt at a time: the batch row is taken with its ETag for a short lease.
        if (!batch.IsFree(now))
        {
            return (BatchOutcome.Busy, new WorkStep.Later(batch.LeaseUntil ?? now + CampaignBatch.Lease, "batch-held"));
        }

        // A refusal's asked wait is the work item's retry time; a duplicate or re-driven message must honour it as well.
        if (batch.NotBefore is { } notBefore && now < notBefore)
        {
            return (BatchOutcome.Throttled, new WorkStep.Later(notBefore, "provider-asked-wait"));
        }

        (batch.Status, batch.LeaseUntil) = (BatchStatus.Claiming, now + CampaignBatch.Lease);
        if (!await TryWriteAsync(batch, stored, ClaimRounds, cancellationToken))
        {
            return (BatchOutcome.Busy, new WorkStep.Later(now + CampaignBatch.Lease, "batch-held"));
        }

        if (stored.Status == BatchStatus.Claiming)
        {
            // An attempt died between its claim and its unknown mark, perhaps after logging refusals and before it looked
            // for erasures begun meanwhile: whatever this run does next (a stopped campaign sends nothing), it looks now.
            await TakeBackRefusalsAsync(campaign.Id, batch.Recipients, cancellationToken);
        }

        var mail = campaign.Status == CampaignStatus.Stopped ? null : await composers.Single(c => c.Kind == campaign.Kind).LoadAsync(campaign.SourceId, cancellationToken);
        if (mail is null)
        {
            return await StopAsync(batch, cancellationToken);
        }

        (BatchOutcome, WorkStep) busy = (BatchOutcome.Busy, new WorkStep.Later(now + CampaignBatch.Lease, "batch-held"));
        var attempt = batch.Attempts + 1;
        if (await DecideAndClaimAsync(campaign, batch, mail, attempt, now, cancellationToken) is not { } claim)
        {
            return busy;
        }

        var (decided, firstRequest) = claim;

        var skipped = decided.Where(d => d.Skip is not null).ToArray();
        if (!await LogRefusalsAsync(campaign, batch, skipped, now, cancellationToken) || !await HoldAsync(batch, until: null, cancellationToken))
        {
            return busy;
        }

        // The first request's recipients are marked unknown with the claims, the other requests' are only claimed, so a
        // request never made leaves its recipients sendable. Someone refused now whose earlier attempt left a row loses
        // it: that attempt's requests were proven not to have arrived, or never made, so they are skipped, not sent.
        var claimed = decided.Where(d => d.Claimed).Select(d => d.Recipient).ToArray();
        var requests = claimed.Length == 0 ? [] : builder.Build(campaign, batch, mail, claimed, attempt);
        var first = requests.Count == 0 ? [] : requests[0].Recipients.ToHashSet();
        var recorded = await sends.RecordBatchAsync(
            batch.Key,
            claimed.Select(a => first.Contains(a) ? new BatchSend(a.Id, SendState.Unknown, now, attempt, Request: firstRequest) : new BatchSend(a.Id, SendState.Claimed, now, attempt)).ToArray(),
            skipped.Where(d => d.Earlier is not null).Select(d => d.Recipient.Id).ToArray(),
            cancellationToken);
        batch.Skipped = skipped.GroupBy(d => d.Skip!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        // From here the provider may get the request: whatever happens next, the batch is never taken again blindly.
        var held = (batch.Status, batch.LeaseUntil, batch.Attempts);
        var marked = time.GetUtcNow();
        (batch.Status, batch.RequestedAt, batch.Attempts, batch.LeaseUntil) = (BatchStatus.Unknown, marked, attempt, runEnd);
        if (!await TryWriteAsync(batch, held, ClaimRounds, cancellationToken))
        {
            return busy;
        }

        IReadOnlyList<IRecipient> failed;
        int refusedLate;
        BatchOutcome? cutShort;
        try
        {
            (failed, refusedLate, cutShort) = await SendRequestsAsync(campaign, batch, mail, requests, attempt, firstRequest, recorded, now, deadline, runEnd, cancellationToken);
        }
        catch (EmailNotAcceptedException e)
        {
            // Certainly not accepted (throttled, failing, unreachable, or the message itself refused): the batch is free
            // again, and the work item backs off, or waits for an operator when waiting cannot cure it (ADR 0016). The
            // wait the provider asked for is kept on the batch, which no run takes before it ends.
            batch.NotBefore = runner.AskedWaitEnd(e, time.GetUtcNow());
            await GiveBackAsync(batch, attempt, cancellationToken);
            throw;
        }
        catch (EmailOutcomeUnknownException e)
        {
            LogOutcomeUnknown(batch.Key, e);

            // The attempt ends here, and its lease with it: settlement waits for a live attempt's lease, not a finished one's.
            var leased = (batch.Status, batch.LeaseUntil, batch.Attempts);
            batch.LeaseUntil = null;
            await TryWriteAsync(batch, leased, ClaimRounds, cancellationToken);
            return (BatchOutcome.OutcomeUnknown, new WorkStep.Later(batch.RequestedAt.Value + sending.Value.OutcomeWindow, "awaiting-evidence"));
        }

        switch (cutShort)
        {
            case BatchOutcome.OutOfTime:
                // Out of time before every request was made: free again as after a refusal, and taken up again at once.
                await GiveBackAsync(batch, attempt, cancellationToken);
                LogOutOfTime(batch.Key);
                return (BatchOutcome.OutOfTime, new WorkStep.Later(time.GetUtcNow(), "batch-send-time"));
            case BatchOutcome.Stopped:
                return await StopAsync(batch, cancellationToken);
            case BatchOutcome.Busy:
                return busy;
        }

        var accepted = time.GetTimestamp();
        batch.Failed = failed.Count + decided.Count(d => d.Final == SendState.Dropped);
        batch.Sent = claimed.Length - failed.Count - refusedLate + decided.Count(d => d.Final is SendState.Sent or SendState.Unconfirmed);
        batch.Status = BatchStatus.Sent;
        batch.SentAt ??= time.GetUtcNow();
        await SaveAsync(batch, cancellationToken);
        sentMarkWindow.Record(time.GetElapsedTime(accepted).TotalMilliseconds);
        return (BatchOutcome.Sent, done);
    }

    /// <summary>
    /// Ends the batch of a stopped campaign, whether the stop came before its first request or between two: parts the
    /// provider accepted, or its events settled, before the stop were sent all the same, and count so; the rest stay
    /// unsent, counted as stopped by the campaign's progress. Their claims go back first (ADR 0023), so that a
    /// corrected campaign sent after the stop is not refused for the cap by a mail that never went: only the claims of
    /// recipients no request carried (no ledger row, or one still <see cref="SendState.Claimed"/>), taken back while this
    /// attempt holds the batch. Anyone a request may have reached (unknown, sent, unconfirmed) or the provider dropped
    /// keeps theirs. Taking back before the stopped mark makes a crash in between harmless: the next delivery finds the
    /// batch unfinished, takes it when the lease lapses and does the same again, finding those claims gone.
    /// </summary>
    private async Task<(BatchOutcome, WorkStep)> StopAsync(CampaignBatch batch, CancellationToken cancellationToken)
    {
        var rows = await sends.ListBatchAsync(batch.Key, cancellationToken);
        var requested = rows.Where(r => r.State != SendState.Claimed).Select(r => r.AlumnusId).ToHashSet();
        if (!await TakeBackClaimsAsync(batch, batch.Recipients.Where(id => !requested.Contains(id)), cancellationToken))
        {
            return (BatchOutcome.Busy, new WorkStep.Later(time.GetUtcNow() + CampaignBatch.Lease, "batch-held"));
        }

        (batch.Sent, batch.Failed) = (rows.Count(r => r.State is SendState.Sent or SendState.Unconfirmed), rows.Count(r => r.State == SendState.Dropped));
        batch.Status = BatchStatus.Stopped;
        await SaveAsync(batch, cancellationToken);
        return (BatchOutcome.Stopped, new WorkStep.Done());
    }

    /// <summary>
    /// An unknown batch once its window has passed. Each request of the last attempt whose recipients are still unknown
    /// is settled on its own: evidence about one of its recipients (an event, or the 202 recorded for a part) proves it
    /// arrived; without any, the rule decides. Freed for another attempt (null) when a request is judged not to have
    /// arrived, or when some recipients were claimed by a request never made; never while an attempt holds its lease.
    /// </summary>
    private async Task<(BatchOutcome, WorkStep)?> SettleAsync(CampaignBatch batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = sending.Value.OutcomeWindow;
        if (batch.RequestedAt is { } requested && now < requested + window)
        {
            return Awaiting(requested + window);
        }

        // An attempt still at work holds the batch to its run's end before each request: freeing the batch under it would
        // let another attempt send the requests it is making or about to make. The window alone does not rule that out, as
        // it may be shorter than a run.
        if (batch.LeaseUntil is { } leased && now < leased)
        {
            return (BatchOutcome.Busy, new WorkStep.Later(leased, "batch-held"));
        }

        // The attempt is over. It may have died after a recheck logged refusals and before it looked for erasures begun
        // meanwhile (one that died before its unknown mark is looked at when the batch is claimed): look now.
        await TakeBackRefusalsAsync(batch.CampaignId, batch.Recipients, cancellationToken);

        var rows = await sends.ListBatchAsync(batch.Key, cancellationToken);
        var open = rows.Where(r => r.Attempt == batch.Attempts && r.Request > 0).GroupBy(r => r.Request).Where(g => g.Any(r => r.State == SendState.Unknown)).ToArray();
        var (proven, unproven) = (open.Where(g => g.Any(IsProof)).ToArray(), open.Where(g => !g.Any(IsProof)).ToArray());

        // A later request of the attempt was marked, and made, after the batch's request time: its window runs from then.
        if (unproven.SelectMany(g => g).Max(r => (DateTimeOffset?)r.At) is { } lastMarked && now < lastMarked + window)
        {
            return Awaiting(lastMarked + window);
        }

        var ruled = !events.Value.IsConfigured || batch.Attempts >= MaxAttempts;
        var rule = "rule:no-evidence";
        if (!ruled && unproven.Length > 0)
        {
            // Silence means the request never arrived only while the webhook was accepting posts throughout: a refused
            // post is retried by SendGrid for a day, and a re-send would mail the whole request twice.
            var marked = unproven.SelectMany(g => g).Select(r => r.At).ToArray();
            var (verdict, at) = sending.Value.Silence.Judge(marked.Min(), marked.Max(), now, await heartbeat.CurrentRunAsync(cancellationToken));
            if (verdict == SilenceVerdict.Wait)
            {
                return Awaiting(at);
            }

            if (verdict == SilenceVerdict.GiveUp)
            {
                (ruled, rule) = (true, "rule:webhook-silent");
                LogWebhookSilent(batch.Key);
            }
        }

        BatchSend[] settling =
        [
            .. proven.SelectMany(g => g).Where(r => r.State == SendState.Unknown).Select(r => r with { State = SendState.Sent, At = now, Evidence = "request-accepted" }),
            .. ruled ? unproven.SelectMany(g => g).Where(r => r.State == SendState.Unknown).Select(r => r with { State = SendState.Unconfirmed, At = now, Evidence = rule }) : [],
        ];

        // Row by row with their ETags: an open noted, or a drop applied, since the rows were listed is kept.
        var settled = settling.Length > 0 ? await sends.SettleBatchAsync(batch.Key, settling, cancellationToken) : [];

        // The event webhook reports every request SendGrid accepts, and none came for this one: it never arrived. And a
        // request never made sent nobody. Either way its recipients are asked again, and only they.
        if ((!ruled && unproven.Length > 0) || rows.Any(r => r.Attempt == batch.Attempts && r.State == SendState.Claimed))
        {
            batch.Status = BatchStatus.Planned;
            return null;
        }

        var changed = settled.ToDictionary(r => r.AlumnusId);
        var final = rows.Select(r => changed.GetValueOrDefault(r.AlumnusId) ?? r).ToArray();
        var confirmed = !final.Any(r => r.State == SendState.Unconfirmed);
        batch.Status = confirmed ? BatchStatus.Sent : BatchStatus.Unconfirmed;
        batch.Sent = final.Count(r => r.State is SendState.Sent or SendState.Unconfirmed);
        batch.Failed = final.Count(r => r.State == SendState.Dropped);
        batch.SentAt ??= now;
        await SaveAsync(batch, cancellationToken);
        return (confirmed ? BatchOutcome.Sent : BatchOutcome.Unconfirmed, new WorkStep.Done());

        static (BatchOutcome, WorkStep) Awaiting(DateTimeOffset until) => (BatchOutcome.OutcomeUnknown, new WorkStep.Later(until, "awaiting-evidence"));
    }

    /// <summary>Whether a row shows its request reached the provider: an event about it, or the 202 recorded for its part.</summary>
    private static bool IsProof(BatchSend row) =>
        row.Evidence is { } evidence && (evidence.StartsWith("event:", StringComparison.Ordinal) || evidence == Accepted);

    /// <param name="Claimed">Claimed for this attempt (now, or by an earlier attempt of this batch that never sent it).</param>
    /// <param name="Skip">Why the rules refuse the person now; null when they are claimed or their send is final.</param>
    /// <param name="Earlier">Their row from an earlier attempt of this batch, if any.</param>
    /// <param name="Private">Left out by the composer's own rule, which says such exclusions are only counted (<see cref="ICampaignMail.ExclusionsArePrivate"/>).</param>
    private sealed record Decision(CampaignRecipient Recipient, bool Claimed, string? Skip, SendState? Earlier, bool Private = false)
    {
        /// <summary>How an earlier attempt ended for them, when that is final and they are not asked again.</summary>
        public SendState? Final => !Claimed && Skip is null ? Earlier : null;
    }

    /// <summary>
    /// Decides every recipient and claims the allowed ones on their rows, re-reading rows that changed meanwhile. Also
    /// numbers the attempt's first request after any of the same attempt made before it was given back (a part accepted,
    /// a later one refused): settlement goes by request, so a new request must never share the number of an accepted one.
    /// </summary>
    /// <returns>Null when another attempt took the batch meanwhile (<see cref="HoldAsync"/>): nothing more is claimed.</returns>
    private async Task<(List<Decision> Decided, int FirstRequest)?> DecideAndClaimAsync(
        Campaign campaign, CampaignBatch batch, ICampaignMail mail, int attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await sends.ListBatchAsync(batch.Key, cancellationToken);
        var earlier = stored.ToDictionary(s => s.AlumnusId);
        var firstRequest = 1 + stored.Where(r => r.Attempt == attempt).Select(r => r.Request).DefaultIfEmpty(0).Max();
        var decided = new Dictionary<AlumnusId, Decision>();
        var pending = batch.Recipients.ToHashSet();
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round == ClaimRounds)
            {
                throw new RequestFailedException(412, $"Recipients of campaign batch {batch.Key} kept changing while they were claimed.");
            }

            var rows = await ReadAsync(pending, cancellationToken);
            var profilesOf = campaign.Audience.NeedsProfile ? await PlanCampaign.ProfilesAsync(profiles, rows.Values, cancellationToken) : [];
            var toWrite = new List<IRecipient>();
            foreach (var id in pending)
            {
                // An erased person is gone from the batch, and so is one whose erasure has begun: nothing is written about
                // them (a refusal's decision written now could land after the erasure removed theirs, and outlive it). A
                // claim on a row the erasure flags meanwhile fails on its ETag and is decided again from the flagged row.
                if (rows.GetValueOrDefault(id) is not { ErasureStartedAt: null } alumnus)
                {
                    decided.Remove(id);
                    continue;
                }

                // A thousand consent reads can outlast the lease: it is renewed as they go.
                if (!await HoldAsync(batch, until: null, cancellationToken))
                {
                    return null;
                }

                var decision = await DecideAsync(campaign, batch, mail, alumnus, profilesOf.GetValueOrDefault(id), earlier.GetValueOrDefault(id), now, cancellationToken);
                decided[id] = decision;

                // Claimed: this batch's contact on the row. Refused after an earlier attempt claimed: the contact goes, it
                // must not count towards the cap for a mail that never went.
                var claimedHere = alumnus.Contacts.Any(c => IsThisBatch(c, batch));
                if (decision.Claimed && !claimedHere)
                {
                    alumnus.Contacts = [new OutreachContact(campaign.Id, batch.Number, now), .. alumnus.Contacts.Where(c => c.At > now - OutreachContact.Kept)];
                    toWrite.Add(alumnus);
                }
                else if (decision.Skip is not null && claimedHere)
                {
                    alumnus.Contacts = alumnus.Contacts.Where(c => !IsThisBatch(c, batch)).ToArray();
                    toWrite.Add(alumnus);
                }
            }

            if (toWrite.Count > 0 && !await HoldAsync(batch, until: null, cancellationToken))
            {
                return null;
            }

            pending = await WriteContactsAsync(toWrite, cancellationToken);
        }

        return ([.. decided.Values], firstRequest);
    }

    /// <summary>
    /// Takes this batch's claims off the rows of the recipients given, re-reading rows that changed meanwhile. A row whose
    /// erasure has begun is left alone: it is leaving with its claims, and a write would only move the ETag the erasure holds.
    /// </summary>
    /// <returns>False when another attempt took the batch meanwhile (<see cref="HoldAsync"/>): nothing more is written.</returns>
    private async Task<bool> TakeBackClaimsAsync(CampaignBatch batch, IEnumerable<AlumnusId> unsent, CancellationToken cancellationToken)
    {
        var pending = unsent.ToHashSet();
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round == ClaimRounds)
            {
                throw new RequestFailedException(412, $"Recipients of campaign batch {batch.Key} kept changing while their claims were taken back.");
            }

            var rows = await ReadAsync(pending, cancellationToken);
            var toWrite = rows.Values.Where(a => a.ErasureStartedAt is null && a.Contacts.Any(c => IsThisBatch(c, batch))).ToArray();
            if (toWrite.Length > 0 && !await HoldAsync(batch, until: null, cancellationToken))
            {
                return false;
            }

            Array.ForEach(toWrite, a => a.Contacts = a.Contacts.Where(c => !IsThisBatch(c, batch)).ToArray());
            pending = await WriteContactsAsync(toWrite, cancellationToken);
        }

        return true;
    }

    /// <summary>Writes the rows' <c>Contacts</c> with their ETags, 100 of a bucket per transaction.</summary>
    /// <returns>The people whose rows changed since they were read: none of their transaction was written.</returns>
    private async Task<HashSet<AlumnusId>> WriteContactsAsync(IEnumerable<IRecipient> rows, CancellationToken cancellationToken)
    {
        var lost = new ConcurrentBag<AlumnusId>();
        await InFlightAsync(rows.GroupBy(a => a.Id.Bucket).SelectMany(bucket => bucket.Chunk(100)), async (chunk, ct) =>
        {
            if (!await alumni.TryWriteContactsAsync(chunk, ct))
            {
                Array.ForEach(chunk, a => lost.Add(a.Id));
            }
        }, cancellationToken);
        return [.. lost];
    }

    private async Task<Decision> DecideAsync(
        Campaign campaign, CampaignBatch batch, ICampaignMail mail, CampaignRecipient alumnus, Profile? profile, BatchSend? earlier, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (earlier?.State is SendState.Sent or SendState.Dropped or SendState.Unconfirmed)
        {
            return new Decision(alumnus, false, null, earlier.State);
        }

        if (alumnus.Contacts.Any(c => c.CampaignId == campaign.Id && c.Batch != batch.Number))
        {
            return new Decision(alumnus, false, "in-another-batch", earlier?.State);
        }

        // A claim of an earlier attempt of this batch that never reached the provider is asked again, as anyone is, so
        // consent withdrawn in between is honoured.
        var granted = await consents.GrantedAsync(alumnus, cancellationToken);
        var member = alumnus.Status == AlumnusStatus.Joined;
        var outside = member && !campaign.Audience.Matches(alumnus, profile);
        var excluded = member && !outside && !mail.Includes(alumnus, profile);
        var denial = !member ? "not-a-member"
            : outside || excluded ? "left-the-audience"
            : policy.Denial(alumnus, alumnus.Suppressed, granted, CampaignKinds.PurposeOf(campaign.Kind), policy.RecentCampaigns(alumnus, campaign.Id, now).Count, now);
        return new Decision(alumnus, denial is null, denial, earlier?.State, excluded && mail.ExclusionsArePrivate);
    }

    /// <summary>
    /// The rows of the people refused are read again after their refusals were logged (ADR 0024), as a page re-reads its
    /// person after a write (<see cref="ErasureRecheck"/>): a refusal decided from a row read just before the erasure set
    /// its flag can land after the erasure removed the person's decisions. A row still held with no erasure begun means
    /// the flag, and the erasure's removal after it, come later and find the refusal; a row flagged or gone has the
    /// campaign's refusal taken back, its work item (<see cref="TakeBackWrites"/>) written first. Allowed decisions are
    /// never touched: the erasure keeps those to date the consent entries it retains.
    /// </summary>
    private async Task TakeBackRefusalsAsync(string campaignId, IEnumerable<AlumnusId> refused, CancellationToken cancellationToken)
    {
        var ids = refused.ToHashSet();
        if (ids.Count == 0)
        {
            return;
        }

        var rows = await ReadAsync(ids, cancellationToken);
        foreach (var id in ids.Where(id => rows.GetValueOrDefault(id) is not { ErasureStartedAt: null }))
        {
            var refusals = (await decisions.SinceAsync(id, DateTimeOffset.MinValue, cancellationToken)).Where(d => d.CampaignId == campaignId && !d.Allowed).ToArray();
            if (refusals.Length > 0)
            {
                await recheck.TakeBackAsync(id, ct => decisions.RemoveAsync(refusals, ct), cancellationToken);
            }
        }
    }

    private static bool IsThisBatch(OutreachContact contact, CampaignBatch batch) => contact.CampaignId == batch.CampaignId && contact.Batch == batch.Number;

    /// <summary>The recipients' rows, only the columns the batch reads (<see cref="CampaignRecipient"/>): one range query per bucket they fall in.</summary>
    private async Task<Dictionary<AlumnusId, CampaignRecipient>> ReadAsync(HashSet<AlumnusId> ids, CancellationToken cancellationToken)
    {
        var rows = new ConcurrentDictionary<AlumnusId, CampaignRecipient>();
        await InFlightAsync(ids.GroupBy(id => id.Bucket), async (bucket, ct) =>
        {
            var sorted = bucket.OrderBy(id => id.Value, StringComparer.Ordinal).ToArray();
            await foreach (var alumnus in alumni.ListRecipientsAsync(sorted[0], sorted[^1], ct))
            {
                if (ids.Contains(alumnus.Id))
                {
                    rows[alumnus.Id] = alumnus;
                }
            }
        }, cancellationToken);
        return new Dictionary<AlumnusId, CampaignRecipient>(rows);
    }

    /// <summary>
    /// One round trip per item, several at once (a small audience spreads its thousand rows over up to 256 buckets, one
    /// range read and one claim transaction each, which one after another took seconds per batch), as many as the
    /// instance's <see cref="BatchStorageBudget"/> has free.
    /// </summary>
    private Task InFlightAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> roundTrip, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = BatchStorageBudget.Slots, CancellationToken = cancellationToken },
            async (item, ct) => await budget.RunAsync(() => roundTrip(item, ct), ct));

    /// <summary>
    /// Makes the attempt's requests one after another. Each request's recipients are marked unknown with its number
    /// just before it is made (the first request's were, with the claims), so an unknown outcome leaves the recipients
    /// of later requests claimed and never requested, and only evidence about that request settles it. When the
    /// provider refuses a request for its recipients, the ones it names (or, failing that, the halves of the request)
    /// are tried apart until the offending ones are found; they are marked dropped, the rest go. A refusal of the message
    /// itself (a 400 naming no recipient, or all of several) drops nobody: it ends the attempt as any refusal does, its
    /// recipients claimed, and the item waits for an operator. An accepted part is marked sent with the versions of its
    /// unknown mark: an event the webhook applied to a row in between (a drop, an open noted) is kept, not overwritten.
    /// </summary>
    /// <param name="recorded">The attempt's ledger rows as written with its claims, with their versions.</param>
    /// <param name="deadline">No request is begun past it (nor a wait to retry one): the host's timeout would cut the run
    /// wherever it is, and a request refused while it waited would be left looking as if it might have gone.</param>
    /// <param name="runEnd">The end of this run, to which each request holds the batch: no call outlives it.</param>
    /// <param name="decidedAt">When the run began deciding: a request made <see cref="RecheckAfter"/> later is rechecked.</param>
    /// <returns>The recipients the provider refused, how many a recheck refused, and why the requests ended before the
    /// last when they did: the deadline came (<see cref="BatchOutcome.OutOfTime"/>) or the campaign was stopped
    /// (<see cref="BatchOutcome.Stopped"/>), the unrequested left claimed; or another attempt took the batch
    /// (<see cref="BatchOutcome.Busy"/>), nothing more written.</returns>
    private async Task<(IReadOnlyList<IRecipient> Failed, int Refused, BatchOutcome? CutShort)> SendRequestsAsync(
        Campaign campaign, CampaignBatch batch, ICampaignMail mail, IReadOnlyList<(Func<BulkMessage> Message, IRecipient[] Recipients)> requests, int attempt, int firstRequest,
        IReadOnlyList<BatchSend> recorded, DateTimeOffset decidedAt, DateTimeOffset deadline, DateTimeOffset runEnd, CancellationToken cancellationToken)
    {
        var rows = recorded.ToDictionary(r => r.AlumnusId);
        var failed = new List<IRecipient>();
        var refused = 0;
        var parts = new Queue<(Func<BulkMessage> Message, IRecipient[] Recipients)>(requests);
        for (var request = firstRequest; parts.TryDequeue(out var part); request++)
        {
            // Each request holds the batch anew to the run's end (the first was held by the unknown mark just written), and
            // finds out whether another attempt took it meanwhile.
            if (request > firstRequest && !await HoldAsync(batch, until: runEnd, cancellationToken))
            {
                return (failed, refused, BatchOutcome.Busy);
            }

            // Decisions that have aged (a split, a throttled part, a slow claim) are made again before the request goes, and
            // before the deadline and a stop are looked at: the recheck takes time of its own.
            if (time.GetUtcNow() - decidedAt >= RecheckAfter)
            {
                if (await RecheckAsync(campaign, batch, mail, part.Recipients, cancellationToken) is not { } allowed)
                {
                    return (failed, refused, BatchOutcome.Busy);
                }

                // Nobody left: no request is made, and its number is not used again (the ledger's numbers may have gaps).
                refused += part.Recipients.Length - allowed.Count;
                if (allowed.Count == 0)
                {
                    continue;
                }

                // The rows as they are now may build more than one part. The first request's recipients were marked unknown
                // under its number with the claims, so those it no longer carries are claimed again, as never requested
                // by it: a settlement proving the first request must not count them sent.
                var rebuilt = builder.Build(campaign, batch, mail, allowed, attempt);
                if (request == firstRequest && rebuilt.Count > 1)
                {
                    await MarkAsync(batch, rebuilt.Skip(1).SelectMany(p => p.Recipients), SendState.Claimed, null, attempt, 0, cancellationToken);
                }

                part = rebuilt[0];
                foreach (var more in rebuilt.Skip(1))
                {
                    parts.Enqueue(more);
                }
            }

            // A stop between two requests ends the batch as one before the first does: nothing more is asked of the provider.
            var cut = time.GetUtcNow() >= deadline ? BatchOutcome.OutOfTime
                : await campaigns.GetAsync(campaign.Id, cancellationToken) is not { Status: not CampaignStatus.Stopped } ? BatchOutcome.Stopped
                : (BatchOutcome?)null;
            if (cut is not null)
            {
                await MarkAsync(batch, [.. part.Recipients, .. parts.SelectMany(p => p.Recipients)], SendState.Claimed, null, attempt, 0, cancellationToken);
                return (failed, refused, cut);
            }

            var sent = part.Recipients;

            if (request > firstRequest)
            {
                foreach (var row in await MarkAsync(batch, sent, SendState.Unknown, null, attempt, request, cancellationToken))
                {
                    rows[row.AlumnusId] = row;
                }
            }

            try
            {
                batch.ProviderMessageId = await email.SendAsync(part.Message(), deadline, cancellationToken);

                // One request for the whole batch is recorded by the batch alone; anything less, recipient by
                // recipient, so a retry after a later part fails sends nobody twice.
                if (request > 1 || parts.Count > 0)
                {
                    var at = time.GetUtcNow();
                    await sends.SettleBatchAsync(
                        batch.Key,
                        sent.Select(a => (rows.GetValueOrDefault(a.Id) ?? new BatchSend(a.Id, SendState.Unknown, at, attempt, Request: request)) with { State = SendState.Sent, At = at, Evidence = Accepted }).ToArray(),
                        cancellationToken);
                }
            }
            catch (BulkEmailRejectedException rejected)
            {
                // Nothing of a refused request went: the offending recipients are dropped, the others wait, claimed,
                // for a request of their own.
                var named = rejected.RecipientIndexes.Where(i => i < sent.Length).Select(i => sent[i]).ToArray();
                var offending = named.Length > 0 ? named : sent.Length == 1 ? sent : [];
                var rest = sent.Except(offending).ToArray();
                var at = time.GetUtcNow();
                await sends.RecordBatchAsync(batch.Key, [
                    .. offending.Select(a => new BatchSend(a.Id, SendState.Dropped, at, attempt, "provider-rejected", request)),
                    .. rest.Select(a => new BatchSend(a.Id, SendState.Claimed, at, attempt)),
                ], [], cancellationToken);
                failed.AddRange(offending);
                IRecipient[][] retried = offending.Length > 0 ? [rest] : [rest[..(rest.Length / 2)], rest[(rest.Length / 2)..]];
                foreach (var retry in retried.Where(r => r.Length > 0).SelectMany(r => builder.Build(campaign, batch, mail, r, attempt)))
                {
                    parts.Enqueue(retry);
                }
            }
            catch (EmailNotAcceptedException)
            {
                // Certainly not accepted: its recipients were not sent, and are claimed again by the next attempt.
                await MarkAsync(batch, sent, SendState.Claimed, null, attempt, 0, cancellationToken);
                throw;
            }
        }

        return (failed, refused, null);
    }

    /// <summary>
    /// The gate again, for the recipients of a request about to go later than <see cref="RecheckAfter"/> after the run
    /// decided them: their rows are read again (the claim's range reads) and each is decided as the claim did, so a
    /// withdrawal, an unsubscribe, a suppression or an erasure begun meanwhile is honoured. Someone refused now is skipped
    /// for the reason (a decision logged, unless the composer's exclusions are private), their claim given back and their
    /// ledger row removed; someone whose erasure began is left out, nothing logged about them, their unsent ledger row
    /// removed.
    /// </summary>
    /// <returns>The recipients still allowed, as their rows are now; null when another attempt took the batch meanwhile.</returns>
    private async Task<IReadOnlyList<IRecipient>?> RecheckAsync(Campaign campaign, CampaignBatch batch, ICampaignMail mail, IRecipient[] recipients, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await ReadAsync(recipients.Select(r => r.Id).ToHashSet(), cancellationToken);
        var profilesOf = campaign.Audience.NeedsProfile ? await PlanCampaign.ProfilesAsync(profiles, rows.Values, cancellationToken) : [];
        var allowed = new List<IRecipient>();
        var refused = new List<Decision>();
        foreach (var row in recipients.Select(r => rows.GetValueOrDefault(r.Id)).OfType<CampaignRecipient>().Where(r => r.ErasureStartedAt is null))
        {
            var decision = await DecideAsync(campaign, batch, mail, row, profilesOf.GetValueOrDefault(row.Id), earlier: null, now, cancellationToken);
            if (decision.Claimed)
            {
                allowed.Add(row);
            }
            else
            {
                refused.Add(decision);
            }
        }

        if (allowed.Count == recipients.Length)
        {
            return allowed;
        }

        LogRechecked(batch.Key, recipients.Length - allowed.Count);
        if (refused.Count > 0 && (!await LogRefusalsAsync(campaign, batch, refused, now, cancellationToken) || !await TakeBackClaimsAsync(batch, refused.Select(d => d.Recipient.Id), cancellationToken)))
        {
            return null;
        }

        // Neither the refused nor those whose erasure began were requested: their ledger rows (unknown under the first
        // request's number, or claimed) go, so no settlement of the batch counts them sent.
        var allowedIds = allowed.Select(a => a.Id).ToHashSet();
        await sends.RecordBatchAsync(batch.Key, [], recipients.Select(r => r.Id).Where(id => !allowedIds.Contains(id)).ToArray(), cancellationToken);
        foreach (var decision in refused)
        {
            batch.Skipped[decision.Skip!] = batch.Skipped.GetValueOrDefault(decision.Skip!) + 1;
        }

        return allowed;
    }

    /// <summary>
    /// Logs the refusals among <paramref name="skipped"/> (not those the composer keeps private), holding the batch as it
    /// goes, then takes back any that an erasure begun meanwhile must not find (<see cref="TakeBackRefusalsAsync"/>).
    /// </summary>
    /// <returns>False when another attempt took the batch meanwhile: nothing more is written.</returns>
    private async Task<bool> LogRefusalsAsync(Campaign campaign, CampaignBatch batch, IEnumerable<Decision> skipped, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var logged = skipped.Where(d => !d.Private).ToArray();
        foreach (var decision in logged)
        {
            if (!await HoldAsync(batch, until: null, cancellationToken))
            {
                return false;
            }

            await decisions.RecordAsync(new OutreachDecision(decision.Recipient.Id, campaign.Id, CampaignKinds.PurposeOf(campaign.Kind), true, false, decision.Skip!, now), cancellationToken);
        }

        await TakeBackRefusalsAsync(campaign.Id, logged.Select(d => d.Recipient.Id), cancellationToken);
        return true;
    }

    private Task<IReadOnlyList<BatchSend>> MarkAsync(CampaignBatch batch, IEnumerable<IRecipient> recipients, SendState state, string? evidence, int attempt, int request, CancellationToken cancellationToken) =>
        sends.RecordBatchAsync(batch.Key, recipients.Select(a => new BatchSend(a.Id, state, time.GetUtcNow(), attempt, evidence, request)).ToArray(), [], cancellationToken);

    /// <summary>Frees the batch for another attempt, which numbers itself as this one: nothing of this one is unknown.</summary>
    private Task GiveBackAsync(CampaignBatch batch, int attempt, CancellationToken cancellationToken)
    {
        (batch.Status, batch.Attempts) = (BatchStatus.Planned, attempt - 1);
        return SaveAsync(batch, cancellationToken);
    }

    /// <summary>Writes the batch's result; engagement counted by the provider's events meanwhile is kept.</summary>
    private async Task SaveAsync(CampaignBatch batch, CancellationToken cancellationToken)
    {
        if (!await TryWriteAsync(batch, null, int.MaxValue, cancellationToken))
        {
            throw new InvalidOperationException($"Campaign batch {batch.Key} vanished while it was sent.");
        }
    }

    /// <summary>
    /// Keeps the batch held by this attempt while it works: the lease is written again (with the row's ETag) once half of
    /// it has passed, or every time, to <paramref name="until"/>, when that is given. Claims, ledger rows and requests of an
    /// attempt that outlived its lease would interleave with those of the attempt that took the batch over (ADR 0024).
    /// </summary>
    /// <param name="until">The run's end, before a request: the lease then covers the whole provider call.</param>
    /// <returns>False when another attempt took the batch meanwhile: this one must write and send nothing more.</returns>
    private async Task<bool> HoldAsync(CampaignBatch batch, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (until is null && batch.LeaseUntil - now > CampaignBatch.Lease / 2)
        {
            return true;
        }

        var held = (batch.Status, batch.LeaseUntil, batch.Attempts);
        batch.LeaseUntil = until ?? now + CampaignBatch.Lease;
        return await TryWriteAsync(batch, held, ClaimRounds, cancellationToken);
    }

    /// <summary>
    /// Writes the batch row with its ETag. The provider's events count engagement on the same row (a part an earlier
    /// attempt had accepted keeps reporting deliveries, opens and clicks), which moves the ETag without taking the batch:
    /// on a conflict the row is read again and, while its state is still <paramref name="expected"/> (any, when null), written
    /// again over the counts as they are now. A step of an attempt therefore fails only when another attempt moved the batch.
    /// </summary>
    /// <returns>False when the batch moved on, is gone, or changed in each of <paramref name="rounds"/> tries.</returns>
    private async Task<bool> TryWriteAsync(
        CampaignBatch batch, (BatchStatus Status, DateTimeOffset? LeaseUntil, int Attempts)? expected, int rounds, CancellationToken cancellationToken)
    {
        for (var round = 1; !await campaigns.TryUpdateBatchAsync(batch, cancellationToken); round++)
        {
            if (round >= rounds || await campaigns.GetBatchAsync(batch.CampaignId, batch.Number, cancellationToken) is not { } current ||
                (expected is { } state && state != (current.Status, current.LeaseUntil, current.Attempts)))
            {
                return false;
            }

            (batch.Delivered, batch.Opened, batch.Clicked, batch.ETag) = (current.Delivered, current.Opened, current.Clicked, current.ETag);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign batch {BatchKey}: {Outcome}")]
    private partial void LogOutcome(string batchKey, BatchOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign batch {BatchKey}: no evidence, and the event webhook never showed it accepted posts throughout, before SendGrid's retries ended; treated as sent, not requested again")]
    private partial void LogWebhookSilent(string batchKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign batch {BatchKey}: {Count} recipients of a delayed request are no longer allowed and are left out")]
    private partial void LogRechecked(string batchKey, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign batch {BatchKey}: the run's send time ran out before every request was made; the rest is given back to the next run")]
    private partial void LogOutOfTime(string batchKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign batch {BatchKey}: the provider did not answer; the outcome is left to its events")]
    private partial void LogOutcomeUnknown(string batchKey, Exception exception);
}
