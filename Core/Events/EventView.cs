using System.Globalization;
using AlumniNetwork.Core.Campaigns;

namespace AlumniNetwork.Core.Events;

public sealed record LocalizedView(string Ja, string En);

public sealed record HostView(string Name, string Role, string? Title);

/// <summary>An event as admins read it: times both as entered (local, in <see cref="TimeZone"/>) and as instants.</summary>
/// <param name="Invitations">Progress of the invitation campaign, once published.</param>
public sealed record EventView(
    string Id,
    string Status,
    int Sequence,
    LocalizedView Title,
    LocalizedView Description,
    string Kind,
    string Start,
    string End,
    string TimeZone,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Venue,
    string? OnlineUrl,
    int Capacity,
    string RegistrationDeadline,
    IReadOnlyList<HostView> Hosts,
    AudienceSegment Audience,
    int Attending,
    int Waitlisted,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? CancelledAt,
    string InvitationCampaignId,
    CampaignProgress? Invitations)
{
    public static EventView From(NetworkEvent e, CampaignProgress? invitations = null)
    {
        var d = e.Details;
        string Local(DateTimeOffset at) => d.ToLocal(at).ToString(EventDraft.LocalFormat, CultureInfo.InvariantCulture);
        return new EventView(e.Id, e.Status.ToString(), e.Sequence, new LocalizedView(d.Title.Japanese, d.Title.English),
            new LocalizedView(d.Description.Japanese, d.Description.English), d.Kind.ToString(), Local(d.StartsAt), Local(d.EndsAt), d.TimeZone,
            d.StartsAt, d.EndsAt, d.Venue, d.OnlineUrl?.AbsoluteUri, d.Capacity, Local(d.RegistrationDeadline),
            d.Hosts.Select(h => new HostView(h.Name, h.Role.ToString(), h.Title)).ToArray(), d.Audience, e.Attending, e.Waitlisted,
            e.CreatedAt, e.UpdatedAt, e.PublishedAt, e.CancelledAt, e.InvitationCampaignId, invitations);
    }
}
