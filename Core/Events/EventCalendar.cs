using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// The event as an RFC 5545 calendar entry for one attendee: <c>METHOD:REQUEST</c> to add or update it,
/// <c>METHOD:CANCEL</c> to remove it. The UID is the same in every file about the event, so calendars update the entry
/// they hold; the sequence rises with every change (<see cref="Rsvp.CalendarSequence"/>), so the latest file wins.
/// </summary>
public static class EventCalendar
{
    public const string FileName = "event.ics";

    /// <summary>RFC 6047 (iMIP): the type carries the calendar's METHOD, which clients check before acting on the file.
    /// No charset: SendGrid refuses any attachment-type parameter but <c>method</c> (400) and adds the charset itself;
    /// the file is UTF-8.</summary>
    public const string RequestContentType = "text/calendar; method=REQUEST";

    public const string CancelContentType = "text/calendar; method=CANCEL";

    /// <summary>Whether a calendar file can name <paramref name="timeZoneId"/> and carry its rules (Ical.Net's zones, not every
    /// file the server's zone database holds).</summary>
    public static bool CarriesTimeZone(string timeZoneId)
    {
        try
        {
            new Calendar().AddTimeZone(timeZoneId);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static string Uid(NetworkEvent e, Uri publicBaseUrl) => $"{e.Id}@{publicBaseUrl.Host}";

    /// <param name="organizer">The sender's address: calendar replies go there.</param>
    public static EmailAttachment Request(NetworkEvent e, Alumnus attendee, int sequence, EmailAddress organizer, string organizerName, Uri publicBaseUrl, DateTimeOffset now) =>
        Render(e, attendee, sequence, organizer, organizerName, publicBaseUrl, now, cancel: false);

    public static EmailAttachment Cancel(NetworkEvent e, Alumnus attendee, int sequence, EmailAddress organizer, string organizerName, Uri publicBaseUrl, DateTimeOffset now) =>
        Render(e, attendee, sequence, organizer, organizerName, publicBaseUrl, now, cancel: true);

    /// <summary>
    /// The invitation of a current employee by work address, for each version of the event: the same UID and sequence
    /// as the attendees' files, so the employee's entry is updated and later removed by <see cref="CancelForStaff"/>; the
    /// title and description in both languages (the employee's language is unknown), no name (none is stored), no
    /// answer assumed, and no online link (the invitation mail does not give it either).
    /// </summary>
    public static EmailAttachment RequestForStaff(NetworkEvent e, EmailAddress to, int sequence, EmailAddress organizer, string organizerName, Uri publicBaseUrl, DateTimeOffset now) =>
        RenderForStaff(e, to, sequence, organizer, organizerName, publicBaseUrl, now, cancel: false);

    /// <summary>
    /// The cancellation for a current employee invited by work address: the same UID as every file about the event, the
    /// title and description in both languages (the employee's language is unknown), and no name (none is stored).
    /// </summary>
    public static EmailAttachment CancelForStaff(NetworkEvent e, EmailAddress to, int sequence, EmailAddress organizer, string organizerName, Uri publicBaseUrl, DateTimeOffset now) =>
        RenderForStaff(e, to, sequence, organizer, organizerName, publicBaseUrl, now, cancel: true);

    private static EmailAttachment RenderForStaff(
        NetworkEvent e, EmailAddress to, int sequence, EmailAddress organizer, string organizerName, Uri publicBaseUrl, DateTimeOffset now, bool cancel)
    {
        var d = e.Details;
        return Render(e, to, commonName: null, $"{d.Title.Japanese} / {d.Title.English}", $"{d.Description.Japanese}\n\n{d.Description.English}",
            sequence, organizer, organizerName, publicBaseUrl, now, cancel, staff: true);
    }

    private static EmailAttachment Render(
        NetworkEvent e, Alumnus attendee, int sequence, EmailAddress organizer, string organizerName, Uri publicBaseUrl, DateTimeOffset now, bool cancel) =>
        Render(e, attendee.PersonalEmail, $"{attendee.FamilyName} {attendee.GivenName}", e.Details.Title.In(attendee.Locale), e.Details.Description.In(attendee.Locale),
            sequence, organizer, organizerName, publicBaseUrl, now, cancel, staff: false);

    private static EmailAttachment Render(
        NetworkEvent e, EmailAddress attendee, string? commonName, string summary, string description, int sequence, EmailAddress organizer, string organizerName,
        Uri publicBaseUrl, DateTimeOffset now, bool cancel, bool staff)
    {
        var d = e.Details;
        // A cancellation goes to people who no longer hold a seat, and employees are not given it: the online link is for
        // attendees only.
        var online = cancel || staff ? null : d.OnlineUrl;
        var calendar = new Calendar { Method = cancel ? "CANCEL" : "REQUEST", ProductId = "-//AlumniNetwork//Events//EN" };
        calendar.AddTimeZone(d.TimeZone);
        var entry = new CalendarEvent
        {
            Uid = Uid(e, publicBaseUrl),
            Sequence = sequence,
            DtStamp = new CalDateTime(now.UtcDateTime, "UTC"),
            DtStart = Local(d, d.StartsAt),
            DtEnd = Local(d, d.EndsAt),
            Summary = summary,
            Description = online is null ? description : $"{description}\n\n{online.AbsoluteUri}",
            Location = d.Venue ?? online?.AbsoluteUri,
            Url = online,
            Status = cancel ? "CANCELLED" : "CONFIRMED",
            Organizer = new Organizer($"mailto:{organizer.Value}") { CommonName = organizerName },
        };
        entry.Attendees.Add(new Attendee($"mailto:{attendee.Value}")
        {
            CommonName = commonName,
            Role = "REQ-PARTICIPANT",
            ParticipationStatus = cancel ? "DECLINED" : staff ? "NEEDS-ACTION" : "ACCEPTED",
            Rsvp = false,
        });
        calendar.Events.Add(entry);
        var text = new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("The calendar did not serialize.");
        return new EmailAttachment(FileName, cancel ? CancelContentType : RequestContentType, System.Text.Encoding.UTF8.GetBytes(text));
    }

    private static CalDateTime Local(EventDetails d, DateTimeOffset instant) => new(d.ToLocal(instant).DateTime, d.TimeZone, true);
}
