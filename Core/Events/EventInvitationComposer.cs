using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// Renders event invitations for the campaign engine: the template per language (no online link: that is for
/// registered attendees), and per recipient the greeting and the signed attend / decline links, bound to this event.
/// People who have already answered are left out, so a re-driven or late batch does not invite them again.
/// </summary>
public sealed class EventInvitationComposer(IEventStore events, AlumniLinks links, IOptions<CompanyOptions> company, TimeProvider time) : ICampaignComposer
{
    public CampaignKind Kind => CampaignKind.EventInvitation;

    public async Task<ICampaignMail?> LoadAsync(string sourceId, CancellationToken cancellationToken)
    {
        if (!NetworkEvent.IsId(sourceId) || await events.GetAsync(sourceId, cancellationToken) is not { } e ||
            e.RegistrationAt(time.GetUtcNow()) != Registration.Open)
        {
            return null;
        }

        var answered = (await events.RsvpsAsync(e.Id, cancellationToken)).Select(r => r.AlumnusId).ToHashSet();
        return new Invitation(e, answered, links, company.Value.Name);
    }

    private sealed class Invitation(NetworkEvent e, HashSet<AlumnusId> answered, AlumniLinks links, string companyName) : ICampaignMail
    {
        public MailTemplate Template(Locale locale) => EventMail.Invitation(e, locale, companyName);

        public bool Includes(IRecipient alumnus, Profile? profile) => !answered.Contains(alumnus.Id);

        public IReadOnlyDictionary<string, string> Values(IRecipient recipient) => new Dictionary<string, string>
        {
            [EventMail.NameKey] = recipient.Locale == Locale.Japanese
                ? $"{recipient.FamilyName} {recipient.GivenName} 様"
                : $"Dear {recipient.GivenName} {recipient.FamilyName},",
            [EventMail.AttendUrlKey] = links.RsvpLink(e, recipient, "attend").AbsoluteUri,
            [EventMail.DeclineUrlKey] = links.RsvpLink(e, recipient, "decline").AbsoluteUri,
        };
    }
}
