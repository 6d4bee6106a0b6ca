using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// Why an email did or did not go to an alumnus. One row per campaign and alumnus (the latest decision), so a
/// redelivered message does not count twice against the cap. Holds no personal data.
/// </summary>
public sealed record OutreachDecision(
    AlumnusId AlumnusId,
    string CampaignId,
    ConsentPurpose? Purpose,
    bool Promotional,
    bool Allowed,
    string Reason,
    DateTimeOffset At);

public interface IOutreachLog
{
    Task RecordAsync(OutreachDecision decision, CancellationToken cancellationToken);

    /// <summary>The alumnus's decisions at or after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<OutreachDecision>> SinceAsync(AlumnusId alumnusId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Removes every decision about the alumnus (erasure, retention).</summary>
    Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Removes the given decisions; removing one twice is harmless.</summary>
    Task RemoveAsync(IEnumerable<OutreachDecision> decisions, CancellationToken cancellationToken);
}
