using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// The one place that decides whether an email may go to an alumnus. Every send asks it; every answer is recorded
/// with its reason. Transactional emails (purpose null) skip the consent, quiet-period and cap rules but never a
/// suppression.
/// </summary>
public sealed class OutreachGate(
    IConsentLedger consents,
    ISuppressionList suppressions,
    IOutreachLog log,
    CompanyCalendar calendar,
    IOptions<OutreachOptions> options,
    TimeProvider time)
{
    public async Task<OutreachDecision> DecideAsync(Alumnus alumnus, string campaignId, ConsentPurpose? purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reason = await DenialAsync(alumnus, campaignId, purpose, now, cancellationToken);
        var decision = new OutreachDecision(alumnus.Id, campaignId, purpose, purpose is not null, reason is null,
            reason ?? (purpose is null ? "transactional" : "consented"), now);
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

    /// <returns>Why the email must not go, or null when it may.</returns>
    private async Task<string?> DenialAsync(Alumnus alumnus, string campaignId, ConsentPurpose? purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (alumnus.DoNotContact)
        {
            return "do-not-contact";
        }

        if (await suppressions.FindAsync(alumnus.PersonalEmail, cancellationToken) is { } suppression)
        {
            return $"suppressed:{suppression.Reason}";
        }

        if (purpose is not { } promotional)
        {
            return null;
        }

        var consent = ConsentState.From(await consents.HistoryAsync(alumnus.Id, cancellationToken));
        if (!consent.Has(ConsentPurpose.NetworkMembership))
        {
            return "not-a-member";
        }

        if (!consent.Has(promotional))
        {
            return $"no-consent:{promotional}";
        }

        var settings = options.Value;
        if (now < calendar.EndOf(alumnus.LastWorkingDay).AddDays(settings.QuietPeriodDays))
        {
            return "quiet-period";
        }

        var recent = await log.SinceAsync(alumnus.Id, now - settings.CapWindow, cancellationToken);
        return recent.Count(d => d.Promotional && d.Allowed && d.CampaignId != campaignId) >= settings.MaxPromotionalEmails
            ? "cap"
            : null;
    }
}
