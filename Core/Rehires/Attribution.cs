using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Rehires;

/// <summary>
/// The attribution rule: a return is attributed to everything of the network's that reached the alumnus in the 12
/// months before it, in the company's calendar (from midnight of the same day a year before the hire to the end of the
/// hire day). Every touch in the window is kept; the earliest is marked first and the latest last (one touch is both).
/// </summary>
public static class AttributionWindow
{
    public const int Months = 12;

    public static (DateTimeOffset From, DateTimeOffset Until) Of(DateOnly hiredOn, CompanyCalendar calendar) =>
        (calendar.At(hiredOn.AddMonths(-Months), 0), calendar.EndOf(hiredOn));

    public static IReadOnlyList<Touch> Attribute(IEnumerable<Touch> candidates, DateOnly hiredOn, CompanyCalendar calendar)
    {
        var (from, until) = Of(hiredOn, calendar);
        var kept = candidates.Where(t => t.At >= from && t.At < until)
            .OrderBy(t => t.At).ThenBy(t => t.Kind).ThenBy(t => t.SourceId, StringComparer.Ordinal)
            .ToList();
        return kept.Select((t, i) => t with { First = i == 0, Last = i == kept.Count - 1 }).ToArray();
    }
}

/// <summary>
/// Gathers what reached an alumnus: the campaigns on their row (a year of them: the row's contacts), with their kind;
/// the events they registered for or attended (the event's start is when it reached them); and the openings they
/// expressed interest in. An opening's own campaign counts as an opening, not as a campaign.
/// </summary>
public sealed class RehireTouches(ICampaignStore campaigns, IEventStore events, IOpeningStore openings)
{
    public async Task<IReadOnlyList<Touch>> OfAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var touches = new List<Touch>();
        foreach (var contact in alumnus.Contacts)
        {
            if (Opening.IdFrom(contact.CampaignId) is { } openingId)
            {
                var opening = await openings.GetAsync(openingId, cancellationToken);
                touches.Add(new Touch(TouchKind.Opening, openingId, opening?.Details.Kind.ToString() ?? "Unknown", "email", contact.At));
            }
            else if (contact.Batch != OutreachContact.OneToOne)
            {
                // One-to-one contacts other than an opening (a collaboration request) are no campaign: they claim a place
                // under the cap, and are not a touch of the alumni programme.
                var campaign = await campaigns.GetAsync(contact.CampaignId, cancellationToken);
                touches.Add(new Touch(TouchKind.Campaign, contact.CampaignId, campaign?.Kind.ToString() ?? "Unknown", "email", contact.At));
            }
        }

        foreach (var rsvp in await events.RsvpsOfAsync(alumnus.Id, cancellationToken))
        {
            if (rsvp.Status == RsvpStatus.Attending && rsvp.Attended != false && await events.GetAsync(rsvp.EventId, cancellationToken) is { Status: EventStatus.Published } e)
            {
                touches.Add(new Touch(TouchKind.Event, e.Id, e.Details.Kind.ToString(), rsvp.Attended == true ? "attended" : "registered", e.Details.StartsAt));
            }
        }

        foreach (var interest in await openings.InterestsOfAsync(alumnus.Id, cancellationToken))
        {
            if (interest.Version > 0)
            {
                var opening = await openings.GetAsync(interest.OpeningId, cancellationToken);
                touches.Add(new Touch(TouchKind.Opening, interest.OpeningId, opening?.Details.Kind.ToString() ?? "Unknown", "interest", interest.ExpressedAt));
            }
        }

        return touches;
    }
}
