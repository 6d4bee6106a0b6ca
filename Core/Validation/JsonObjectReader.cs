using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Validation;

/// <summary>
/// Reads the members of a nested JSON body (an event, a survey) field by field and collects every problem, each naming
/// its path (<c>questions[2].options[0].id</c>), so an admin API answers one 400 listing everything to fix. A feature's
/// reader derives from it and adds the fields only it has. Unknown fields are errors, never ignored; problem details
/// echo a field name only when it looks like one.
/// </summary>
public abstract partial class JsonObjectReader
{
    /// <summary>Entries of a list of names or keywords.</summary>
    public const int MaxListEntries = 50;

    /// <summary>Characters of one entry of such a list.</summary>
    public const int MaxListText = 100;

    public List<FieldError> Errors { get; } = [];

    /// <summary>The members of an object limited to <paramref name="known"/>; null (and an error) when the value is no object.</summary>
    public Dictionary<string, JsonElement>? Fields(JsonElement element, string path, params string[] known)
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

    public static JsonElement Get(Dictionary<string, JsonElement> fields, string name) => fields.TryGetValue(name, out var value) ? value : default;

    public static bool Missing(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    /// <summary>A text in both languages: <c>{ "ja": "…", "en": "…" }</c>.</summary>
    /// <param name="singleLine">Each language one line (<see cref="FreeText.IsSingleLine"/>): a title that goes into an email subject.</param>
    public LocalizedText? Localized(Dictionary<string, JsonElement> fields, string name, int max, bool required, string? path = null, bool singleLine = false)
    {
        path ??= name;
        var value = Get(fields, name);
        if (Missing(value))
        {
            if (required)
            {
                Errors.Add(new FieldError(path, "is required, with ja and en"));
            }

            return null;
        }

        if (Fields(value, path, "ja", "en") is not { } languages)
        {
            return null;
        }

        var ja = Text(Get(languages, "ja"), $"{path}.ja", max, required, singleLine);
        var en = Text(Get(languages, "en"), $"{path}.en", max, required, singleLine);
        return new LocalizedText(ja ?? "", en ?? "");
    }

    /// <summary>
    /// Trimmed text of 1 to <paramref name="max"/> characters without control characters (line breaks and tabs allowed,
    /// unless <paramref name="singleLine"/>: then <see cref="FreeText.IsSingleLine"/>) and without the characters
    /// <see cref="FreeText.IsMisleading"/> refuses, on one line or several. Line breaks come back as LF
    /// (<see cref="FreeText.NormaliseLineBreaks"/>), measured after: the console's textareas post CRLF, and the same text
    /// sent through the API with LF must read as unchanged.
    /// </summary>
    public string? Text(JsonElement value, string path, int max, bool required, bool singleLine = false)
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

        var text = FreeText.NormaliseLineBreaks(value.GetString()!).Trim();
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

        if (singleLine && !FreeText.IsSingleLine(text))
        {
            Errors.Add(new FieldError(path, FreeText.SingleLineRule));
            return null;
        }

        if (text.Any(FreeText.IsMisleading))
        {
            Errors.Add(new FieldError(path, FreeText.MisleadingRule));
            return null;
        }

        return text;
    }

    /// <summary>An enum member by its exact name (never a number or a combination).</summary>
    public TEnum? EnumValue<TEnum>(JsonElement value, string path, bool required)
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

    public int? WholeNumber(JsonElement value, string path, int min, int max, bool required)
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

    public bool? TrueOrFalse(JsonElement value, string path, bool required)
    {
        if (Missing(value))
        {
            if (required)
            {
                Errors.Add(new FieldError(path, "is required"));
            }

            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Errors.Add(new FieldError(path, "must be true or false"));
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>A calendar date such as <c>2026-11-30</c>, inside <see cref="SupportedCalendar"/>.</summary>
    public DateOnly? Date(JsonElement value, string path)
    {
        var text = Text(value, path, 10, required: false);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && SupportedCalendar.Contains(date))
        {
            return date;
        }

        Errors.Add(new FieldError(path, $"must be a date such as 2026-11-30, and {SupportedCalendar.Rule}"));
        return null;
    }

    /// <summary>The items of an array of at most <paramref name="max"/> entries (none when absent).</summary>
    public List<JsonElement> Items(JsonElement value, string path, int max = MaxListEntries)
    {
        if (Missing(value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > max)
        {
            Errors.Add(new FieldError(path, $"must be an array of at most {max} entries"));
            return [];
        }

        return [.. value.EnumerateArray()];
    }

    public string[] Texts(JsonElement value, string path) =>
        Items(value, path).Select((item, i) => Text(item, $"{path}[{i}]", MaxListText, required: true)).OfType<string>().ToArray();

    public TEnum[] Enums<TEnum>(JsonElement value, string path)
        where TEnum : struct, Enum =>
        Items(value, path).Select((item, i) => EnumValue<TEnum>(item, $"{path}[{i}]", required: true)).OfType<TEnum>().ToArray();

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
}
