using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Conflicts;

/// <summary>The audit actions of the conflict-of-interest register and its flags.</summary>
public static class ConflictAuditActions
{
    public const string EntryAdded = "conflicts.register.added";
    public const string EntryChanged = "conflicts.register.changed";
    public const string EntryRemoved = "conflicts.register.removed";

    /// <summary>The list of flagged alumni was read (every one of them is among its subjects).</summary>
    public const string FlagsRead = "conflicts.flags.read";

    /// <summary>The approval queue was read (every alumnus waiting in it is among its subjects).</summary>
    public const string ApprovalsRead = "conflicts.approvals.read";
}

/// <summary>
/// The compliance team keeps the register: add, change and remove organisations. A name (or alias) that normalises to
/// nothing, or that another entry holds already, is refused before anything is written. Each change is audited, then
/// written, and everyone is checked against the register again by a work item written before the change and due once it
/// has landed (<see cref="ConflictChecks.ScheduleEveryoneAsync"/>, asked again after the write).
/// </summary>
public sealed partial class ManageConflictRegister(
    IConflictRegister register, IConflictAssessments assessments, ConflictChecks checks, ErasureRecheck erasure, IAuditLog audit, IdempotentCreates creates, TimeProvider time,
    ILogger<ManageConflictRegister> logger, Microsoft.Extensions.Options.IOptions<ConflictOptions> options)
{
    public const string CreateKind = "conflicts.register";

    public Task<IReadOnlyList<RegisterEntry>> ListAsync(CancellationToken cancellationToken) => register.ListAsync(cancellationToken);

    public async Task<RegisterEntry?> GetAsync(string id, CancellationToken cancellationToken) =>
        RegisterEntry.IsId(id) ? await register.GetAsync(id, cancellationToken) : null;

    /// <param name="key">With a key, a repeat of the same form finds the entry it added and changes nothing (ADR 0037).</param>
    public Task<AdminOutcome<RegisterEntry>> AddAsync(RegisterForm form, string actor, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        // The form's fields as posted are the body a repeat is compared by.
        var keyed = creates.Of(CreateKind, actor, key, JsonSerializer.SerializeToUtf8Bytes(form));
        return WriteAsync(keyed?.Id ?? RegisterEntry.NewId(), null, form, actor, cancellationToken, keyed);
    }

    /// <param name="seen">The version the edit was built on: when the entry no longer has it, nothing is written (the write
    /// uses the ETag of the read compared), so an alias someone else added meanwhile is never dropped. Null: any.</param>
    public async Task<AdminOutcome<RegisterEntry>> ReplaceAsync(string id, RegisterForm form, RecordVersion? seen, string actor, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken) switch
        {
            null => new AdminOutcome<RegisterEntry>.NotFound(),
            { } current when seen is { } version && !version.Matches(current.UpdatedAt) => new AdminOutcome<RegisterEntry>.Stale(),
            { } current => await WriteAsync(id, current, form, actor, cancellationToken),
        };

    /// <summary>
    /// How many alumni the entry flags now, its cooling-off included: what removing it would lift (for the confirmation
    /// page; a count, so no one's flag is read in the officer's name). An alumnus also flagged by another entry stays flagged.
    /// </summary>
    public async Task<int> CountFlaggedByAsync(string id, CancellationToken cancellationToken) =>
        (await assessments.ListAsync(cancellationToken)).Count(a => a.Chain().Any(link => link.EntryId == id));

    /// <param name="seen">The version the officer confirmed the removal of: when the entry no longer has it (an alias
    /// added meanwhile, say), nothing is removed or audited (ADR 0032). Null: any.</param>
    public async Task<AdminOutcome<RegisterEntry>> RemoveAsync(string id, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } entry)
        {
            return new AdminOutcome<RegisterEntry>.NotFound();
        }

        if (seen is { } version && !version.Matches(entry.UpdatedAt))
        {
            return new AdminOutcome<RegisterEntry>.Stale();
        }

        var audited = new AuditEntry(time.GetUtcNow(), actor, ConflictAuditActions.EntryRemoved, entry.Id, $"category={entry.Category}");
        await audit.WriteAsync(audited, cancellationToken);
        await checks.ScheduleEveryoneAsync(cancellationToken);
        if (!await register.RemoveAsync(entry, cancellationToken))
        {
            // Changed or removed since the read: the entry above names a removal that was not made (ADR 0005).
            await audit.WriteAsync(UnsavedChange.NotSaved(audited, time.GetUtcNow()), cancellationToken);
            return new AdminOutcome<RegisterEntry>.Conflict();
        }

        await checks.ScheduleEveryoneAsync(cancellationToken);
        LogChanged(entry.Id, "removed");
        return new AdminOutcome<RegisterEntry>.Done(entry);
    }

    /// <summary>
    /// A page of the flagged alumni with the reason for each, for the compliance team (most recently flagged first,
    /// <see cref="ConflictOptions.AdminPageSize"/> at a time, each page after the cursor the previous one ended at). Who is
    /// flagged is personal data: the read of each page is audited, and each alumnus on it finds it among the entries about
    /// them. A cursor that is no cursor is refused before anything is read or audited. Someone whose erasure has begun is
    /// not in it (ADR 0008).
    /// </summary>
    /// <param name="after">Where the previous page ended (null or empty: the first page).</param>
    public async Task<AdminOutcome<ConflictPage<ConflictAssessment>>> FlaggedAsync(string? after, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var cursor = ConflictCursor.Parse(after, key => AlumnusId.TryParse(key, out _), errors);
        if (errors.Count > 0)
        {
            return new AdminOutcome<ConflictPage<ConflictAssessment>>.Invalid(errors);
        }

        var flagged = await assessments.ListAsync(cancellationToken);
        var page = await ConflictCursor.PageOfAsync(flagged, a => a.Since, a => a.AlumnusId.Value, a => a.AlumnusId, PageOrder.NewestFirst, cursor, after,
            options.Value.AdminPageSize, erasure, cancellationToken);
        var entry = new AuditEntry(time.GetUtcNow(), actor, ConflictAuditActions.FlagsRead, "", $"flagged={page.Items.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, page.Items.Select(a => a.AlumnusId).ToArray(), cancellationToken);
        return new AdminOutcome<ConflictPage<ConflictAssessment>>.Done(page);
    }

    /// <param name="keyed">An add's idempotency key (<paramref name="id"/> is its id); null for a change or an add without one.</param>
    private async Task<AdminOutcome<RegisterEntry>> WriteAsync(
        string id, RegisterEntry? current, RegisterForm form, string actor, CancellationToken cancellationToken, KeyedCreate? keyed = null)
    {
        var now = time.GetUtcNow();
        var (parsed, errors) = form.Parse(id, actor, now);
        if (parsed is null)
        {
            return new AdminOutcome<RegisterEntry>.Invalid(errors);
        }

        Task<AdminOutcome<RegisterEntry>?> RepeatOfStored() =>
            KeyedCreate.RepeatOfStoredAsync(keyed, entryId => register.GetAsync(entryId, cancellationToken), e => e.CreateHash, e => e);
        if (await RepeatOfStored() is { } repeat)
        {
            return repeat;
        }

        var entry = parsed with { CreateHash = current is null ? keyed?.BodyHash : current.CreateHash };

        // Refused before anything is written, so a duplicate leaves no audit entry and no work behind; the store still
        // refuses a name taken in a race.
        foreach (var name in entry.Names)
        {
            if (await register.FindAsync(OrganisationName.Key(name), cancellationToken) is { } holder && holder.Id != id)
            {
                return Duplicate(name, holder);
            }
        }

        var action = current is null ? ConflictAuditActions.EntryAdded : ConflictAuditActions.EntryChanged;
        var audited = new AuditEntry(now, actor, action, id, $"category={entry.Category}; aliases={entry.Aliases.Count}; coolingOffDays={entry.CoolingOffDays}");
        await audit.WriteAsync(audited, cancellationToken);
        await checks.ScheduleEveryoneAsync(cancellationToken);
        var written = current is null
            ? await register.AddAsync(entry, cancellationToken)
            : await register.ReplaceAsync(entry with { ETag = current.ETag }, cancellationToken);
        if (written is RegisterWrite.Written done)
        {
            // Written again only when the change took so long that the check written before it may have run already.
            await checks.ScheduleEveryoneAsync(cancellationToken);
            LogChanged(id, current is null ? "added" : "changed");
            return new AdminOutcome<RegisterEntry>.Done(done.Entry);
        }

        var refused = written is RegisterWrite.Duplicate duplicate ? Duplicate(duplicate.Name, null) : new AdminOutcome<RegisterEntry>.Conflict();

        // A write that saved nothing says so after its entry above (ADR 0005): an add (a name taken meanwhile, or a repeat of
        // it with the same key added the entry first) as a create, a change (the entry changed, or a name taken) as a change.
        if (current is null)
        {
            return await KeyedCreate.NotSavedAsync(audit, KeyedCreate.NotSaved(audited, CreateKind, id, time.GetUtcNow()), RepeatOfStored, refused, cancellationToken);
        }

        await audit.WriteAsync(UnsavedChange.NotSaved(audited, time.GetUtcNow()), cancellationToken);
        return refused;
    }

    private static AdminOutcome<RegisterEntry> Duplicate(string name, RegisterEntry? holder) => new AdminOutcome<RegisterEntry>.Conflict(
        holder is null
            ? $"「{name}」 is already in the register under another entry; nothing was saved."
            : $"「{name}」 is already in the register as 「{holder.Name}」 ({holder.Category}); nothing was saved. Add it there, as an alias, if it is the same organisation.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Conflict-of-interest register entry {EntryId} {Change}")]
    private partial void LogChanged(string entryId, string change);
}
