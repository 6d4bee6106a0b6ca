namespace AlumniNetwork.Core.Consent;

/// <summary>Current consent, derived from the ledger: the latest entry per purpose wins; withdrawal is immediate.</summary>
public sealed class ConsentState
{
    private readonly Dictionary<ConsentPurpose, ConsentRecord> latest;

    private ConsentState(Dictionary<ConsentPurpose, ConsentRecord> latest) => this.latest = latest;

    public static ConsentState From(IEnumerable<ConsentRecord> history) => new(history
        .OrderBy(r => r.At)
        .GroupBy(r => r.Purpose)
        .ToDictionary(g => g.Key, g => g.Last()));

    public bool Has(ConsentPurpose purpose) => latest.TryGetValue(purpose, out var record) && record.Granted;

    /// <summary>Whether the latest entry for the purpose is a withdrawal (a refusal on record, not just no consent).</summary>
    public bool IsRefused(ConsentPurpose purpose) => latest.TryGetValue(purpose, out var record) && !record.Granted;

    public IReadOnlySet<ConsentPurpose> Granted => latest.Values.Where(r => r.Granted).Select(r => r.Purpose).ToHashSet();

    /// <summary>The grants in force that were given by <paramref name="method"/> with <paramref name="wordingVersion"/>.</summary>
    public IReadOnlyList<ConsentRecord> GrantedBy(ConsentMethod method, string wordingVersion) =>
        latest.Values.Where(r => r.Granted && r.Method == method && r.WordingVersion == wordingVersion).ToArray();

    /// <summary>The entries that would bring the state to <paramref name="wanted"/>: one per purpose that changes.</summary>
    public IReadOnlyList<ConsentRecord> ChangesTo(
        IReadOnlySet<ConsentPurpose> wanted, IEnumerable<ConsentPurpose> scope, Alumni.AlumnusId alumnusId,
        DateTimeOffset at, ConsentMethod method, string wordingVersion) =>
        scope.Where(p => wanted.Contains(p) != Has(p))
            .Select(p => new ConsentRecord(alumnusId, p, wanted.Contains(p), at, method, wordingVersion))
            .ToArray();
}
