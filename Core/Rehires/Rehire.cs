using System.Globalization;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Rehires;

public enum RehireOutcome
{
    /// <summary>Received; not yet matched to an alumnus.</summary>
    Pending,

    /// <summary>The hire is an alumnus's return: attributed, and the alumnus marked returned.</summary>
    Matched,

    /// <summary>
    /// Nobody the network holds (a first hire, an erased person, or a hire before the person left), or a repeat of a
    /// return already counted (a corrected hire date, a contract change).
    /// </summary>
    NoMatch,
}

public enum TouchKind
{
    /// <summary>A campaign that reached the alumnus (newsletter, event invitation, survey wave).</summary>
    Campaign,

    /// <summary>An event the alumnus registered for or attended.</summary>
    Event,

    /// <summary>An opening sent to the alumnus, or one they expressed interest in.</summary>
    Opening,
}

/// <summary>
/// Something of the network's that reached the alumnus before their return. <paramref name="Detail"/> is the kind of
/// campaign, event or opening; <paramref name="Via"/> how it reached them (<c>email</c>, <c>interest</c>, <c>registered</c>,
/// <c>attended</c>). Ids only. After the alumnus's erasure only the kinds and the first and last marks are kept
/// (<see cref="Anonymised"/>): no source, no way, no instant.
/// </summary>
public sealed record Touch(TouchKind Kind, string SourceId, string Detail, string Via, DateTimeOffset? At, bool First = false, bool Last = false)
{
    /// <summary>What the insights count (kind, kind of opening or campaign, first, last), without what or when it was.</summary>
    public Touch Anonymised() => this with { SourceId = "", Via = "", At = null };
}

/// <summary>
/// A hire the HR system reported, by keyed pseudonyms only (the network does not need a new employee's data), and, once
/// matched to an alumnus, what it is attributed to. Partitioned by the year of the hire, so a report by period reads
/// only the years it covers.
/// </summary>
public sealed class Rehire
{
    /// <summary>Keyed pseudonym of the employee id and the hire date: one row per hire however often HR posts it.</summary>
    public required string Key { get; init; }

    public required DateOnly HiredOn { get; init; }

    /// <summary>Keyed pseudonym of the employee id (the employee claim's key).</summary>
    public required string EmployeeKey { get; init; }

    /// <summary>Keyed pseudonym of the personal address, when HR sent one.</summary>
    public string? EmailKey { get => emailKey; init => emailKey = value; }

    private string? emailKey;

    public required DateTimeOffset ReceivedAt { get; init; }
    public RehireOutcome Outcome { get; private set; } = RehireOutcome.Pending;

    /// <summary>The alumnus who returned; null when not matched, and after their erasure.</summary>
    public AlumnusId? AlumnusId { get; private set; }

    public DateOnly? LastWorkingDay { get; private set; }
    public IReadOnlyList<Touch> Touches { get; private set; } = [];
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? ETag { get; set; }

    public string Partition => PartitionOf(HiredOn);

    /// <summary>The work item's subject: partition and key, no personal data.</summary>
    public string Subject => $"{Partition}-{Key}";

    /// <summary>Whole days between the last working day and the return.</summary>
    public int? DaysAway => LastWorkingDay is { } left ? HiredOn.DayNumber - left.DayNumber : null;

    public bool IsAttributed => Touches.Count > 0;

    public static string PartitionOf(DateOnly hiredOn) => hiredOn.Year.ToString("D4", CultureInfo.InvariantCulture);

    public static (string Partition, string Key)? FromSubject(string subject) =>
        subject is { Length: 69 } && subject[4] == '-' && subject[..4].All(char.IsAsciiDigit) && subject[5..].All(char.IsAsciiHexDigitLower)
            ? (subject[..4], subject[5..])
            : null;

    public static Rehire Restore(string key, DateOnly hiredOn, string employeeKey, string? emailKey, DateTimeOffset receivedAt, RehireOutcome outcome,
        AlumnusId? alumnusId, DateOnly? lastWorkingDay, IReadOnlyList<Touch> touches, DateTimeOffset? decidedAt, string? etag) => new()
    {
        Key = key,
        HiredOn = hiredOn,
        EmployeeKey = employeeKey,
        EmailKey = emailKey,
        ReceivedAt = receivedAt,
        Outcome = outcome,
        AlumnusId = alumnusId,
        LastWorkingDay = lastWorkingDay,
        Touches = touches,
        DecidedAt = decidedAt,
        ETag = etag,
    };

    /// <remarks>
    /// The alumnus's last working day is the departure before this return unless a later one was recorded first; then the
    /// earlier day is not known, and is left out rather than giving a negative time away.
    /// </remarks>
    public void Match(Alumnus alumnus, IReadOnlyList<Touch> touches, DateTimeOffset now)
    {
        var left = alumnus.LastWorkingDay < HiredOn ? alumnus.LastWorkingDay : (DateOnly?)null;
        (Outcome, AlumnusId, LastWorkingDay, Touches, DecidedAt) = (RehireOutcome.Matched, alumnus.Id, left, touches, now);
    }

    public void NoMatch(DateTimeOffset now) => (Outcome, DecidedAt) = (RehireOutcome.NoMatch, now);

    /// <summary>
    /// The alumnus asked to be erased: the rehire stays counted, without anything that leads back to them (ADR 0029): no
    /// alumnus id, no address pseudonym, the last working day only as its month (the median time away reads it), and the
    /// touches only as kinds. Idempotent.
    /// </summary>
    public void Anonymise()
    {
        AlumnusId = null;
        emailKey = null;
        LastWorkingDay = LastWorkingDay is { } left ? new DateOnly(left.Year, left.Month, 1) : null;
        Touches = [.. Touches.Select(t => t.Anonymised())];
    }
}

public interface IRehireStore
{
    /// <summary>Stores a new hire unless one with its key exists; false (and nothing changed) when it does.</summary>
    Task<bool> TryAddAsync(Rehire rehire, CancellationToken cancellationToken);

    Task<Rehire?> GetAsync(string partition, string key, CancellationToken cancellationToken);

    /// <summary>Writes the hire if unchanged since read (ETag); false when someone else changed it first.</summary>
    Task<bool> TryUpdateAsync(Rehire rehire, CancellationToken cancellationToken);

    /// <summary>Matched hires on days from <paramref name="first"/> to <paramref name="last"/> inclusive, oldest first.</summary>
    Task<IReadOnlyList<Rehire>> MatchedAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken);

    /// <summary>The hires matched to the alumnus (data export, erasure; a filtered scan, not for hot paths).</summary>
    Task<IReadOnlyList<Rehire>> OfAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="hireKey"/> as the hire that counts the return <paramref name="returnKey"/> (a keyed
    /// pseudonym of the person and the stint) names, unless a hire is recorded for it already (insert-if-absent, so of
    /// two at the same moment one wins); the key of the hire recorded, this one's again on a repeat.
    /// </summary>
    Task<string> ClaimReturnAsync(string returnKey, string hireKey, CancellationToken cancellationToken);
}
