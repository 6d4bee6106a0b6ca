using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Consent;

/// <summary>What an alumnus can agree to, each separately (opt-in per purpose).</summary>
public enum ConsentPurpose
{
    NetworkMembership,
    Newsletter,
    Events,
    JobOffers,
    Surveys,
    DirectoryVisibility,
    EmployeeVisibility,

    /// <summary>Collaboration requests from the company's employees and its collaboration calls, by email.</summary>
    Collaboration,
}

public static class ConsentPurposes
{
    /// <summary>Purposes that mean "you may email me about this": what unsubscribe-all withdraws.</summary>
    public static IReadOnlyList<ConsentPurpose> Email { get; } =
        [ConsentPurpose.Newsletter, ConsentPurpose.Events, ConsentPurpose.JobOffers, ConsentPurpose.Surveys, ConsentPurpose.Collaboration];

    public static IReadOnlyList<ConsentPurpose> All { get; } = Enum.GetValues<ConsentPurpose>();

    /// <summary>Every purpose but membership: what the join and preferences pages offer as separate boxes.</summary>
    public static IReadOnlyList<ConsentPurpose> Optional { get; } = [.. All.Where(p => p != ConsentPurpose.NetworkMembership)];

    /// <summary>The email category an unsubscribe link names (case-insensitive, exact name), or null for none or an unknown one.</summary>
    public static ConsentPurpose? EmailCategory(string? name) =>
        Validation.EnumNames.TryParse<ConsentPurpose>(name, ignoreCase: true, out var purpose) && Email.Contains(purpose) ? purpose : null;
}

/// <summary>How consent was given or withdrawn.</summary>
public enum ConsentMethod
{
    /// <summary>Through a signed link sent to the personal address: a confirmed (double) opt-in.</summary>
    Link,

    /// <summary>By an admin, on the alumnus's documented request.</summary>
    Admin,

    /// <summary>Imported from the HR system.</summary>
    HrisImport,

    /// <summary>A spam complaint or unsubscribe reported by the email provider.</summary>
    Complaint,
}

/// <summary>One entry of the append-only consent ledger.</summary>
public sealed record ConsentRecord(
    AlumnusId AlumnusId,
    ConsentPurpose Purpose,
    bool Granted,
    DateTimeOffset At,
    ConsentMethod Method,
    string WordingVersion)
{
    /// <summary>
    /// Where the ledger stored this entry; set on entries read from it, so removing one deletes exactly the row that
    /// was read instead of a key rebuilt from its fields (which a stored timestamp need not reproduce).
    /// </summary>
    public string? LedgerKey { get; init; }
}

public interface IConsentLedger
{
    /// <summary>Appends the entry; appending the same entry (alumnus, purpose, time) again changes nothing.</summary>
    Task AppendAsync(ConsentRecord record, CancellationToken cancellationToken);

    /// <summary>The alumnus's entries, oldest first.</summary>
    Task<IReadOnlyList<ConsentRecord>> HistoryAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Removes the given entries (retention purge, erasure); removing one twice is harmless.</summary>
    /// <returns>How many entries were actually removed: one that was gone already does not count.</returns>
    Task<int> RemoveAsync(IEnumerable<ConsentRecord> records, CancellationToken cancellationToken);

    /// <summary>Every alumnus id that has entries, including erased alumni whose entries are still under retention.</summary>
    IAsyncEnumerable<AlumnusId> SubjectsAsync(CancellationToken cancellationToken);

    /// <summary>Every entry of every alumnus, one alumnus after another, each alumnus's entries oldest first (insight roll-ups).</summary>
    IAsyncEnumerable<ConsentRecord> AllAsync(CancellationToken cancellationToken);
}

public static class ConsentLedgerExtensions
{
    /// <summary>
    /// The purposes the alumnus consents to now: the row's projection (<see cref="Alumnus.Consented"/>), or the ledger for
    /// rows from before the projection existed.
    /// </summary>
    public static async Task<IReadOnlySet<ConsentPurpose>> GrantedAsync(this IConsentLedger ledger, IRecipient alumnus, CancellationToken cancellationToken) =>
        alumnus.Consented ?? ConsentState.From(await ledger.HistoryAsync(alumnus.Id, cancellationToken)).Granted;
}
