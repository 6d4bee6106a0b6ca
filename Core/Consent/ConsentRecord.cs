using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Consent;

public enum ConsentPurpose
{
    NetworkMembership,
}

public enum ConsentMethod
{
    /// <summary>Given through a signed link sent to the personal address: a confirmed (double) opt-in.</summary>
    Link,
}

/// <summary>One entry of the append-only consent ledger.</summary>
public sealed record ConsentRecord(
    AlumnusId AlumnusId,
    ConsentPurpose Purpose,
    bool Granted,
    DateTimeOffset At,
    ConsentMethod Method,
    string WordingVersion);

public interface IConsentLedger
{
    /// <summary>Appends the entry; appending the same entry (alumnus, purpose, time) again changes nothing.</summary>
    Task AppendAsync(ConsentRecord record, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConsentRecord>> HistoryAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
