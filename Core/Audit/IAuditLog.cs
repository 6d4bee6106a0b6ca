using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Audit;

/// <summary>
/// Who read or changed what, when. Entries name the actor and the subject by id, never by personal data.
/// </summary>
/// <param name="Actor">The admin's subject id, or <c>alumnus-link</c> / <c>system</c>.</param>
/// <param name="Action">What happened, e.g. <c>alumnus.read</c>, <c>alumnus.erased</c>.</param>
/// <param name="Subject">The id acted on (an alumnus id), or empty.</param>
/// <param name="Detail">Non-personal detail, e.g. the names of changed fields.</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Subject, string Detail);

/// <summary>Optional exact matches on an entry's actor and action; null matches any.</summary>
public sealed record AuditFilter(string? Actor = null, string? Action = null)
{
    public static AuditFilter None { get; } = new();

    public bool Matches(AuditEntry entry) =>
        (Actor is null || string.Equals(entry.Actor, Actor, StringComparison.Ordinal)) &&
        (Action is null || string.Equals(entry.Action, Action, StringComparison.Ordinal));
}

/// <summary>A run of entries, newest first, and where the next one starts (none when the range is read to its end).</summary>
public sealed record AuditSlice(IReadOnlyList<AuditEntry> Entries, AuditCursor? Next);

public interface IAuditLog
{
    /// <summary>Writes the entry; when its <see cref="AuditEntry.Subject"/> is an alumnus, it is also among the entries about them.</summary>
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="entry"/> (already written) disclosed these alumni, e.g. the rows of a search page or
    /// an export, so each finds it among the entries about them. Called before the data leaves; ids only.
    /// </summary>
    Task RecordSubjectsAsync(AuditEntry entry, IReadOnlyCollection<AlumnusId> subjects, CancellationToken cancellationToken);

    /// <summary>
    /// Entries between two instants that match <paramref name="filter"/>, newest first, at most <paramref name="limit"/>,
    /// continuing after <paramref name="after"/> when given; <see cref="AuditSlice.Next"/> is set when more follow.
    /// </summary>
    Task<AuditSlice> QueryAsync(DateTimeOffset since, DateTimeOffset until, int limit, AuditFilter filter, AuditCursor? after, CancellationToken cancellationToken);

    /// <summary>Every entry about the alumnus, as its subject or among those it disclosed, newest first (one indexed query).</summary>
    Task<IReadOnlyList<AuditEntry>> AboutAsync(AlumnusId subject, CancellationToken cancellationToken);
}
