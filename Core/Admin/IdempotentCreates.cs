using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Admin;

/// <summary>
/// The client's name for one admin create (the <c>Idempotency-Key</c> header, or the console's hidden one-time field):
/// a retry or a second click that carries it creates nothing more (ADR 0037).
/// </summary>
public readonly record struct IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    /// <summary>The console's hidden field that carries a create form's one-time key.</summary>
    public const string Field = "idempotencyKey";

    public const int MaxLength = 100;

    public const string Rule = "must be 1 to 100 characters of A-Z, a-z, 0-9, '_' and '-'";

    public const string ReusedRule = "was used before with a different request; nothing was changed (a new request takes a new key)";

    private IdempotencyKey(string value) => Value = value;

    public string Value { get; }

    /// <summary>The key, or null when none was given; an error naming <paramref name="field"/> when one was given and is not one.</summary>
    public static IdempotencyKey? Parse(IReadOnlyList<string?> given, string field, ICollection<FieldError> errors)
    {
        if (given.Count == 0)
        {
            return null;
        }

        if (given is [{ Length: >= 1 and <= MaxLength } text] && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return new IdempotencyKey(text);
        }

        errors.Add(new FieldError(field, Rule));
        return null;
    }

    /// <summary>A fresh key, for a create form the console renders.</summary>
    public static string NewValue() => Guid.NewGuid().ToString("N");
}

/// <summary>
/// What a keyed create is: the id its record gets, derived from who creates, what kind of record and the key (so a
/// repeat finds the first), and a keyed hash of the body (so a repeat with another body is told apart). Both are keyed
/// pseudonyms (<see cref="Pseudonyms"/>): neither can be read back or guessed from the record's contents.
/// </summary>
/// <param name="Id">32 lower-case hex characters, like every record id it stands in for.</param>
public sealed record KeyedCreate(string Id, string BodyHash)
{
    /// <summary>What a create that finds its record already there answers: the record as it is now, or the key's misuse.</summary>
    public AdminOutcome<T> Repeat<T>(string? storedBodyHash, T existing) => storedBodyHash == BodyHash
        ? new AdminOutcome<T>.Repeated(existing)
        : new AdminOutcome<T>.Conflict(IdempotencyKey.ReusedRule, ConflictCode.IdempotencyKeyReused);

    /// <summary>
    /// The entry that follows <paramref name="written"/>, a create's own entry (audited first, ADR 0005), when its insert
    /// found the record there (a create with the same key added it first) or was refused: the entry before it records a
    /// create, this one that it did not happen. Action <c>&lt;kind&gt;.create-not-saved</c>, for every kind of create.
    /// </summary>
    /// <param name="id">The record the create would have made (the subject of <paramref name="written"/> may be another, the alumnus of a request).</param>
    public static AuditEntry NotSaved(AuditEntry written, string kind, string id, DateTimeOffset now) =>
        written with { At = now, Action = NotSavedAction(kind), Detail = $"id={id}; not saved: nothing was created by the create audited just before" };

    public static string NotSavedAction(string kind) => $"{kind}.create-not-saved";

    /// <summary>
    /// What a create answers when its record is already stored under its key: <see cref="Repeat"/> with it, as
    /// <paramref name="answer"/> shows it. Null when the create has no key (nothing is read) or nothing is stored under it.
    /// </summary>
    /// <param name="read">Reads the record with the given id (the key's <see cref="Id"/>).</param>
    /// <param name="createHash">The stored record's <c>CreateHash</c>.</param>
    public static async Task<AdminOutcome<T>?> RepeatOfStoredAsync<TRecord, T>(
        KeyedCreate? keyed, Func<string, Task<TRecord?>> read, Func<TRecord, string?> createHash, Func<TRecord, Task<T>> answer)
        where TRecord : class =>
        keyed is not null && await read(keyed.Id) is { } stored ? keyed.Repeat(createHash(stored), await answer(stored)) : null;

    /// <inheritdoc cref="RepeatOfStoredAsync{TRecord, T}(KeyedCreate?, Func{string, Task{TRecord?}}, Func{TRecord, string?}, Func{TRecord, Task{T}})"/>
    public static Task<AdminOutcome<T>?> RepeatOfStoredAsync<TRecord, T>(
        KeyedCreate? keyed, Func<string, Task<TRecord?>> read, Func<TRecord, string?> createHash, Func<TRecord, T> answer)
        where TRecord : class =>
        RepeatOfStoredAsync(keyed, read, createHash, stored => Task.FromResult(answer(stored)));

    /// <summary>
    /// What a create answers when its insert was refused, after its own entry was written (audit first, ADR 0005): it
    /// writes <paramref name="notSaved"/> (<see cref="NotSaved"/>), then answers as a repeat when a create with the same
    /// key stored the record first (<paramref name="repeatOfStored"/>, usually a <c>RepeatOfStoredAsync</c>), else with
    /// <paramref name="refused"/>.
    /// </summary>
    public static async Task<AdminOutcome<T>> NotSavedAsync<T>(
        IAuditLog audit, AuditEntry notSaved, Func<Task<AdminOutcome<T>?>> repeatOfStored, AdminOutcome<T> refused, CancellationToken cancellationToken)
    {
        await audit.WriteAsync(notSaved, cancellationToken);
        return await repeatOfStored() ?? refused;
    }
}

/// <summary>Turns an idempotency key into the <see cref="KeyedCreate"/> of one create.</summary>
public sealed class IdempotentCreates(Pseudonyms pseudonyms)
{
    /// <param name="kind">The kind of record (<c>opening</c>, <c>collaboration-request</c>): one key may create one of each.</param>
    /// <returns>Null without a key: the create makes a new record each time, as before.</returns>
    public KeyedCreate? Of(string kind, string actor, IdempotencyKey? key, ReadOnlySpan<byte> body) => key is { Value: var value }
        // The key is last and holds no ':', so (actor, key) pairs never run together.
        ? new KeyedCreate(pseudonyms.Of($"create-{kind}", $"{actor}:{value}")[..32], pseudonyms.Of("create-body", Convert.ToBase64String(body)))
        : null;
}
