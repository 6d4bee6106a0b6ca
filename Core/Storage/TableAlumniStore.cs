using System.Globalization;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// Alumni rows partitioned by id bucket. Each employee has one claim row in <c>AlumniIndex</c>, keyed by a keyed
/// pseudonym of the employee id (<c>employee:&lt;hmac&gt;</c>), that makes intake idempotent and outlives the record
/// as a tombstone: after an erasure it holds only <c>Erased</c>; after a retention purge only the pseudonyms of the
/// departures it was claimed for (<c>Departures</c>, one per employee id and last working day). A purge marks the
/// claim (<c>Purging</c>) before it deletes the record, so a crash at any point leaves a claim that intake reads right.
/// While the record lives the claim also keeps the webhook ids of the departures applied (<c>Webhooks</c>, keyed
/// pseudonyms, <see cref="HandledWebhooks"/>), so a late retry of an older message is recognised (ADR 0036), and the
/// event time of the newest departure applied (<c>EventAt</c>), so an older message never seen before is too (ADR 0040).
/// </summary>
public sealed class TableAlumniStore(AlumniTables tables, Pseudonyms pseudonyms) : IAlumniStore
{
    private const string IndexRow = "id";
    private const string HolderColumn = "AlumnusId";
    private const string DeparturesColumn = "Departures";
    private const string PurgingColumn = "Purging";
    private const string ErasedColumn = "Erased";

    /// <summary>
    /// On a claim taken afresh from a purge tombstone (a rehire who left again), the departures the tombstone held: a
    /// withdrawal that releases the claim drops only those recorded since, never these (ADR 0012, 0041).
    /// </summary>
    private const string PurgedDeparturesColumn = "PurgedDepartures";
    private const string WebhooksColumn = "Webhooks";

    /// <summary>The newest applied departure's event time, as UTC ticks (exact, whatever the table's date precision; ADR 0040).</summary>
    private const string EventAtColumn = "EventAt";

    /// <summary>
    /// The newest withdrawal of the employee's departure HR sent, as UTC ticks of its event time (ADR 0041): a departure
    /// no later than it is not recorded. Outlives the record it removed; kept when a later departure claims afresh.
    /// </summary>
    private const string WithdrawnAtColumn = "WithdrawnAt";

    /// <summary>Marks a claim of an employee id the alumnus was rehired under (ADR 0029), kept on its erasure tombstone: not a person of its own.</summary>
    private const string ReturnColumn = "Return";

    /// <summary>
    /// On a return claim, the partition of the alumnus's own employee claim: once their record is gone, that claim says
    /// whether they were erased or purged (ADR 0029).
    /// </summary>
    private const string OriginColumn = "Origin";

    /// <summary>The keyed pseudonym of the personal address, on the record itself: how a rehire finds an alumnus by address without an index row (ADR 0029).</summary>
    private const string EmailKeyColumn = "EmailKey";

    /// <summary>The promotional campaigns that claimed the alumnus (ADR 0023): the one column a campaign batch writes.</summary>
    private const string ContactsColumn = "Contacts";
    private const int MaxAttempts = 5;

    public async Task<Alumnus?> GetAsync(AlumnusId id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var entity = await table.FindAsync<TableEntity>(id.Bucket, id.Value, cancellationToken);
        return entity is null ? null : ToAlumnus(entity);
    }

    public async Task<EmployeeClaim> ClaimEmployeeAsync(string employeeId, DateOnly lastWorkingDay, string? webhookId, DateTimeOffset? eventAt, AlumnusId candidate, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        var partition = EmployeePartition(employeeId);
        var departure = Departure(employeeId, lastWorkingDay);
        var webhook = webhookId is null ? null : Webhook(webhookId);
        long? eventTicks = eventAt?.UtcTicks;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // A new employee, the common case, costs this one insert: no read before it. The message's id rides along.
            if (await index.TryAddAsync(new TableEntity(partition, IndexRow) { [HolderColumn] = candidate.Value, [DeparturesColumn] = departure, [WebhooksColumn] = webhook, [EventAtColumn] = eventTicks }, cancellationToken))
            {
                return new EmployeeClaim.Held(candidate, Fresh: true);
            }

            if (await index.FindAsync<TableEntity>(partition, IndexRow, cancellationToken) is not { } claim)
            {
                continue;
            }

            if (claim.GetBoolean(ErasedColumn) == true)
            {
                return new EmployeeClaim.Erased();
            }

            // HR took back what it sent up to the withdrawal: a late retry of it is not news, held claim or not (ADR 0041).
            var withdrawnAt = WithdrawnAtOf(claim);
            if (withdrawnAt is { } withdrawn && eventAt is { } at && at <= withdrawn)
            {
                return new EmployeeClaim.Withdrawn();
            }

            var departures = DeparturesOf(claim);
            if (claim.GetString(HolderColumn) is { } holder)
            {
                if (claim.GetBoolean(PurgingColumn) == true && await GetAsync(AlumnusId.Parse(holder), cancellationToken) is null)
                {
                    // A purge deleted the record and stopped before it finished the tombstone: finish it, then decide.
                    await FinishPurgeAsync(index, claim, AlumnusId.Parse(holder), cancellationToken);
                    continue;
                }

                if (claim.GetBoolean(ReturnColumn) == true && await GetAsync(AlumnusId.Parse(holder), cancellationToken) is null)
                {
                    // A return claim outliving its holder's record: written after the erasure or purge that should have
                    // ended it, by a matcher that then died or lost the race. Never the same person again by this claim.
                    if (await EndOrphanReturnClaimAsync(index, claim, AlumnusId.Parse(holder), candidate, departures.Append(departure), webhook, eventTicks, cancellationToken) is { } decided)
                    {
                        return decided;
                    }

                    continue;
                }

                // Remembered while the record lives too, so an older departure replayed after a later purge is known.
                if (departures.Contains(departure) || await TryRememberAsync(index, claim, departures.Append(departure), cancellationToken))
                {
                    var webhooks = claim.GetString(WebhooksColumn);
                    return new EmployeeClaim.Held(AlumnusId.Parse(holder), Fresh: false, Handled: webhook is not null && HandledWebhooks.Contains(webhooks, webhook))
                    {
                        Version = claim.ETag.ToString(),
                        Webhooks = webhooks,
                        AppliedEventAt = EventAtOf(claim),
                    };
                }

                continue;
            }

            // A purge tombstone stops a replay, withdrawal or not. A withdrawal that released the claim dropped the
            // departures it took back (FinishWithdrawalAsync), so one HR sent after it is new here even on a day seen before;
            // one that released a claim a purge had marked kept them: that claim is the purge's tombstone.
            if (departures.Contains(departure))
            {
                return new EmployeeClaim.PurgedReplay();
            }

            // Purged before, and this departure is new (a rehire who left again): claimed afresh, the old ones still remembered.
            claim[HolderColumn] = candidate.Value;
            claim[WebhooksColumn] = webhook;
            claim[EventAtColumn] = eventTicks;
            claim.Remove(ReturnColumn); // a purged return claim's marks were about the purged person, not this one
            claim.Remove(OriginColumn);
            claim[PurgedDeparturesColumn] = Joined(departures);
            if (await TryRememberAsync(index, claim, departures.Append(departure), cancellationToken))
            {
                return new EmployeeClaim.Held(candidate, Fresh: true);
            }
        }

        throw new InvalidOperationException("The employee's claim kept changing while a departure was recorded.");
    }

    public async Task RememberAppliedAsync(string employeeId, string? webhookId, DateTimeOffset eventAt, EmployeeClaim.Held claim, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        var webhook = webhookId is null ? null : Webhook(webhookId);
        var (version, webhooks, applied) = (claim.Version, claim.Webhooks, claim.AppliedEventAt);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var newId = webhook is not null && !HandledWebhooks.Contains(webhooks, webhook);
            var newer = applied is null || eventAt > applied;
            if (!newId && !newer)
            {
                return;
            }

            // A merge of these columns, if the claim is unchanged since read: a concurrent message's id or newer time is never lost.
            var merge = new TableEntity(EmployeePartition(employeeId), IndexRow) { ETag = new ETag(version ?? "*") };
            if (newId)
            {
                merge[WebhooksColumn] = HandledWebhooks.Add(webhooks, webhook!);
            }

            if (newer)
            {
                merge[EventAtColumn] = eventAt.UtcTicks;
            }

            if (version is not null && await index.TryMergeAsync(merge, cancellationToken))
            {
                return;
            }

            if (await index.FindAsync<TableEntity>(EmployeePartition(employeeId), IndexRow, cancellationToken) is not { } current ||
                current.GetString(HolderColumn) != claim.Id.Value)
            {
                return;
            }

            (version, webhooks, applied) = (current.ETag.ToString(), current.GetString(WebhooksColumn), EventAtOf(current));
        }

        throw new InvalidOperationException("The employee's claim kept changing while an applied departure was remembered.");
    }

    public async Task<WithdrawalClaim> MarkWithdrawnAsync(string employeeId, string? webhookId, DateTimeOffset withdrawnAt, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        var partition = EmployeePartition(employeeId);
        var webhook = webhookId is null ? null : Webhook(webhookId);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // HR withdrew before the departure reached us: the claim holds only the withdrawal, so the departure is not recorded when it comes.
            if (await index.TryAddAsync(new TableEntity(partition, IndexRow) { [WithdrawnAtColumn] = withdrawnAt.UtcTicks, [WebhooksColumn] = webhook }, cancellationToken))
            {
                return new WithdrawalClaim.Unheld();
            }

            if (await index.FindAsync<TableEntity>(partition, IndexRow, cancellationToken) is not { } claim)
            {
                continue;
            }

            if (claim.GetBoolean(ErasedColumn) == true)
            {
                return new WithdrawalClaim.Erased();
            }

            var holder = claim.GetString(HolderColumn) is { } held ? AlumnusId.Parse(held) : (AlumnusId?)null;
            var webhooks = claim.GetString(WebhooksColumn);
            if (webhook is not null && HandledWebhooks.Contains(webhooks, webhook))
            {
                return new WithdrawalClaim.Handled(holder, EventAtOf(claim));
            }

            var superseded = EventAtOf(claim) is { } applied && applied > withdrawnAt;
            if (!superseded && (WithdrawnAtOf(claim) is not { } kept || kept < withdrawnAt))
            {
                claim[WithdrawnAtColumn] = withdrawnAt.UtcTicks;
            }

            // A held claim takes the id when the withdrawal is finished, so a crash before then leaves it for the retry.
            if (webhook is not null && (holder is null || superseded))
            {
                claim[WebhooksColumn] = HandledWebhooks.Add(webhooks, webhook);
            }

            if (!await index.TryReplaceAsync(claim, cancellationToken))
            {
                continue;
            }

            return superseded ? new WithdrawalClaim.Superseded()
                : holder is { } id ? new WithdrawalClaim.Held(id, claim.GetBoolean(ReturnColumn) == true)
                : new WithdrawalClaim.Unheld();
        }

        throw new InvalidOperationException("The employee's claim kept changing while a withdrawal was kept.");
    }

    public async Task FinishWithdrawalAsync(string employeeId, string? webhookId, AlumnusId holder, WithdrawalEnd outcome, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        var webhook = webhookId is null ? null : Webhook(webhookId);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await index.FindAsync<TableEntity>(EmployeePartition(employeeId), IndexRow, cancellationToken) is not { } claim ||
                claim.GetString(HolderColumn) != holder.Value)
            {
                return;
            }

            if (outcome == WithdrawalEnd.RecordGone && claim.GetBoolean(PurgingColumn) == true)
            {
                // A purge marked it and the record was gone, so its end was the purge's, whether that died after the delete
                // or is finishing now: the claim becomes its tombstone, as intake would finish it, departures kept, so a
                // purged one listed again by a later batch or import is never recorded again (ADR 0012).
                MakePurgeTombstone(claim);
            }
            else if (outcome != WithdrawalEnd.RecordKept)
            {
                // No holder and the withdrawal, but not the departures it took back: a departure HR sends after it is
                // then recorded even on a day seen before, while a late retry of one before it is stopped by the time.
                // Those of an earlier, purged employment stay: the claim is that purge's tombstone again. A purge's mark
                // left by one that lost the record to a change (the withdrawal removed the record itself) goes.
                claim.Remove(HolderColumn);
                claim.Remove(PurgingColumn);
                claim[DeparturesColumn] = claim.GetString(PurgedDeparturesColumn);
                claim.Remove(PurgedDeparturesColumn);
            }

            if (webhook is not null)
            {
                claim[WebhooksColumn] = HandledWebhooks.Add(claim.GetString(WebhooksColumn), webhook);
            }

            if (await index.TryReplaceAsync(claim, cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException("The employee's claim kept changing while a withdrawal was finished.");
    }

    public async Task<bool> WithdrawnSinceClaimAsync(string employeeId, AlumnusId holder, DateTimeOffset eventAt, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        return await index.FindAsync<TableEntity>(EmployeePartition(employeeId), IndexRow, cancellationToken) is not { } claim ||
            claim.GetString(HolderColumn) != holder.Value ||
            WithdrawnAtOf(claim) >= eventAt;
    }

    public async Task<bool> DeleteWithdrawnAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        if (!await TryDeleteRecordAsync(alumnus, cancellationToken))
        {
            return false;
        }

        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        await DropReturnPointersAsync(index, alumnus.Id, cancellationToken);
        return true;
    }

    private static DateTimeOffset? WithdrawnAtOf(TableEntity claim) =>
        claim.GetInt64(WithdrawnAtColumn) is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    private static DateTimeOffset? EventAtOf(TableEntity claim) =>
        claim.GetInt64(EventAtColumn) is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public async Task<(AlumnusId? Holder, bool Erased)> FindEmployeeAsync(string employeeKey, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        return await index.FindAsync<TableEntity>("employee:" + employeeKey, IndexRow, cancellationToken) switch
        {
            null => (null, false),
            var claim when claim.GetBoolean(ErasedColumn) == true => (null, true),
            var claim => (claim.GetString(HolderColumn) is { } holder ? AlumnusId.Parse(holder) : null, false),
        };
    }

    public async Task ClaimReturnAsync(string employeeKey, Alumnus holder, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        // The pointer first, so an erasure or purge that finds no pointer knows no claim of theirs exists (ReturnClaimsAsync).
        await index.UpsertEntityAsync(new TableEntity(ReturnsPartition(holder.Id), employeeKey), TableUpdateMode.Replace, cancellationToken);
        await index.TryAddAsync(new TableEntity("employee:" + employeeKey, IndexRow)
        {
            [HolderColumn] = holder.Id.Value,
            [ReturnColumn] = true,
            [OriginColumn] = EmployeePartition(holder.EmployeeId),
        }, cancellationToken);
    }

    /// <summary>
    /// Decides a return claim whose holder's record is gone by the person's own claim (<see cref="OriginColumn"/>): an
    /// erasure tombstone makes it one too (erased); anything else (a purge tombstone, a new person's claim, none) means
    /// the claim names nobody, and it is taken for the departure as a fresh claim. Both writes are ETag-conditional and
    /// drop the pointer once done. A claim written before the origin was kept has nothing to decide by: read as erased,
    /// the side that never brings a person back.
    /// </summary>
    /// <returns>Null when the claim changed since it was read: read it again.</returns>
    private static async Task<EmployeeClaim?> EndOrphanReturnClaimAsync(TableClient index, TableEntity claim, AlumnusId holder, AlumnusId candidate, IEnumerable<string> departures, string? webhook, long? eventTicks, CancellationToken cancellationToken)
    {
        var origin = claim.GetString(OriginColumn);
        var erased = origin is null || (await index.FindAsync<TableEntity>(origin, IndexRow, cancellationToken))?.GetBoolean(ErasedColumn) == true;
        var replacement = erased
            ? new TableEntity(claim.PartitionKey, claim.RowKey) { [ErasedColumn] = true, [ReturnColumn] = true, ETag = claim.ETag }
            : new TableEntity(claim.PartitionKey, claim.RowKey)
            {
                [HolderColumn] = candidate.Value,
                [DeparturesColumn] = Joined(departures),
                [PurgedDeparturesColumn] = Joined(DeparturesOf(claim)), // the purged holder's
                [WebhooksColumn] = webhook,
                [EventAtColumn] = eventTicks,
                ETag = claim.ETag,
            };
        if (!await index.TryReplaceAsync(replacement, cancellationToken))
        {
            return null;
        }

        await index.DeleteEntityAsync(ReturnsPartition(holder), claim.PartitionKey["employee:".Length..], ETag.All, cancellationToken);
        return erased ? new EmployeeClaim.Erased() : new EmployeeClaim.Held(candidate, Fresh: true);
    }

    public async IAsyncEnumerable<Alumnus> FindByEmailKeyAsync(string emailKey, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"EmailKey eq {emailKey}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return ToAlumnus(entity);
        }
    }

    public async Task<bool> AddAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var entity = ToEntity(alumnus);
        if (!await table.TryAddAsync(entity, cancellationToken))
        {
            return false;
        }

        alumnus.ETag = entity.ETag.ToString();
        return true;
    }

    public async Task<bool> TryUpdateAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var etag = await table.TryReplaceReadAsync(ToEntity(alumnus), alumnus.ETag, cancellationToken);
        alumnus.ETag = etag ?? alumnus.ETag;
        return etag is not null;
    }

    public async IAsyncEnumerable<Alumnus> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return ToAlumnus(entity);
        }
    }

    public async Task<(IReadOnlyList<Alumnus> Page, string? Continuation)> ListMembersPageAsync(string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"Status eq {nameof(AlumnusStatus.Joined)}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize))
        {
            return (page.Values.Select(ToAlumnus).ToArray(), page.ContinuationToken);
        }

        return ([], null);
    }

    public async IAsyncEnumerable<CampaignRecipient> ListRecipientsAsync(AlumnusId first, AlumnusId last, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (first.Bucket != last.Bucket)
        {
            throw new ArgumentException("A range lies within one bucket.", nameof(last));
        }

        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {first.Bucket} and RowKey ge {first.Value} and RowKey le {last.Value}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: RecipientColumns, cancellationToken: cancellationToken))
        {
            yield return ToRecipient(entity);
        }
    }

    public async Task<bool> TryWriteContactsAsync(IReadOnlyList<IRecipient> sameBucket, CancellationToken cancellationToken)
    {
        if (sameBucket.Count == 0)
        {
            return true;
        }

        // A merge of the one column: an empty list is written as "" (a merge cannot remove a column).
        var actions = sameBucket.Select(a => new TableTransactionAction(
            TableTransactionActionType.UpdateMerge,
            new TableEntity(a.Id.Bucket, a.Id.Value) { [ContactsColumn] = OutreachContact.Format(a.Contacts) },
            new ETag(a.ETag!))).ToArray();
        try
        {
            var response = await tables.SubmitAsync(AlumniTables.Alumni, actions, cancellationToken);
            for (var i = 0; i < sameBucket.Count; i++)
            {
                sameBucket[i].ETag = response.Value[i].Headers.ETag?.ToString() ?? sameBucket[i].ETag;
            }

            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<AlumnusId> HeldIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, select: ["RowKey", "ErasureStartedAt"], cancellationToken: cancellationToken))
        {
            if (entity.GetDateTimeOffset("ErasureStartedAt") is null)
            {
                yield return AlumnusId.Parse(entity.RowKey);
            }
        }
    }

    public async Task EraseAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        // Tombstone first: a crash after it leaves a record that a retry erases; the reverse could let a webhook resurrect it.
        await index.UpsertEntityAsync(new TableEntity(EmployeePartition(alumnus.EmployeeId), IndexRow) { [ErasedColumn] = true }, TableUpdateMode.Replace, cancellationToken);

        // So is every claim of an employee id they were rehired under (ClaimReturnAsync).
        await foreach (var claim in ReturnClaimsAsync(index, alumnus, cancellationToken))
        {
            await index.UpsertEntityAsync(new TableEntity(claim.PartitionKey, claim.RowKey) { [ErasedColumn] = true, [ReturnColumn] = true }, TableUpdateMode.Replace, cancellationToken);
        }

        await DropReturnPointersAsync(index, alumnus.Id, cancellationToken);
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        await table.DeleteEntityAsync(alumnus.Id.Bucket, alumnus.Id.Value, ETag.All, cancellationToken);
    }

    public async Task<bool> DeleteAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        // The claims are marked first: once the record is gone, a replay must already be recognised, crash or not.
        var claim = await MarkPurgingAsync(index, alumnus, cancellationToken);
        var returnClaims = await MarkReturnClaimsPurgingAsync(index, alumnus, cancellationToken);
        if (!await TryDeleteRecordAsync(alumnus, cancellationToken))
        {
            // Someone changed the record (a join wins). A mark left behind by a crash here is harmless: intake reads
            // a marked claim whose record exists as a live one.
            foreach (var marked in returnClaims.Prepend(claim).OfType<TableEntity>())
            {
                marked.Remove(PurgingColumn);
                await index.TryReplaceAsync(marked, cancellationToken);
            }

            return false;
        }

        foreach (var marked in returnClaims.Prepend(claim).OfType<TableEntity>())
        {
            await FinishPurgeAsync(index, marked, alumnus.Id, cancellationToken);
        }

        await DropReturnPointersAsync(index, alumnus.Id, cancellationToken);
        return true;
    }

    /// <summary>
    /// Deletes the record if unchanged since read (its ETag; any version when it has none), false when it changed: the one
    /// record delete of a withdrawal and of a purge, which differ only in what they do to the claims around it (a purge
    /// leaves a tombstone, a withdrawal must not).
    /// </summary>
    private async Task<bool> TryDeleteRecordAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(alumnus.Id.Bucket, alumnus.Id.Value, alumnus.ETag is null ? ETag.All : new ETag(alumnus.ETag), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Marks the claim that points at <paramref name="alumnus"/> as being purged; null when no claim does.</summary>
    private async Task<TableEntity?> MarkPurgingAsync(TableClient index, Alumnus alumnus, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var claim = await index.FindAsync<TableEntity>(EmployeePartition(alumnus.EmployeeId), IndexRow, cancellationToken);
            if (claim is null || claim.GetString(HolderColumn) != alumnus.Id.Value)
            {
                return null;
            }

            claim[PurgingColumn] = true;
            if (await TryRememberAsync(index, claim, DeparturesOf(claim).Append(Departure(alumnus.EmployeeId, alumnus.LastWorkingDay)), cancellationToken))
            {
                return claim;
            }
        }

        throw new InvalidOperationException("The employee's claim kept changing while it was marked for a purge.");
    }

    /// <summary>
    /// Marks the claims of employee ids the alumnus was rehired under (<see cref="ClaimReturnAsync"/>) as being purged, as
    /// their own claim is: each becomes a purge tombstone with the departures it was claimed for.
    /// </summary>
    private async Task<List<TableEntity>> MarkReturnClaimsPurgingAsync(TableClient index, Alumnus alumnus, CancellationToken cancellationToken)
    {
        var marked = new List<TableEntity>();
        await foreach (var claim in ReturnClaimsAsync(index, alumnus, cancellationToken))
        {
            if (await MarkReturnClaimPurgingAsync(index, claim, alumnus.Id, cancellationToken) is { } mark)
            {
                marked.Add(mark);
            }
        }

        return marked;
    }

    /// <summary>Marks one return claim (ETag); a claim changed since read is read again, as <see cref="MarkPurgingAsync"/> does.</summary>
    /// <returns>Null when the claim no longer names the alumnus: nothing of theirs to mark.</returns>
    private static async Task<TableEntity?> MarkReturnClaimPurgingAsync(TableClient index, TableEntity claim, AlumnusId alumnus, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            claim[PurgingColumn] = true;
            if (await index.TryReplaceAsync(claim, cancellationToken))
            {
                return claim;
            }

            if (await index.FindAsync<TableEntity>(claim.PartitionKey, claim.RowKey, cancellationToken) is not { } current ||
                current.GetString(HolderColumn) != alumnus.Value)
            {
                return null;
            }

            claim = current;
        }

        // Left marked or not, each claim reads right while the record lives; the purge's next run marks them again.
        throw new InvalidOperationException("An employee's claim kept changing while it was marked for a purge.");
    }

    /// <summary>
    /// The claims naming the alumnus other than their own employee id's: those of ids they were rehired under, found by
    /// the pointers <see cref="ClaimReturnAsync"/> writes before each claim (one partition, usually empty), so the daily
    /// purge of people who never joined reads no more than that for each.
    /// </summary>
    private async IAsyncEnumerable<TableEntity> ReturnClaimsAsync(TableClient index, Alumnus alumnus, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var own = EmployeePartition(alumnus.EmployeeId);
        await foreach (var pointer in index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ReturnsPartition(alumnus.Id)}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if ("employee:" + pointer.RowKey != own &&
                await index.FindAsync<TableEntity>("employee:" + pointer.RowKey, IndexRow, cancellationToken) is { } claim && claim.GetString(HolderColumn) == alumnus.Id.Value)
            {
                yield return claim;
            }
        }
    }

    /// <summary>Removes the pointers to the alumnus's return claims once those are tombstones: nothing then ties the id to them.</summary>
    private static async Task DropReturnPointersAsync(TableClient index, AlumnusId alumnus, CancellationToken cancellationToken)
    {
        await foreach (var pointer in index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ReturnsPartition(alumnus)}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await index.DeleteEntityAsync(pointer.PartitionKey, pointer.RowKey, ETag.All, cancellationToken);
        }
    }

    /// <summary>Where the pointers to an alumnus's return claims are: a row per employee key they were rehired under.</summary>
    private static string ReturnsPartition(AlumnusId alumnus) => "returns:" + alumnus.Value;

    /// <summary>Turns a marked claim into a purge tombstone: no holder, only the departures' pseudonyms.</summary>
    private static async Task FinishPurgeAsync(TableClient index, TableEntity claim, AlumnusId purged, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            MakePurgeTombstone(claim);
            if (await index.TryReplaceAsync(claim, cancellationToken))
            {
                return;
            }

            // Changed in between: finish only if it still points at the purged record.
            if (await index.FindAsync<TableEntity>(claim.PartitionKey, claim.RowKey, cancellationToken) is not { } current ||
                current.GetString(HolderColumn) != purged.Value)
            {
                return;
            }

            claim = current;
        }
    }

    /// <summary>What a purge leaves of a claim: no holder, no mark, no webhook ids; the departures (and a withdrawal's time) stay.</summary>
    private static void MakePurgeTombstone(TableEntity claim)
    {
        claim.Remove(HolderColumn);
        claim.Remove(PurgingColumn);
        claim.Remove(WebhooksColumn);
        claim.Remove(PurgedDeparturesColumn); // every departure on it is now a purged one
    }

    /// <summary>Writes the claim with these departures if unchanged since read (ETag).</summary>
    private static Task<bool> TryRememberAsync(TableClient index, TableEntity claim, IEnumerable<string> departures, CancellationToken cancellationToken)
    {
        claim[DeparturesColumn] = Joined(departures);
        return index.TryReplaceAsync(claim, cancellationToken);
    }

    /// <summary>The departures' pseudonyms as one column, null when there are none.</summary>
    private static string? Joined(IEnumerable<string> departures) =>
        string.Join(' ', departures.Distinct(StringComparer.Ordinal)) is { Length: > 0 } joined ? joined : null;

    private static string[] DeparturesOf(TableEntity claim) =>
        (claim.GetString(DeparturesColumn) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A keyed pseudonym, not the employee id: once the record is gone nothing identifies the person.</summary>
    private string EmployeePartition(string employeeId) => "employee:" + pseudonyms.Of("employee", employeeId);

    /// <summary>A keyed pseudonym of the webhook id: no spaces, and a bounded length whatever the sender's ids look like.</summary>
    private string Webhook(string webhookId) => pseudonyms.Of("webhook", webhookId);

    private string Departure(string employeeId, DateOnly lastWorkingDay) =>
        pseudonyms.Of("departure", $"{employeeId}|{lastWorkingDay.ToString("O", CultureInfo.InvariantCulture)}");

    public async Task<long> CountErasedAsync(CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        // Erasure tombstones are employee claims reduced to the Erased mark: read that column only. The column name is
        // not a CreateQueryFilter argument: that would quote it into a string literal, which compares nothing. A return
        // claim's tombstone (marked Return) is the same person again: people are counted, not employee ids.
        var count = 0L;
        await foreach (var claim in index.QueryAsync<TableEntity>($"{ErasedColumn} eq true", maxPerPage: 1000, select: [ErasedColumn, ReturnColumn], cancellationToken: cancellationToken))
        {
            if (claim.GetBoolean(ReturnColumn) != true)
            {
                count++;
            }
        }

        return count;
    }


    private TableEntity ToEntity(Alumnus a) => new(a.Id.Bucket, a.Id.Value)
    {
        ["EmployeeId"] = a.EmployeeId,
        ["GivenName"] = a.GivenName,
        ["FamilyName"] = a.FamilyName,
        ["PersonalEmail"] = a.PersonalEmail.Value,
        [EmailKeyColumn] = pseudonyms.Of("email", a.PersonalEmail.Normalized),
        ["Department"] = a.Department,
        ["JobTitle"] = a.JobTitle,
        ["HireDate"] = a.HireDate?.ToString("O", CultureInfo.InvariantCulture),
        ["LastWorkingDay"] = a.LastWorkingDay.ToString("O", CultureInfo.InvariantCulture),
        ["Reason"] = a.Reason.ToString(),
        ["RehireEligible"] = a.RehireEligible,
        ["DoNotContact"] = a.DoNotContact,
        ["ErasureStartedAt"] = a.ErasureStartedAt,
        ["Locale"] = a.Locale.ToTag(),
        ["Status"] = a.Status.ToString(),
        ["WelcomeDueAt"] = a.WelcomeDueAt,
        ["WelcomeRound"] = a.WelcomeRound,
        ["RecordedAt"] = a.RecordedAt,
        ["InvitedAt"] = a.InvitedAt,
        ["JoinedAt"] = a.JoinedAt,
        ["ReturnedOn"] = a.ReturnedOn?.ToString("O", CultureInfo.InvariantCulture),
        ["Consented"] = a.Consented is { } consented ? string.Join(',', consented.Order()) : null,
        ["Suppressed"] = a.Suppressed?.ToString(),
        [ContactsColumn] = a.Contacts.Count > 0 ? OutreachContact.Format(a.Contacts) : null,
        ["ConflictEntryId"] = a.ConflictOfInterest?.EntryId,
        ["ConflictCategory"] = a.ConflictOfInterest?.Category,
        ["ConflictFlaggedAt"] = a.ConflictOfInterest?.FlaggedAt,
        ["DepartureWithdrawnAt"] = a.DepartureWithdrawnAt,
    };

    /// <summary>
    /// The columns a <see cref="CampaignRecipient"/> is read from: a batch holds up to four pages of 1,000 rows at once,
    /// and leaving out what it never reads (the employee id, the record's timestamps) lowered the app's peak memory at
    /// 100,000 recipients (docs/performance.md). The ETag comes with every entity, selected or not.
    /// </summary>
    private static readonly IEnumerable<string> RecipientColumns =
    [
        "RowKey", "GivenName", "FamilyName", "PersonalEmail", "Department", "LastWorkingDay", "Reason", "RehireEligible", "DoNotContact",
        "ErasureStartedAt", "Locale", "Status", "Consented", "Suppressed", ContactsColumn, "ConflictEntryId", "ConflictCategory", "ConflictFlaggedAt",
    ];

    private static CampaignRecipient ToRecipient(TableEntity e) => new()
    {
        Id = AlumnusId.Parse(e.RowKey),
        GivenName = e.GetString("GivenName"),
        FamilyName = e.GetString("FamilyName"),
        PersonalEmail = EmailAddress.Parse(e.GetString("PersonalEmail")),
        Department = e.GetString("Department"),
        LastWorkingDay = DateOnly.Parse(e.GetString("LastWorkingDay"), CultureInfo.InvariantCulture),
        Reason = Enum.Parse<DepartureReason>(e.GetString("Reason")),
        RehireEligible = e.GetBoolean("RehireEligible"),
        DoNotContact = e.GetBoolean("DoNotContact") ?? false,
        ErasureStartedAt = e.GetDateTimeOffset("ErasureStartedAt"),
        Locale = LocaleOf(e),
        Status = Enum.Parse<AlumnusStatus>(e.GetString("Status")),
        Consented = ConsentedOf(e),
        Suppressed = SuppressedOf(e),
        Contacts = OutreachContact.Parse(e.GetString(ContactsColumn)),
        ConflictOfInterest = ConflictOf(e),
        ETag = e.ETag.ToString(),
    };

    private static Locale LocaleOf(TableEntity e) => Locales.TryParse(e.GetString("Locale"), out var tag) ? tag : Locale.Japanese;

    private static HashSet<ConsentPurpose>? ConsentedOf(TableEntity e) => e.GetString("Consented") is { } consented
        ? consented.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<ConsentPurpose>).ToHashSet()
        : null;

    private static SuppressionReason? SuppressedOf(TableEntity e) => Enum.TryParse<SuppressionReason>(e.GetString("Suppressed"), out var suppressed) ? suppressed : null;

    private static ConflictFlag? ConflictOf(TableEntity e) => e.GetString("ConflictEntryId") is { } entryId && e.GetDateTimeOffset("ConflictFlaggedAt") is { } flaggedAt
        ? new ConflictFlag(entryId, e.GetString("ConflictCategory") ?? "", flaggedAt)
        : null;

    private static Alumnus ToAlumnus(TableEntity e)
    {
        return new Alumnus
        {
            Id = AlumnusId.Parse(e.RowKey),
            EmployeeId = e.GetString("EmployeeId"),
            GivenName = e.GetString("GivenName"),
            FamilyName = e.GetString("FamilyName"),
            PersonalEmail = EmailAddress.Parse(e.GetString("PersonalEmail")),
            Department = e.GetString("Department"),
            JobTitle = e.GetString("JobTitle"),
            HireDate = e.GetString("HireDate") is { } hired ? DateOnly.Parse(hired, CultureInfo.InvariantCulture) : null,
            LastWorkingDay = DateOnly.Parse(e.GetString("LastWorkingDay"), CultureInfo.InvariantCulture),
            Reason = Enum.Parse<DepartureReason>(e.GetString("Reason")),
            RehireEligible = e.GetBoolean("RehireEligible"),
            DoNotContact = e.GetBoolean("DoNotContact") ?? false,
            ErasureStartedAt = e.GetDateTimeOffset("ErasureStartedAt"),
            Locale = LocaleOf(e),
            Status = Enum.Parse<AlumnusStatus>(e.GetString("Status")),
            WelcomeDueAt = e.GetDateTimeOffset("WelcomeDueAt")!.Value,
            WelcomeRound = e.GetInt32("WelcomeRound") ?? 1,
            RecordedAt = e.GetDateTimeOffset("RecordedAt")!.Value,
            InvitedAt = e.GetDateTimeOffset("InvitedAt"),
            JoinedAt = e.GetDateTimeOffset("JoinedAt"),
            ReturnedOn = e.GetString("ReturnedOn") is { } returned ? DateOnly.Parse(returned, CultureInfo.InvariantCulture) : null,
            Consented = ConsentedOf(e),
            Suppressed = SuppressedOf(e),
            Contacts = OutreachContact.Parse(e.GetString(ContactsColumn)),
            ConflictOfInterest = ConflictOf(e),
            DepartureWithdrawnAt = e.GetDateTimeOffset("DepartureWithdrawnAt"),
            ETag = e.ETag.ToString(),
        };
    }
}
