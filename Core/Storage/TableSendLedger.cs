using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// Rows keyed by campaign (partition) and alumnus (row). <c>Status</c> holds the <see cref="SendState"/>; every change
/// of state is an ETag-conditional write, so two senders never both move a send on. Rows written before states existed
/// read as <c>Sent</c> (no status) or <c>Unknown</c> (status <c>Pending</c>: the old claim may have reached the provider).
/// </summary>
public sealed class TableSendLedger(AlumniTables tables, ICampaignStore campaigns, IEventWebhookHeartbeat heartbeat) : ISendLedger
{
    private const string LegacyPending = "Pending";
    private const int MaxConflicts = 3;

    public async Task<SendClaimResult> ClaimAsync(string campaignId, string recipientKey, DateTimeOffset now, SendPolicy policy, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            var claimId = Guid.NewGuid().ToString("N");
            var existing = await table.FindAsync<TableEntity>(campaignId, recipientKey, cancellationToken);
            if (existing is null)
            {
                var row = ClaimRow(campaignId, recipientKey, claimId, now + policy.ClaimLease, 0, null);
                if (await AddReturningVersionAsync(table, row, cancellationToken) is { } version)
                {
                    return new SendClaimResult(ClaimStatus.Claimed, new SendClaim(campaignId, recipientKey, claimId, 0, null, version));
                }

                continue;
            }

            var (state, attempts, attemptedAt) = Read(existing);
            switch (state)
            {
                case SendState.Sent or SendState.Dropped or SendState.Unconfirmed:
                    return new SendClaimResult(ClaimStatus.Final, State: state);
                case SendState.Claimed when existing.GetDateTimeOffset("ClaimedUntil") is { } until && until > now:
                    return new SendClaimResult(ClaimStatus.Busy, RetryAt: until);
                case SendState.Unknown when attemptedAt + policy.OutcomeWindow > now:
                    return new SendClaimResult(ClaimStatus.Busy, State: state, RetryAt: attemptedAt + policy.OutcomeWindow);
                case SendState.Unknown when attempts >= policy.MaxAttempts:
                    // No evidence within the window and no attempt left: the rule treats it as sent.
                    if (await GiveUpUnknownAsync(table, existing, "rule:no-evidence", now, cancellationToken))
                    {
                        return new SendClaimResult(ClaimStatus.Final, State: SendState.Unconfirmed);
                    }

                    continue;
                case SendState.Unknown when policy.Silence is { } silence:
                    // Silence means the mail never arrived only while the webhook was accepting posts throughout (ADR 0024).
                    var (verdict, at) = silence.Judge(attemptedAt, attemptedAt, now, await heartbeat.CurrentRunAsync(cancellationToken));
                    if (verdict == SilenceVerdict.Wait)
                    {
                        return new SendClaimResult(ClaimStatus.Busy, State: state, RetryAt: at);
                    }

                    if (verdict == SilenceVerdict.GiveUp)
                    {
                        if (await GiveUpUnknownAsync(table, existing, "rule:webhook-silent", now, cancellationToken))
                        {
                            return new SendClaimResult(ClaimStatus.Final, State: SendState.Unconfirmed);
                        }

                        continue;
                    }

                    break;
            }

            // A claim whose sender is gone, or an unknown outcome whose window passed with an attempt left.
            var claim = ClaimRow(campaignId, recipientKey, claimId, now + policy.ClaimLease, attempts, attemptedAt);
            claim.ETag = existing.ETag;
            if (await table.TryReplaceAsync(claim, cancellationToken))
            {
                return new SendClaimResult(ClaimStatus.Claimed, new SendClaim(campaignId, recipientKey, claimId, attempts, attemptedAt, claim.ETag.ToString()));
            }
        }

        return new SendClaimResult(ClaimStatus.Busy, RetryAt: now + policy.ClaimLease);
    }

    public async Task<SendClaim?> BeginAttemptAsync(SendClaim claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var row = new TableEntity(claim.CampaignId, claim.RecipientKey)
        {
            ["Status"] = nameof(SendState.Unknown),
            ["ClaimId"] = claim.ClaimId,
            ["Attempts"] = claim.PriorAttempts + 1,
            ["AttemptedAt"] = now,
            ["SendId"] = claim.SendId.ToString(),
            ETag = new ETag(claim.Version),
        };
        return await table.TryReplaceAsync(row, cancellationToken) ? claim with { Version = row.ETag.ToString() } : null;
    }

    public async Task RecordSentAsync(SendRecord record, CancellationToken cancellationToken)
    {
        // A merge keeps the attempt history. A 'dropped' event applied in the milliseconds before this write would be
        // overwritten; both states are final, so nothing is ever sent again either way.
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(record.CampaignId, record.RecipientKey)
        {
            ["Status"] = nameof(SendState.Sent),
            ["ProviderMessageId"] = record.ProviderMessageId,
            ["SentAt"] = record.SentAt,
            ["Evidence"] = "accepted",
        }, TableUpdateMode.Merge, cancellationToken);
    }

    public Task ReleaseAsync(SendClaim claim, CancellationToken cancellationToken) =>
        ChangeOwnClaimAsync(claim, row =>
        {
            if (claim.PriorAttempts == 0)
            {
                return null;
            }

            row["Status"] = nameof(SendState.Unknown);
            row["Attempts"] = claim.PriorAttempts;
            row["AttemptedAt"] = claim.PriorAttemptAt;
            row["SendId"] = (claim.SendId with { Attempt = claim.PriorAttempts }).ToString();
            return row;
        }, cancellationToken);

    public async Task<bool> MayHaveReachedAsync(string campaignId, string recipientKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        if (await table.FindAsync<TableEntity>(campaignId, recipientKey, cancellationToken) is not { } row)
        {
            return false;
        }

        return MayHaveReached(row);
    }

    public async Task<IReadOnlyList<(string CampaignId, string RecipientKey)>> WhichMayHaveReachedAsync(
        string campaignIdPrefix, IReadOnlySet<string> recipientKeys, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(campaignIdPrefix);
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        // Every id with the prefix sorts at or after the prefix and before it with its last character raised by one.
        var end = campaignIdPrefix[..^1] + (char)(campaignIdPrefix[^1] + 1);
        var reached = new List<(string CampaignId, string RecipientKey)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {campaignIdPrefix} and PartitionKey lt {end}"),
            maxPerPage: 1000, select: ["PartitionKey", "RowKey", "Status", "Attempts"], cancellationToken: cancellationToken))
        {
            if (recipientKeys.Contains(row.RowKey) && MayHaveReached(row))
            {
                reached.Add((row.PartitionKey, row.RowKey));
            }
        }

        return reached;
    }

    private static bool MayHaveReached(TableEntity row)
    {
        var (state, attempts, _) = Read(row);
        return state is SendState.Sent or SendState.Unconfirmed or SendState.Unknown || (state == SendState.Claimed && attempts > 0);
    }

    public Task GiveUpAsync(SendClaim claim, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChangeOwnClaimAsync(claim, row =>
        {
            row["Status"] = nameof(SendState.Unconfirmed);
            row["Evidence"] = "rule:" + reason;
            row["SentAt"] = now;
            return row;
        }, cancellationToken);

    public async Task<bool> ResolveAsync(SendId sendId, SendState outcome, string evidence, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (outcome is not (SendState.Sent or SendState.Dropped))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Evidence resolves a send to Sent or Dropped only.");
        }

        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            if (await table.FindAsync<TableEntity>(sendId.CampaignId, sendId.RecipientKey, cancellationToken) is not { } row)
            {
                return false;
            }

            var (state, _, _) = Read(row);
            if (state == SendState.Dropped || (state == SendState.Sent && outcome == SendState.Sent))
            {
                return false;
            }

            // Evidence about any attempt settles the send: a re-send claimed meanwhile loses its claim and never goes out.
            // On a campaign batch's row it is evidence about the request of that attempt, not the one the row rides on
            // now: the row goes back to that attempt, so it proves nothing about a later request (ADR 0024).
            if (CampaignBatch.TryParseKey(sendId.CampaignId, out _, out _) && row.GetInt32("Attempts") is { } attempt && attempt != sendId.Attempt)
            {
                row["Attempts"] = sendId.Attempt;
                row["SendId"] = sendId.ToString();
                row.Remove("Request");
            }

            row["Status"] = outcome.ToString();
            row["Evidence"] = evidence;
            row["SentAt"] = at;
            row.Remove("ClaimId");
            if (await table.TryReplaceAsync(row, cancellationToken))
            {
                return true;
            }
        }

        throw new RequestFailedException(412, "The send kept changing while its evidence was applied.");
    }

    public async Task<IReadOnlyList<BatchSend>> RecordBatchAsync(string batchKey, IReadOnlyList<BatchSend> sends, IReadOnlyList<AlumnusId> removed, CancellationToken cancellationToken)
    {
        var writes = sends.Select(send => (Send: (BatchSend?)send, Action: new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            new TableEntity(batchKey, send.AlumnusId.Value)
            {
                ["Status"] = send.State.ToString(),
                ["Attempts"] = send.Attempt,
                ["AttemptedAt"] = send.At,
                ["SendId"] = new SendId(batchKey, send.AlumnusId, send.Attempt).ToString(),
                ["Request"] = send.Request > 0 ? send.Request : null,
                ["Evidence"] = send.Evidence,
                ["SentAt"] = send.State is SendState.Claimed or SendState.Unknown ? null : send.At,
            })));
        var deletes = removed.Select(id => (Send: (BatchSend?)null, Action: new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(batchKey, id.Value), ETag.All)));
        var written = new List<BatchSend>(sends.Count);
        foreach (var chunk in writes.Concat(deletes).Chunk(100))
        {
            // One answer per action, in order: each row's new version, for a later write that must not overwrite an event.
            var response = await tables.SubmitAsync(AlumniTables.Sends, chunk.Select(c => c.Action), cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (chunk[i].Send is { } send)
                {
                    written.Add(send with { Version = response.Value[i].Headers.ETag?.ToString() });
                }
            }
        }

        return written;
    }

    public async Task<IReadOnlyList<BatchSend>> SettleBatchAsync(string batchKey, IReadOnlyList<BatchSend> settled, CancellationToken cancellationToken)
    {
        if (settled.Any(s => s.State is not (SendState.Sent or SendState.Unconfirmed)))
        {
            throw new ArgumentException("A batch is settled to Sent or Unconfirmed only.", nameof(settled));
        }

        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var given = settled.ToDictionary(s => s.AlumnusId.Value, StringComparer.Ordinal);
        var pending = settled.Where(s => s.Version is null).ToDictionary(s => s.AlumnusId.Value, StringComparer.Ordinal);
        var result = new List<BatchSend>();

        // Rows still as the caller marked them are written with that version, unread: the happy path of an accepted part.
        await WriteAsync(settled.Where(s => s.Version is not null).Select(s => (s, new TableEntity(batchKey, s.AlumnusId.Value) { ETag = new ETag(s.Version!) })));
        for (var conflict = 0; pending.Count > 0; conflict++)
        {
            if (conflict == MaxConflicts)
            {
                throw new RequestFailedException(412, $"Rows of campaign batch {batchKey} kept changing while it was settled.");
            }

            // The rows as they are now: an event may have settled one, or noted an open on it, since the caller listed them.
            var writes = new List<(BatchSend Send, TableEntity Row)>();
            await foreach (var row in QueryBatchAsync(table, batchKey, cancellationToken))
            {
                if (pending.Remove(row.RowKey, out var send))
                {
                    var current = ToBatchSend(row);
                    if (current.State != SendState.Unknown || current.Attempt != send.Attempt)
                    {
                        result.Add(current);
                        continue;
                    }

                    writes.Add((current with { State = send.State, Evidence = send.Evidence }, row));
                }
            }

            pending.Clear();
            await WriteAsync(writes);
        }

        return result;

        // Merges the settled state into each row while its ETag holds; a chunk with a row changed meanwhile is read and decided again.
        async Task WriteAsync(IEnumerable<(BatchSend Send, TableEntity Row)> writes)
        {
            foreach (var chunk in writes.Chunk(100))
            {
                foreach (var (_, row) in chunk)
                {
                    var send = given[row.RowKey];
                    (row["Status"], row["Evidence"], row["SentAt"]) = (send.State.ToString(), send.Evidence, send.At);
                }

                try
                {
                    await tables.SubmitAsync(AlumniTables.Sends, chunk.Select(w => new TableTransactionAction(TableTransactionActionType.UpdateMerge, w.Row, w.Row.ETag)), cancellationToken);
                    result.AddRange(chunk.Select(w => w.Send with { Version = null }));
                }
                catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
                {
                    foreach (var (send, _) in chunk)
                    {
                        pending[send.AlumnusId.Value] = given[send.AlumnusId.Value];
                    }
                }
            }
        }
    }

    public async Task<IReadOnlyList<BatchSend>> ListBatchAsync(string batchKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var sends = new List<BatchSend>();
        await foreach (var e in QueryBatchAsync(table, batchKey, cancellationToken))
        {
            sends.Add(ToBatchSend(e));
        }

        return sends;
    }

    private static AsyncPageable<TableEntity> QueryBatchAsync(TableClient table, string batchKey, CancellationToken cancellationToken) =>
        table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {batchKey}"), maxPerPage: 1000, cancellationToken: cancellationToken);

    private static BatchSend ToBatchSend(TableEntity e)
    {
        // Rows from before requests were numbered had one group of requests per attempt, all marked before the first.
        var (state, attempts, attemptedAt) = Read(e);
        return new BatchSend(AlumnusId.Parse(e.RowKey), state, attemptedAt, attempts, e.GetString("Evidence"), e.GetInt32("Request") ?? (state == SendState.Claimed ? 0 : 1));
    }

    public async Task<bool> IsFirstEngagementAsync(SendId sendId, Outreach.EngagementKind kind, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        return await table.FindAsync<TableEntity>(sendId.CampaignId, sendId.RecipientKey, cancellationToken) is { } row && row.GetBoolean(kind.ToString()) != true;
    }

    public async Task<bool> MarkEngagedAsync(SendId sendId, Outreach.EngagementKind kind, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            if (await table.FindAsync<TableEntity>(sendId.CampaignId, sendId.RecipientKey, cancellationToken) is not { } row || row.GetBoolean(kind.ToString()) == true)
            {
                return false;
            }

            row[kind.ToString()] = true;
            if (await table.TryReplaceAsync(row, cancellationToken))
            {
                return true;
            }
        }

        throw new RequestFailedException(412, "The send kept changing while its engagement was noted.");
    }

    public async Task<IReadOnlyList<SendRecord>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var records = new List<SendRecord>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {alumnusId.Value}"), cancellationToken: cancellationToken))
        {
            // A claim no provider call carried is no email: a one-to-one send's first claim, or any claim of a batch.
            var (state, attempts, attemptedAt) = Read(e);
            var inBatch = CampaignBatch.TryParseKey(e.PartitionKey, out var campaignId, out var number);
            if (state == SendState.Claimed && (attempts == 0 || inBatch))
            {
                continue;
            }

            // A campaign batch's rows stay unknown after its request; the batch row knows whether it was accepted.
            var campaign = e.PartitionKey;
            if (inBatch)
            {
                campaign = campaignId;
                if (state == SendState.Unknown && await campaigns.GetBatchAsync(campaignId, number, cancellationToken) is { Status: BatchStatus.Sent })
                {
                    state = SendState.Sent;
                }
            }

            records.Add(new SendRecord(campaign, alumnusId.Value, e.GetString("ProviderMessageId") ?? "", e.GetDateTimeOffset("SentAt") ?? attemptedAt)
            {
                State = state,
                Attempts = attempts,
                Engaged = EngagedOn(e),
            });
        }

        return records;
    }

    public async Task ForgetMessageIdsAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {alumnusId.Value}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "ProviderMessageId", .. EngagementColumns], cancellationToken: cancellationToken))
        {
            var (hasMessageId, engaged) = (!string.IsNullOrEmpty(e.GetString("ProviderMessageId")), EngagedOn(e));
            if (hasMessageId || engaged.Length > 0)
            {
                var forget = new TableEntity(e.PartitionKey, e.RowKey);
                if (hasMessageId)
                {
                    forget["ProviderMessageId"] = "";
                }

                foreach (var kind in engaged)
                {
                    forget[kind.ToString()] = false;
                }

                // A merge of those columns alone, whatever the row's version: state, attempts and times stay as they are.
                // A batch settling the row meanwhile finds its version changed and reads it again, as after an event's note.
                await table.UpdateEntityAsync(forget, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);
            }
        }
    }

    private static readonly string[] EngagementColumns = Enum.GetNames<Outreach.EngagementKind>();

    /// <summary>The engagement noted on a send's row (<see cref="MarkEngagedAsync"/>).</summary>
    private static Outreach.EngagementKind[] EngagedOn(TableEntity row) =>
        Enum.GetValues<Outreach.EngagementKind>().Where(k => row.GetBoolean(k.ToString()) == true).ToArray();

    private static async Task<bool> GiveUpUnknownAsync(TableClient table, TableEntity row, string evidence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        row["Status"] = nameof(SendState.Unconfirmed);
        row["Evidence"] = evidence;
        row["SentAt"] = now;
        return await table.TryReplaceAsync(row, cancellationToken);
    }

    private static TableEntity ClaimRow(string campaignId, string recipientKey, string claimId, DateTimeOffset until, int attempts, DateTimeOffset? attemptedAt) =>
        new(campaignId, recipientKey)
        {
            ["Status"] = nameof(SendState.Claimed),
            ["ClaimId"] = claimId,
            ["ClaimedUntil"] = until,
            ["Attempts"] = attempts,
            ["AttemptedAt"] = attemptedAt,
        };

    private static (SendState State, int Attempts, DateTimeOffset AttemptedAt) Read(TableEntity row)
    {
        var status = row.GetString("Status");
        var attemptedAt = row.GetDateTimeOffset("AttemptedAt") ?? row.GetDateTimeOffset("ClaimedAt") ?? row.GetDateTimeOffset("SentAt") ?? DateTimeOffset.MinValue;
        return status switch
        {
            null => (SendState.Sent, 1, attemptedAt),
            LegacyPending => (SendState.Unknown, 1, attemptedAt),
            _ => (Enum.Parse<SendState>(status), row.GetInt32("Attempts") ?? 1, attemptedAt),
        };
    }

    /// <summary>Rewrites the row (or removes it, when <paramref name="change"/> returns null) only while this claim still holds it.</summary>
    private async Task ChangeOwnClaimAsync(SendClaim claim, Func<TableEntity, TableEntity?> change, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Sends, cancellationToken);
        if (await table.FindAsync<TableEntity>(claim.CampaignId, claim.RecipientKey, cancellationToken) is not { } row ||
            row.GetString("ClaimId") != claim.ClaimId || Read(row).State is not (SendState.Claimed or SendState.Unknown))
        {
            return;
        }

        row.Remove("ClaimId");
        row.Remove("ClaimedUntil");
        if (change(row) is { } changed)
        {
            await table.TryReplaceAsync(changed, cancellationToken);
            return;
        }

        try
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
        }
    }

    private static async Task<string?> AddReturningVersionAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.AddEntityAsync(row, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }
}
