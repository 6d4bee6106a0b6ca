using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Admin;

/// <summary>
/// The flags a PATCH sets: only fields present in the body change. <c>rehireEligible</c> may be set back to null
/// (unknown); <c>doNotContact</c> is always true or false.
/// </summary>
public sealed record FlagChanges(bool SetsRehireEligible, bool? RehireEligible, bool? DoNotContact)
{
    public const string RehireEligibleField = "rehireEligible";
    public const string DoNotContactField = "doNotContact";

    /// <summary>
    /// The flags as the admin saw them when choosing these changes (the console's form), or null (a PATCH names what it
    /// sets). When given, a flag is only changed while its stored value is still the one shown.
    /// </summary>
    public AlumnusFlags? Shown { get; init; }

    /// <summary>
    /// From a form that shows both flags and posts both back: only the flags the admin changed from what was
    /// <paramref name="shown"/> are set, so a flag someone else changed meanwhile and the admin left alone keeps its value.
    /// </summary>
    public static FlagChanges Edited(AlumnusFlags shown, bool? rehireEligible, bool doNotContact) =>
        new(rehireEligible != shown.RehireEligible, rehireEligible, doNotContact != shown.DoNotContact ? doNotContact : null) { Shown = shown };

    /// <summary>The flags these changes set whose stored value is no longer the one shown (none when nothing was shown).</summary>
    public IReadOnlyList<string> ChangedSinceShown(Alumnus alumnus)
    {
        if (Shown is not { } shown)
        {
            return [];
        }

        var changed = new List<string>();
        if (SetsRehireEligible && alumnus.RehireEligible != shown.RehireEligible)
        {
            changed.Add(RehireEligibleField);
        }

        if (DoNotContact is not null && alumnus.DoNotContact != shown.DoNotContact)
        {
            changed.Add(DoNotContactField);
        }

        return changed;
    }

    /// <summary>Reads the body and reports every problem at once; an unknown field is an error, not ignored.</summary>
    public static (FlagChanges? Changes, IReadOnlyList<FieldError> Errors) Parse(ReadOnlySpan<byte> body)
    {
        var (document, errors) = StrictJson.Parse(body, maxDepth: 8, "must be a well-formed JSON object");
        if (document is null)
        {
            return (null, errors);
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    /// <summary>Applies the changes; returns the names of the flags whose value changed.</summary>
    public IReadOnlyList<string> ApplyTo(Alumnus alumnus)
    {
        var changed = new List<string>();
        if (SetsRehireEligible && alumnus.RehireEligible != RehireEligible)
        {
            alumnus.RehireEligible = RehireEligible;
            changed.Add(RehireEligibleField);
        }

        if (DoNotContact is { } doNotContact && alumnus.DoNotContact != doNotContact)
        {
            alumnus.DoNotContact = doNotContact;
            changed.Add(DoNotContactField);
        }

        return changed;
    }

    private static (FlagChanges?, IReadOnlyList<FieldError>) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, [new FieldError("$", "must be a JSON object")]);
        }

        var errors = new List<FieldError>();
        var (setsRehire, rehire, doNotContact) = (false, (bool?)null, (bool?)null);
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case RehireEligibleField when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                    (setsRehire, rehire) = (true, property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetBoolean());
                    break;
                case RehireEligibleField:
                    errors.Add(new FieldError(RehireEligibleField, "must be true, false or null"));
                    break;
                case DoNotContactField when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    doNotContact = property.Value.GetBoolean();
                    break;
                case DoNotContactField:
                    errors.Add(new FieldError(DoNotContactField, "must be true or false"));
                    break;
                default:
                    errors.Add(new FieldError(StrictJson.MemberPath("$", property.Name) ?? "$", $"is not a flag that can be set; only {RehireEligibleField} and {DoNotContactField} are"));
                    break;
            }
        }

        return errors.Count > 0 ? (null, errors) : (new FlagChanges(setsRehire, rehire, doNotContact), errors);
    }

}

/// <summary>The HR-only flags of an alumnus after a change.</summary>
public sealed record AlumnusFlags(bool? RehireEligible, bool DoNotContact);

/// <summary>
/// Admin: sets HR-only flags (never shown to the alumnus). Read, apply, write with the row's ETag; on a conflict
/// (an intake webhook or another admin got there first) read again and reapply. Each round is audited before its write
/// with the fields it changes, and a round lost to another write is followed by its not-saved entry (ADR 0005), so the
/// entry left standing names what was saved, and a request that saved nothing leaves none standing. Setting a flag to its current value
/// writes nothing, so a repeated PATCH is harmless. Changes made from a page (<see cref="FlagChanges.Shown"/>) are refused
/// whole, before anything is audited or written, when a flag they change no longer holds the value the page showed: the
/// admin decided on a value that is gone, so they must see the new one first.
/// Do-not-contact cannot be cleared while an erasure the alumnus asked for is unfinished
/// (<see cref="Alumnus.ErasureStartedAt"/>): it is what keeps every sending path away from them until the retry ends it.
/// The conflicts differ: stale flags and a pending erasure are a <see cref="AdminOutcome{T}.Conflict"/> with a reason
/// naming them, the erasure's also with its <see cref="ConflictCode.ErasurePending"/> code; losing every one of <see cref="MaxAttempts"/> ETag rounds is one without a reason (a race, which the row
/// also loses to writes that never touch the flags: the consent projection, intake), so the caller says "try again", not
/// "someone changed them".
/// Clearing do-not-contact on someone not yet invited schedules the welcome invitation again: one refused while the flag
/// was set completed its work item, and nothing else would invite them before the retention purge. The item is written
/// twice, as intent before the row write (due <see cref="WelcomeBackstop"/> on at the earliest, so it never runs before
/// the write lands) and at the record's due time after it: a crash between the write and the second leaves the first to
/// invite them, and the Sends ledger keeps the two from both sending. Before the write, the first is refused by the flag.
/// </summary>
public sealed partial class SetAlumnusFlags(IAlumniStore alumni, IWorkItemStore work, IAuditLog audit, TimeProvider time, ILogger<SetAlumnusFlags> logger)
{
    public const int MaxAttempts = 5;

    /// <summary>How long after the request the welcome written as intent comes due at the earliest: well past the request's own writes.</summary>
    public static readonly TimeSpan WelcomeBackstop = TimeSpan.FromMinutes(10);

    /// <summary>The rule an admin breaks by clearing do-not-contact on a person whose erasure is unfinished (<see cref="ConflictCode.ErasurePending"/>).</summary>
    public static readonly FieldError ErasurePending = new(FlagChanges.DoNotContactField,
        "cannot be set to false: the alumnus asked for their data to be erased and the erasure is not finished yet; nothing was saved");

    public async Task<AdminOutcome<AlumnusFlags>> HandleAsync(string id, ReadOnlyMemory<byte> body, string actor, CancellationToken cancellationToken)
    {
        var (changes, errors) = FlagChanges.Parse(body.Span);
        return changes is null ? new AdminOutcome<AlumnusFlags>.Invalid(errors) : await HandleAsync(id, changes, actor, cancellationToken);
    }

    /// <summary>The same, for changes already read from a form (the console) rather than a JSON body.</summary>
    public async Task<AdminOutcome<AlumnusFlags>> HandleAsync(string id, FlagChanges changes, string actor, CancellationToken cancellationToken)
    {
        if (!AlumnusId.TryParse(id, out var alumnusId))
        {
            return new AdminOutcome<AlumnusFlags>.NotFound();
        }

        var backstopped = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await alumni.GetAsync(alumnusId, cancellationToken) is not { } alumnus)
            {
                return new AdminOutcome<AlumnusFlags>.NotFound();
            }

            if (changes.ChangedSinceShown(alumnus) is { Count: > 0 } stale)
            {
                LogChangedSinceShown(stale.Count);
                return new AdminOutcome<AlumnusFlags>.Conflict($"{string.Join(" and ", stale)} changed since the page was loaded; nothing was saved");
            }

            if (changes.DoNotContact == false && alumnus.ErasureStartedAt is not null)
            {
                LogErasurePending();
                return new AdminOutcome<AlumnusFlags>.Conflict($"{ErasurePending.Field} {ErasurePending.Rule}", ConflictCode.ErasurePending);
            }

            var changed = changes.ApplyTo(alumnus);
            // Audit first: a crash after it leaves an entry for a change that did not happen, never a change without one.
            // Each attempt audits the fields it changes; one lost to another write is followed by its not-saved entry
            // (ADR 0005), so an entry left standing names the fields that were saved.
            var entry = changed.Count == 0
                ? new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.AlumnusRead, alumnusId.Value, "view=flags")
                : new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.AlumnusFlagsChanged, alumnusId.Value, $"fields={string.Join(',', changed)}");
            await audit.WriteAsync(entry, cancellationToken);

            var welcomeAgain = changes.DoNotContact == false && alumnus.Status == AlumnusStatus.Departed;
            if (welcomeAgain && changed.Count > 0 && !backstopped)
            {
                // Intent first: a crash after the row write and before the welcome's item below would leave nobody to invite them.
                var item = SendWelcomeInvitation.WorkItemFor(alumnus);
                var earliest = time.GetUtcNow() + WelcomeBackstop;
                await work.ScheduleAsync(item.DueAt >= earliest ? item : new WorkItem { Kind = item.Kind, SubjectId = item.SubjectId, DueAt = earliest }, cancellationToken);
                backstopped = true;
            }

            if (changed.Count == 0 || await alumni.TryUpdateAsync(alumnus, cancellationToken))
            {
                // Also when nothing changed: a repeated request after a crash before this write schedules it then. An item
                // still pending has the same key, so this adds nothing, and the Sends ledger stops a welcome already sent.
                if (welcomeAgain)
                {
                    await work.ScheduleAsync(SendWelcomeInvitation.WorkItemFor(alumnus), cancellationToken);
                }

                LogFlagsSet(changed.Count);
                return new AdminOutcome<AlumnusFlags>.Done(new AlumnusFlags(alumnus.RehireEligible, alumnus.DoNotContact));
            }

            await audit.WriteAsync(UnsavedChange.NotSaved(entry, time.GetUtcNow()), cancellationToken);
        }

        LogConflict(MaxAttempts);
        return new AdminOutcome<AlumnusFlags>.Conflict(Reason: null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin set flags of an alumnus: {Changed} changed")]
    private partial void LogFlagsSet(int changed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flags of an alumnus not set: {Stale} of the flags changed were changed by someone else since the page was loaded")]
    private partial void LogChangedSinceShown(int stale);

    [LoggerMessage(Level = LogLevel.Information, Message = "Do-not-contact of an alumnus not cleared: their erasure is not finished")]
    private partial void LogErasurePending();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flags of an alumnus not set: the record changed under each of {Attempts} attempts")]
    private partial void LogConflict(int attempts);
}
