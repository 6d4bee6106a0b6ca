using Azure;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// Decides whether an email may go to one alumnus, reading the facts fresh from the ledgers, and records every answer
/// with its reason. Consent is what the ledger grants and the alumnus's row grants too, when it has its copy. The rules themselves are <see cref="OutreachPolicy"/>'s, shared with campaign batches.
/// Transactional emails (purpose null) skip the consent, quiet-period and cap rules but never a suppression.
/// An allowed promotional email claims its place under the cap on the alumnus's row, as a campaign batch does (ADR 0023):
/// a contact for its campaign, written with the row's ETag, so both paths count the same facts and two sends cannot both
/// take the last place.
/// </summary>
public sealed class OutreachGate(
    IConsentLedger consents,
    ISuppressionList suppressions,
    IOutreachLog log,
    IAlumniStore alumni,
    Privacy.ErasureRecheck erasure,
    OutreachPolicy policy,
    IOptions<OutreachOptions> options,
    TimeProvider time)
{
    /// <summary>Rounds of re-reading a row that changed under the claim before the gate gives up for now.</summary>
    private const int ClaimRounds = 5;

    /// <param name="alumnus">The alumnus as read from the store (with its ETag). A claim made on the first try is left on
    /// it with the row's new ETag; after a conflict the gate works on the row read again, and this object is stale.</param>
    /// <exception cref="RequestFailedException">412: the row kept changing under the claim; nothing was claimed or
    /// recorded, and a retry decides afresh.</exception>
    public async Task<OutreachDecision> DecideAsync(Alumnus alumnus, string campaignId, ConsentPurpose? purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reason = await DenialAsync(alumnus, campaignId, purpose, now, cancellationToken);

        // A claim that loses to another writer of the row (a batch, another send, a consent change) decides again on the
        // row as it is now: the cap may have been reached meanwhile.
        for (var round = 1; reason is null && purpose is not null && !await TryClaimAsync(alumnus, campaignId, now, cancellationToken); round++)
        {
            if (round == ClaimRounds)
            {
                throw new RequestFailedException(412, $"The alumnus's row kept changing while send {campaignId} claimed its place.");
            }

            // Erased meanwhile, or the erasure under way: nothing is written about them, not even the decision.
            if (await alumni.GetAsync(alumnus.Id, cancellationToken) is not { ErasureStartedAt: null } fresh)
            {
                return new OutreachDecision(alumnus.Id, campaignId, purpose, true, false, "erased", now);
            }

            alumnus = fresh;
            reason = await DenialAsync(alumnus, campaignId, purpose, now, cancellationToken);
        }

        var decision = new OutreachDecision(alumnus.Id, campaignId, purpose, purpose is not null, reason is null,
            reason ?? (purpose is null ? OutreachPolicy.Transactional : OutreachPolicy.Consented), now);
        await log.RecordAsync(decision, cancellationToken);

        // A refusal decided from a row read just before the erasure set its flag can land after the erasure removed the
        // person's decisions: read the row again, and take the refusal back if the erasure has begun (as a campaign batch
        // does, ADR 0024). Allowed decisions stay: the erasure keeps those to date the consent entries it retains.
        if (!decision.Allowed)
        {
            _ = await erasure.WriteStandsAsync(alumnus.Id, ct => log.RemoveAsync([decision], ct), cancellationToken);
        }

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

        // The ledger is the record, but a withdrawal reaches the row's copy first (ProjectedConsentLedger): after a crash
        // between the two the row is the stricter, and campaign batches and the other sends read it. Only what both grant
        // is granted here, so this path never mails someone the row refuses.
        IReadOnlySet<ConsentPurpose> granted = ConsentState.From(await consents.HistoryAsync(alumnus.Id, cancellationToken)).Granted;
        if (alumnus.Consented is { } projected)
        {
            granted = granted.Where(projected.Contains).ToHashSet();
        }

        // Both paths claim on the alumnus's contacts. One-to-one sends from before they claimed there (2026-11-30) are only
        // in the decision log: the union keeps them counted until they leave the window (a campaign in both counts once).
        // Batches log only refusals, so nothing of theirs is counted twice.
        var recent = policy.RecentCampaigns(alumnus, campaignId, now).ToHashSet(StringComparer.Ordinal);
        recent.UnionWith((await log.SinceAsync(alumnus.Id, now - options.Value.CapWindow, cancellationToken))
            .Where(d => d.Promotional && d.Allowed && d.CampaignId != campaignId).Select(d => d.CampaignId));
        return policy.Denial(alumnus, suppressed, granted, purpose, recent.Count, now);
    }

    /// <summary>
    /// Adds the campaign to the alumnus's contacts with the row's ETag; false when the row changed since it was read (or
    /// was not read from the store). A send whose campaign is there already (a redelivery) claims nothing twice.
    /// </summary>
    private async Task<bool> TryClaimAsync(Alumnus alumnus, string campaignId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (alumnus.Contacts.Any(c => c.CampaignId == campaignId))
        {
            return true;
        }

        if (alumnus.ETag is null)
        {
            return false;
        }

        alumnus.Contacts = [new OutreachContact(campaignId, OutreachContact.OneToOne, now), .. alumnus.Contacts.Where(c => c.At > now - OutreachContact.Kept)];
        return await alumni.TryWriteContactsAsync([alumnus], cancellationToken);
    }
}
