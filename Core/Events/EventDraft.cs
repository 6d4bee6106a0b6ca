using System.Globalization;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Events;

/// <summary>
/// Reads an event as an admin posts it (create and update take the same body) and reports every problem at once, each
/// naming its field. Times are local date-times in <c>timeZone</c> (<c>2027-02-10T19:00</c>), as an organiser thinks of them.
/// <code>
/// { "title": { "ja": "…", "en": "…" }, "description": { "ja": "…", "en": "…" }, "kind": "LectureSeries",
///   "start": "2027-02-10T19:00", "end": "2027-02-10T21:00", "timeZone": "Asia/Tokyo",
///   "venue": "…", "onlineUrl": "https://…", "capacity": 80, "registrationDeadline": "2027-02-08T18:00",
///   "hosts": [ { "name": "…", "role": "Employee", "title": "…" } ],
///   "audience": { "departedFromYear": 2015, "departments": ["…"], "locations": ["…"], "keywords": ["…"], "returnInterests": ["ProjectWork"] } }
/// </code>
/// </summary>
public static class EventDraft
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 5000;
    public const int MaxVenue = 300;
    public const int MaxUrl = 2000;
    public const int MaxCapacity = 100_000;
    public const int MaxHosts = 20;
    public const int MaxName = 100;
    public const int MaxListEntries = JsonObjectReader.MaxListEntries;

    /// <summary>
    /// To the minute, as <see cref="EventView"/> shows it: a time with seconds would come back without them on the next
    /// edit (the console's form, a GET then PUT), moving the event and telling every attendee it changed.
    /// </summary>
    internal const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    public const string FutureStartRule = "must be in the future";

    /// <summary>An end moved to now or earlier would send attendees a change notice for an event over, and the event,
    /// then ended, could not be edited back.</summary>
    public const string FutureEndRule = "must be in the future: an end that has passed would end the event";

    /// <param name="storedStart">On an update, the event's start as stored: kept as it is, it may have passed (a typo is
    /// fixed during a multi-day event); a start that changes must still be in the future.</param>
    /// <param name="storedEnd">On an update, the event's end as stored: an end that changes must be in the future.</param>
    public static (EventDetails? Details, IReadOnlyList<FieldError> Errors) Parse(
        ReadOnlySpan<byte> body, DateTimeOffset now, DateTimeOffset? storedStart = null, DateTimeOffset? storedEnd = null)
    {
        var (document, problems) = StrictJson.Parse(body, maxDepth: 8, "must be a well-formed JSON object");
        if (document is null)
        {
            return (null, problems);
        }

        using (document)
        {
            var reader = new Reader();
            var details = reader.Event(document.RootElement, now, storedStart, storedEnd);
            return reader.Errors.Count > 0 ? (null, reader.Errors) : (details, reader.Errors);
        }
    }

    private sealed class Reader : JsonObjectReader
    {
        public EventDetails? Event(JsonElement root, DateTimeOffset now, DateTimeOffset? storedStart, DateTimeOffset? storedEnd)
        {
            var fields = Fields(root, "", "title", "description", "kind", "start", "end", "timeZone", "venue", "onlineUrl", "capacity", "registrationDeadline", "hosts", "audience");
            if (fields is null)
            {
                return null;
            }

            // Titles go into email subjects: one line, or a header could be broken or read as other than it is.
            var title = Localized(fields, "title", MaxTitle, required: true, singleLine: true);
            var description = Localized(fields, "description", MaxDescription, required: false);
            var kind = EnumValue<EventKind>(Get(fields, "kind"), "kind", required: true);
            var zoneId = Text(Get(fields, "timeZone"), "timeZone", 100, required: true);
            TimeZoneInfo? zone = null;
            // The server's zone files include some that are no zone a calendar can carry (localtime, posixrules, Factory):
            // accepted, every notice of the event would fail on its .ics.
            if (zoneId is not null && (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone) || !EventCalendar.CarriesTimeZone(zone.Id)))
            {
                zone = null;
                Errors.Add(new FieldError("timeZone", "must be an IANA time zone such as Asia/Tokyo"));
            }

            var start = LocalTime(Get(fields, "start"), "start", zone, required: true);
            var end = LocalTime(Get(fields, "end"), "end", zone, required: true);
            var deadline = LocalTime(Get(fields, "registrationDeadline"), "registrationDeadline", zone, required: false) ?? start;
            var venue = Text(Get(fields, "venue"), "venue", MaxVenue, required: false);
            var url = OnlineUrl(Get(fields, "onlineUrl"));
            var capacity = WholeNumber(Get(fields, "capacity"), "capacity", 1, MaxCapacity, required: true);
            var hosts = Hosts(Get(fields, "hosts"));
            var audience = this.Audience(Get(fields, "audience"), "audience");

            if (venue is null && url is null && !Errors.Any(e => e.Field is "venue" or "onlineUrl"))
            {
                Errors.Add(new FieldError("venue", "or onlineUrl is required: where the event takes place"));
            }

            if (start is { } s && end is { } e && e <= s)
            {
                Errors.Add(new FieldError("end", "must be after start"));
            }

            if (start is { } begins && begins <= now && begins != storedStart)
            {
                Errors.Add(new FieldError("start", FutureStartRule));
            }

            if (end is { } ends && ends <= now && ends != storedEnd)
            {
                Errors.Add(new FieldError("end", FutureEndRule));
            }

            if (start is { } opens && deadline is { } closes && closes > opens)
            {
                Errors.Add(new FieldError("registrationDeadline", "must not be after start"));
            }

            return Errors.Count > 0
                ? null
                : new EventDetails(title!, description ?? new LocalizedText("", ""), kind!.Value, start!.Value, end!.Value, zone!.Id, venue, url,
                    capacity!.Value, deadline!.Value, hosts ?? [], audience ?? AudienceSegment.Everyone);
        }

        private DateTimeOffset? LocalTime(JsonElement value, string path, TimeZoneInfo? zone, bool required)
        {
            var text = Text(value, path, 30, required);
            if (text is null)
            {
                return null;
            }

            if (!DateTime.TryParseExact(text, LocalFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                Errors.Add(new FieldError(path, "must be a local date-time to the minute without seconds or offset, e.g. 2027-02-10T19:00 (the offset comes from timeZone)"));
                return null;
            }

            if (!SupportedCalendar.Contains(DateOnly.FromDateTime(local)))
            {
                Errors.Add(new FieldError(path, SupportedCalendar.Rule));
                return null;
            }

            if (zone is null)
            {
                return null;
            }

            if (zone.IsInvalidTime(local))
            {
                Errors.Add(new FieldError(path, "does not exist in timeZone (clocks skip it for daylight saving)"));
                return null;
            }

            // A time that occurs twice (clocks going back) means the first occurrence.
            var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
            return new DateTimeOffset(local, offset);
        }

        private Uri? OnlineUrl(JsonElement value)
        {
            var text = Text(value, "onlineUrl", MaxUrl, required: false);
            if (text is null)
            {
                return null;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || url.UserInfo.Length > 0)
            {
                Errors.Add(new FieldError("onlineUrl", "must be an absolute https URL"));
                return null;
            }

            return url;
        }

        private List<EventHost>? Hosts(JsonElement value)
        {
            if (Missing(value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxHosts)
            {
                Errors.Add(new FieldError("hosts", $"must be an array of at most {MaxHosts} hosts"));
                return null;
            }

            var hosts = new List<EventHost>();
            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                var path = $"hosts[{index++}]";
                if (Fields(element, path, "name", "role", "title") is not { } fields)
                {
                    continue;
                }

                var name = Text(Get(fields, "name"), $"{path}.name", MaxName, required: true);
                var role = EnumValue<HostRole>(Get(fields, "role"), $"{path}.role", required: true);
                var title = Text(Get(fields, "title"), $"{path}.title", MaxName, required: false);
                if (name is not null && role is not null)
                {
                    hosts.Add(new EventHost(name, role.Value, title));
                }
            }

            return hosts;
        }
    }
}
