using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
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
public static partial class EventDraft
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 5000;
    public const int MaxVenue = 300;
    public const int MaxUrl = 2000;
    public const int MaxCapacity = 100_000;
    public const int MaxHosts = 20;
    public const int MaxName = 100;
    public const int MaxListEntries = 50;

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    public static (EventDetails? Details, IReadOnlyList<FieldError> Errors) Parse(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var (document, problems) = StrictJson.Parse(body, maxDepth: 8, "must be a well-formed JSON object");
        if (document is null)
        {
            return (null, problems);
        }

        using (document)
        {
            var reader = new Reader();
            var details = reader.Event(document.RootElement, now);
            return reader.Errors.Count > 0 ? (null, reader.Errors) : (details, reader.Errors);
        }
    }

    /// <summary>Names an unknown field only when it looks like a field name: problem details never echo arbitrary input.</summary>
    private static string Path(string parent, string name) =>
        (PlainName().IsMatch(name), parent.Length) switch
        {
            (false, 0) => "$",
            (false, _) => parent,
            (true, 0) => name,
            _ => $"{parent}.{name}",
        };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex PlainName();

    private sealed class Reader
    {
        public List<FieldError> Errors { get; } = [];

        public EventDetails? Event(JsonElement root, DateTimeOffset now)
        {
            var fields = Fields(root, "", "title", "description", "kind", "start", "end", "timeZone", "venue", "onlineUrl", "capacity", "registrationDeadline", "hosts", "audience");
            if (fields is null)
            {
                return null;
            }

            var title = Localized(fields, "title", MaxTitle, required: true);
            var description = Localized(fields, "description", MaxDescription, required: false);
            var kind = EnumValue<EventKind>(Get(fields, "kind"), "kind", required: true);
            var zoneId = Text(Get(fields, "timeZone"), "timeZone", 100, required: true);
            TimeZoneInfo? zone = null;
            if (zoneId is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone))
            {
                Errors.Add(new FieldError("timeZone", "must be an IANA time zone such as Asia/Tokyo"));
            }

            var start = LocalTime(Get(fields, "start"), "start", zone, required: true);
            var end = LocalTime(Get(fields, "end"), "end", zone, required: true);
            var deadline = LocalTime(Get(fields, "registrationDeadline"), "registrationDeadline", zone, required: false) ?? start;
            var venue = Text(Get(fields, "venue"), "venue", MaxVenue, required: false);
            var url = OnlineUrl(Get(fields, "onlineUrl"));
            var capacity = Integer(Get(fields, "capacity"), "capacity", 1, MaxCapacity, required: true);
            var hosts = Hosts(Get(fields, "hosts"));
            var audience = Audience(Get(fields, "audience"));

            if (venue is null && url is null && !Errors.Any(e => e.Field is "venue" or "onlineUrl"))
            {
                Errors.Add(new FieldError("venue", "or onlineUrl is required: where the event takes place"));
            }

            if (start is { } s && end is { } e && e <= s)
            {
                Errors.Add(new FieldError("end", "must be after start"));
            }

            if (start is { } begins && begins <= now)
            {
                Errors.Add(new FieldError("start", "must be in the future"));
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

        private Dictionary<string, JsonElement>? Fields(JsonElement element, string path, params string[] known)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Errors.Add(new FieldError(path.Length == 0 ? "$" : path, "must be a JSON object"));
                return null;
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    Errors.Add(new FieldError(Path(path, property.Name), $"is not a known field; known: {string.Join(", ", known)}"));
                }
                else if (!fields.TryAdd(property.Name, property.Value))
                {
                    Errors.Add(new FieldError(Path(path, property.Name), "must appear only once"));
                }
            }

            return fields;
        }

        private static JsonElement Get(Dictionary<string, JsonElement> fields, string name) => fields.TryGetValue(name, out var value) ? value : default;

        private static bool Missing(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

        private LocalizedText? Localized(Dictionary<string, JsonElement> fields, string name, int max, bool required)
        {
            var value = Get(fields, name);
            if (Missing(value))
            {
                if (required)
                {
                    Errors.Add(new FieldError(name, "is required, with ja and en"));
                }

                return null;
            }

            if (Fields(value, name, "ja", "en") is not { } languages)
            {
                return null;
            }

            var ja = Text(Get(languages, "ja"), $"{name}.ja", max, required);
            var en = Text(Get(languages, "en"), $"{name}.en", max, required);
            return new LocalizedText(ja ?? "", en ?? "");
        }

        private string? Text(JsonElement value, string path, int max, bool required)
        {
            if (Missing(value))
            {
                if (required)
                {
                    Errors.Add(new FieldError(path, "is required"));
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Errors.Add(new FieldError(path, "must be a string"));
                return null;
            }

            var text = value.GetString()!.Trim();
            if (text.Length == 0)
            {
                if (required)
                {
                    Errors.Add(new FieldError(path, "must not be empty"));
                }

                return null;
            }

            if (text.Length > max || text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            {
                Errors.Add(new FieldError(path, $"must be at most {max} characters without control characters"));
                return null;
            }

            return text;
        }

        private TEnum? EnumValue<TEnum>(JsonElement value, string path, bool required)
            where TEnum : struct, Enum
        {
            var name = Text(value, path, 50, required);
            if (name is null)
            {
                return null;
            }

            // Exact names only: Enum.TryParse would also take numbers and combinations.
            if (Enum.GetNames<TEnum>().Contains(name, StringComparer.Ordinal))
            {
                return Enum.Parse<TEnum>(name);
            }

            Errors.Add(new FieldError(path, $"must be one of {string.Join(", ", Enum.GetNames<TEnum>())}"));
            return null;
        }

        private int? Integer(JsonElement value, string path, int min, int max, bool required)
        {
            if (Missing(value))
            {
                if (required)
                {
                    Errors.Add(new FieldError(path, "is required"));
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
            {
                Errors.Add(new FieldError(path, $"must be a whole number from {min} to {max}"));
                return null;
            }

            return number;
        }

        private DateTimeOffset? LocalTime(JsonElement value, string path, TimeZoneInfo? zone, bool required)
        {
            var text = Text(value, path, 30, required);
            if (text is null)
            {
                return null;
            }

            if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                Errors.Add(new FieldError(path, "must be a local date-time without offset, e.g. 2027-02-10T19:00 (the offset comes from timeZone)"));
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

        private AudienceSegment? Audience(JsonElement value)
        {
            if (Missing(value))
            {
                return null;
            }

            var fields = Fields(value, "audience", "departedFromYear", "departedToYear", "lastWorkingDayFrom", "lastWorkingDayTo",
                "departments", "reasons", "locations", "keywords", "returnInterests");
            if (fields is null)
            {
                return null;
            }

            var segment = new AudienceSegment
            {
                DepartedFromYear = Integer(Get(fields, "departedFromYear"), "audience.departedFromYear", 1900, 2200, required: false),
                DepartedToYear = Integer(Get(fields, "departedToYear"), "audience.departedToYear", 1900, 2200, required: false),
                LastWorkingDayFrom = Date(Get(fields, "lastWorkingDayFrom"), "audience.lastWorkingDayFrom"),
                LastWorkingDayTo = Date(Get(fields, "lastWorkingDayTo"), "audience.lastWorkingDayTo"),
                Departments = Texts(Get(fields, "departments"), "audience.departments"),
                Reasons = Enums<DepartureReason>(Get(fields, "reasons"), "audience.reasons"),
                Locations = Texts(Get(fields, "locations"), "audience.locations"),
                Keywords = Texts(Get(fields, "keywords"), "audience.keywords"),
                ReturnInterests = Enums<ReturnInterest>(Get(fields, "returnInterests"), "audience.returnInterests"),
            };
            if (segment.DepartedFromYear > segment.DepartedToYear)
            {
                Errors.Add(new FieldError("audience.departedToYear", "must not be before departedFromYear"));
            }

            if (segment.LastWorkingDayFrom > segment.LastWorkingDayTo)
            {
                Errors.Add(new FieldError("audience.lastWorkingDayTo", "must not be before lastWorkingDayFrom"));
            }

            return segment;
        }

        private DateOnly? Date(JsonElement value, string path)
        {
            var text = Text(value, path, 10, required: false);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Errors.Add(new FieldError(path, "must be a date such as 2026-11-30"));
            return null;
        }

        private List<JsonElement> Items(JsonElement value, string path)
        {
            if (Missing(value))
            {
                return [];
            }

            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxListEntries)
            {
                Errors.Add(new FieldError(path, $"must be an array of at most {MaxListEntries} entries"));
                return [];
            }

            return [.. value.EnumerateArray()];
        }

        private string[] Texts(JsonElement value, string path) =>
            Items(value, path).Select((item, i) => Text(item, $"{path}[{i}]", MaxName, required: true)).OfType<string>().ToArray();

        private TEnum[] Enums<TEnum>(JsonElement value, string path)
            where TEnum : struct, Enum =>
            Items(value, path).Select((item, i) => EnumValue<TEnum>(item, $"{path}[{i}]", required: true)).OfType<TEnum>().ToArray();
    }
}
