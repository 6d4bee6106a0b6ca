using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// Decides whether an email may go to one alumnus, reading the facts fresh from the ledgers, and records every answer
/// with its reason. The rules themselves are <see cref="OutreachPolicy"/>'s, shared with campaign batches.
/// Transactional emails (purpose null) skip the consent, quiet-period and cap rules but never a suppression.
/// </summary>
public sealed class OutreachGate(
    IConsentLedger consents,
    ISuppressionList suppressions,
    IOutreachLog log,
    OutreachPolicy policy,
    IOptions<OutreachOptions> options,
    TimeProvider time)
{
    public async Task<OutreachDecision> DecideAsync(Alumnus alumnus, string campaignId, ConsentPurpose? purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reason = await DenialAsync(alumnus, campaignId, purpose, now, cancellationToken);
        var decision = new OutreachDecision(alumnus.Id, campaignId, purpose, purpose is not null, reason is null,
            reason ?? (purpose is null ? OutreachPolicy.Transactional : OutreachPolicy.Consented), now);
        await log.RecordAsync(decision, cancellationToken);
        return decision;
    }

    /// <summary>
    /// Company-internal mail to someone who is not an alumnus (a current employee's work address): outside the alumni
    /// consent rules, but never to a suppressed address. Not recorded in the outreach log, which is about alumni.
    /// </summary>
    /// <returns>Why the email must not go, or null when it may.</returns>
    public async Task<string?> InternalDenialAsync(EmailAddress to, CancellationToken cancellationToken) =>
        await suppressions.FindAsync(to, cancellationToken) is { } suppression ? $"suppressed:{suppression.Reason}" : null;

    private async Task<string?> DenialAsync(Alumnus alumnus, string campaignId, ConsentPurpose? purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var suppressed = (await suppressions.FindAsync(alumnus.PersonalEmail, cancellationToken))?.Reason;
        if (purpose is null || alumnus.DoNotContact || suppressed is not null)
        {
            return policy.Denial(alumnus, suppressed, new HashSet<ConsentPurpose>(), purpose, 0, now);
        }

        var granted = ConsentState.From(await consents.HistoryAsync(alumnus.Id, cancellationToken)).Granted;

        // Promotional mail of both paths counts towards the cap: one-to-one sends are in the decision log, campaigns in
        // the alumnus's contacts.
        var recent = policy.RecentCampaigns(alumnus, campaignId, now).ToHashSet(StringComparer.Ordinal);
        recent.UnionWith((await log.SinceAsync(alumnus.Id, now - options.Value.CapWindow, cancellationToken))
            .Where(d => d.Promotional && d.Allowed && d.CampaignId != campaignId).Select(d => d.CampaignId));
        return policy.Denial(alumnus, suppressed, granted, purpose, recent.Count, now);
    }
}
