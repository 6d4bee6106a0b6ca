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

    /// <summary>A string of 1 to <paramref name="maxLength"/> characters after trimming; null when absent and optional.</summary>
    public string? Text(string name, int maxLength, bool required)
    {
        if (!Present(name, required))
        {
            return null;
        }

        var value = members[name];
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is not { Length: > 0 } || text.Length > maxLength)
        {
            Errors.Add(new FieldError(name, $"must be text of 1 to {maxLength} characters"));
            return null;
        }

        return text;
    }

    /// <summary>An absolute http(s) address.</summary>
    public Uri? WebLink(string name, int maxLength)
    {
        if (!Present(name, required: false))
        {
            return null;
        }

        var value = members[name];
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text || text.Length > maxLength ||
            !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            Errors.Add(new FieldError(name, $"must be an absolute http or https address of at most {maxLength} characters"));
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
            !DateTimeOffset.TryParseExact(value.GetString(), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) ||
            !SupportedCalendar.Contains(instant))
        {
            Errors.Add(new FieldError(name, $"must be a date and time with its offset, e.g. 2027-01-04T10:00:00+09:00, and {SupportedCalendar.Rule}"));
            return null;
        }

        return instant;
    }

    /// <summary>One of an enum's names, exactly (no numbers, no combinations).</summary>
    public T? Choice<T>(string name, bool required)
        where T : struct, Enum
    {
        if (!Present(name, required))
        {
            return null;
        }

        var value = members[name];
        if (value.ValueKind != JsonValueKind.String || !EnumNames.TryParse<T>(value.GetString(), ignoreCase: false, out var chosen))
        {
            Errors.Add(new FieldError(name, $"must be one of {EnumNames.List<T>()}"));
            return null;
        }

        return chosen;
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
