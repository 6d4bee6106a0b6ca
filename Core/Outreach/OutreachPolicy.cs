using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// The rules of respectful outreach, in one place for both send paths: do-not-contact, suppression, a return to the
/// company, membership, consent for the purpose, the quiet period after the last working day, and the promotional cap. The facts are
/// gathered by the caller: read from the ledgers for one person (<see cref="OutreachGate"/>), or taken from the
/// projections on the alumnus row for a campaign batch of a thousand.
/// </summary>
public sealed class OutreachPolicy(CompanyCalendar calendar, IOptions<OutreachOptions> options)
{
    public const string Transactional = "transactional";
    public const string Consented = "consented";

    /// <param name="purpose">The consent purpose of a promotional email; null for a transactional one, which only
    /// do-not-contact and suppression stop.</param>
    /// <param name="recentCampaigns">Other promotional campaigns that reached the alumnus in the cap window.</param>
    /// <returns>Why the email must not go (a stable reason code), or null when it may.</returns>
    public string? Denial(IRecipient alumnus, SuppressionReason? suppressed, IReadOnlySet<ConsentPurpose> granted, ConsentPurpose? purpose, int recentCampaigns, DateTimeOffset now)
    {
        if (alumnus.DoNotContact)
        {
            return "do-not-contact";
        }

        if (suppressed is { } reason)
        {
            return $"suppressed:{reason}";
        }

        if (purpose is not { } promotional)
        {
            return null;
        }

        // Rehired: an employee again, no longer someone the alumni programme promotes to (their consents stay).
        if (alumnus.Status == AlumnusStatus.Returned)
        {
            return "returned";
        }

        // Both: a join records its consents before the status, so one that stopped between them leaves membership
        // consent on someone still invited, whom campaign batches (which read the status) do not count as a member either.
        if (alumnus.Status != AlumnusStatus.Joined || !granted.Contains(ConsentPurpose.NetworkMembership))
        {
            return "not-a-member";
        }

        if (!granted.Contains(promotional))
        {
            return $"no-consent:{promotional}";
        }

        var settings = options.Value;
        if (now < calendar.EndOf(alumnus.LastWorkingDay).AddDays(settings.QuietPeriodDays))
        {
            return "quiet-period";
        }

        return recentCampaigns >= settings.MaxPromotionalEmails ? "cap" : null;
    }

    /// <summary>Promotional campaigns other than <paramref name="campaignId"/> in the alumnus's contacts within the cap window.</summary>
    public IReadOnlySet<string> RecentCampaigns(IRecipient alumnus, string campaignId, DateTimeOffset now) =>
        alumnus.Contacts.Where(c => c.At > now - options.Value.CapWindow && c.CampaignId != campaignId).Select(c => c.CampaignId).ToHashSet(StringComparer.Ordinal);
}
