using System.Globalization;
using System.Text.Json;

namespace AlumniNetwork.Core.Validation;

/// <summary>
/// The members of a JSON object body, read field by field with every problem collected: a required field that is
/// missing, a value of the wrong type or out of its rule, and any field the body may not carry. Admin APIs use it so
/// that each answers a 400 that names every field and its rule at once.
/// </summary>
public sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> members;

    private JsonFields(Dictionary<string, JsonElement> members) => this.members = members;

    public List<FieldError> Errors { get; } = [];

    /// <summary>Reads a JSON object limited to <paramref name="allowed"/> fields (copied out, so no document is kept).</summary>
    public static (JsonFields? Fields, IReadOnlyList<FieldError> Errors) Read(ReadOnlySpan<byte> body, IReadOnlyCollection<string> allowed)
    {
        var (document, problems) = StrictJson.Parse(body, maxDepth: 8, "must be a well-formed JSON object");
        if (document is null)
        {
            return (null, problems);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, [new FieldError("$", "must be a JSON object")]);
            }

            var fields = new JsonFields(new Dictionary<string, JsonElement>(StringComparer.Ordinal));
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!allowed.Contains(property.Name))
                {
                    fields.Errors.Add(new FieldError(allowed.Contains(property.Name, StringComparer.OrdinalIgnoreCase) ? property.Name : "$",
                        $"may hold only these fields: {string.Join(", ", allowed)}"));
                }
                else if (!fields.members.TryAdd(property.Name, property.Value.Clone()))
                {
                    fields.Errors.Add(new FieldError(property.Name, "must appear only once"));
                }
            }

            return (fields, fields.Errors);
        }
    }

    public bool Has(string name) => members.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// A string of 1 to <paramref name="maxLength"/> characters after trimming, without control characters other than
    /// line breaks and tabs, nor any <see cref="FreeText.IsMisleading"/> refuses (the rules event texts follow,
    /// <see cref="JsonObjectReader"/>); null when absent and optional.
    /// </summary>
    public string? Text(string name, int maxLength, bool required)
    {
        if (!Present(name, required))
        {
            return null;
        }

        if (CleanText(members[name], maxLength, multiline: true) is not { } text)
        {
            Errors.Add(new FieldError(name, $"must be text of 1 to {maxLength} characters without control characters (line breaks and tabs allowed)"));
            return null;
        }

        return NotMisleading(name, text);
    }

    /// <summary>An absolute http(s) address.</summary>
    public Uri? WebLink(string name, int maxLength)
    {
        if (!Present(name, required: false))
        {
            return null;
        }

        var value = members[name];
        // The length counted is the address as stored and sent (non-ASCII percent-encoded), so a stored link passes again.
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text || text.Length > maxLength ||
            !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.AbsoluteUri.Length > maxLength)
        {
            Errors.Add(new FieldError(name, $"must be an absolute http or https address of at most {maxLength} characters, non-ASCII characters counted percent-encoded"));
            return null;
        }

        return uri;
    }

    /// <summary>An ISO 8601 date and time with its offset (e.g. <c>2027-01-04T10:00:00+09:00</c>) inside <see cref="SupportedCalendar"/>.</summary>
    public DateTimeOffset? Instant(string name, bool required)
    {
        if (!Present(name, required))
        {
            return null;
        }

        var value = members[name];
        if (value.ValueKind != JsonValueKind.String ||
            !IsoInstant.TryParse(value.GetString(), out var instant) ||
            !SupportedCalendar.Contains(instant))
        {
            Errors.Add(new FieldError(name, $"must be a date and time with its offset, e.g. 2027-01-04T10:00:00+09:00, and {SupportedCalendar.Rule}"));
            return null;
        }

        return instant;
    }

    /// <summary>
    /// Text in both languages, <c>{"ja": "…", "en": "…"}</c>, each 1 to <paramref name="maxLength"/> characters without
    /// control characters (line breaks and tabs allowed when <paramref name="multiline"/>) and, multi-line or not, without
    /// any character <see cref="FreeText.IsMisleading"/> refuses.
    /// </summary>
    public (string Japanese, string English)? Bilingual(string name, int maxLength, bool required, bool multiline = false)
    {
        if (!Present(name, required))
        {
            return null;
        }

        var value = members[name];
        var rule = $"must be an object with ja and en, each text of 1 to {maxLength} characters{(multiline ? "" : $" {OneLine}")}";
        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Name is not ("ja" or "en")) ||
            value.EnumerateObject().Count() > 2)
        {
            Errors.Add(new FieldError(name, rule));
            return null;
        }

        // A language left out is named like a blank one (the console leaves an empty control out of the body).
        var ja = value.TryGetProperty("ja", out var japanese) ? CleanText(japanese, maxLength, multiline) : null;
        var en = value.TryGetProperty("en", out var english) ? CleanText(english, maxLength, multiline) : null;
        if (ja is null || en is null)
        {
            Errors.Add(new FieldError(ja is null ? $"{name}.ja" : $"{name}.en", rule));
            return null;
        }

        // One line already refuses these (CleanText); several lines allow line breaks, never these.
        var (japaneseText, englishText) = (NotMisleading($"{name}.ja", ja), NotMisleading($"{name}.en", en));
        return japaneseText is null || englishText is null ? null : (japaneseText, englishText);
    }

    /// <summary>One line of 1 to <paramref name="maxLength"/> characters without control characters.</summary>
    public string? Line(string name, int maxLength, bool required)
    {
        if (!Present(name, required))
        {
            return null;
        }

        if (CleanText(members[name], maxLength, multiline: false) is not { } text)
        {
            Errors.Add(new FieldError(name, $"must be text of 1 to {maxLength} characters {OneLine}"));
        }
        else
        {
            return text;
        }

        return null;
    }

    /// <summary>A list of up to <paramref name="maxEntries"/> distinct lines, each 1 to <paramref name="maxLength"/> characters; empty when absent.</summary>
    public IReadOnlyList<string> Lines(string name, int maxEntries, int maxLength)
    {
        if (!Present(name, required: false))
        {
            return [];
        }

        var value = members[name];
        var rule = $"must be a list of at most {maxEntries} entries, each text of 1 to {maxLength} characters {OneLine}";
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxEntries)
        {
            Errors.Add(new FieldError(name, rule));
            return [];
        }

        var lines = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (CleanText(item, maxLength, multiline: false) is { } line)
            {
                lines.Add(line);
            }
            else
            {
                Errors.Add(new FieldError($"{name}[{index}]", rule));
            }

            index++;
        }

        return lines.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>One of the enum's names, exactly (no numbers, no combinations).</summary>
    public T? Choice<T>(string name, bool required)
        where T : struct, Enum
    {
        if (!Present(name, required))
        {
            return null;
        }

        var value = members[name];
        if (value.ValueKind == JsonValueKind.String && EnumNames.TryParse<T>(value.GetString(), ignoreCase: false, out var chosen))
        {
            return chosen;
        }

        Errors.Add(new FieldError(name, $"must be one of {EnumNames.List<T>()}"));
        return null;
    }

    /// <summary>A valid email address.</summary>
    public Alumni.EmailAddress? Email(string name, bool required)
    {
        if (!Present(name, required))
        {
            return null;
        }

        var value = members[name];
        if (value.ValueKind != JsonValueKind.String || !Alumni.EmailAddress.TryParse(value.GetString(), out var address))
        {
            Errors.Add(new FieldError(name, "must be a valid email address"));
            return null;
        }

        return address;
    }

    /// <summary>A calendar date, <c>yyyy-MM-dd</c>, inside <see cref="SupportedCalendar"/>.</summary>
    public DateOnly? Date(string name, bool required)
    {
        if (!Present(name, required))
        {
            return null;
        }

        var value = members[name];
        if (value.ValueKind == JsonValueKind.String &&
            DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) &&
            SupportedCalendar.Contains(date))
        {
            return date;
        }

        Errors.Add(new FieldError(name, $"must be a date in the form yyyy-MM-dd, and {SupportedCalendar.Rule}"));
        return null;
    }

    /// <summary>true or false; null when absent.</summary>
    public bool? Flag(string name)
    {
        if (!Present(name, required: false))
        {
            return null;
        }

        var value = members[name];
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Errors.Add(new FieldError(name, "must be true or false"));
        return null;
    }

    /// <summary>
    /// The value as a query string would have carried it, for a use case whose rules read query text (the admin search):
    /// a string as sent, or, when <paramref name="number"/>, a JSON number as written, so the use case's own rule refuses
    /// 1.5 or 1e3 by name. Null when absent; any other kind of value is an error with <paramref name="rule"/>.
    /// </summary>
    public string? QueryText(string name, bool number, string rule)
    {
        if (!Present(name, required: false))
        {
            return null;
        }

        var value = members[name];
        if (value.ValueKind == (number ? JsonValueKind.Number : JsonValueKind.String))
        {
            return number ? value.GetRawText() : value.GetString();
        }

        Errors.Add(new FieldError(name, rule));
        return null;
    }

    /// <summary>What a text that is not <c>multiline</c> must be (<see cref="FreeText.IsSingleLine"/>): titles go into email subjects.</summary>
    private const string OneLine = "on one line, without control, text-direction or line-separator characters";

    private static string? CleanText(JsonElement value, int maxLength, bool multiline)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        return text is { Length: > 0 } && text.Length <= maxLength &&
            (multiline ? !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) : FreeText.IsSingleLine(text))
            ? text
            : null;
    }

    /// <summary>
    /// <paramref name="text"/>, or null with an error naming <paramref name="name"/> when it holds a character that makes
    /// it read other than it is (<see cref="FreeText.IsMisleading"/>): multi-line text reaches the console, mail and CSV.
    /// </summary>
    private string? NotMisleading(string name, string text)
    {
        if (text.Any(FreeText.IsMisleading))
        {
            Errors.Add(new FieldError(name, FreeText.MisleadingRule));
            return null;
        }

        return text;
    }

    private bool Present(string name, bool required)
    {
        if (Has(name))
        {
            return true;
        }

        if (required)
        {
            Errors.Add(new FieldError(name, "is required"));
        }

        return false;
    }
}
