using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Primitives;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole;

/// <summary>How a form control's text becomes a JSON value.</summary>
public enum FormFieldKind
{
    /// <summary>A string; an empty control is left out.</summary>
    Text,

    /// <summary>A number when the text is a whole number, else the text itself, which the use case then refuses by name.</summary>
    WholeNumber,

    /// <summary>A textarea, one entry a line: an array of strings.</summary>
    Lines,

    /// <summary>A checkbox group: an array of the ticked values.</summary>
    Choices,

    /// <summary>
    /// One checkbox whose value is <c>true</c>: true when ticked; left out when not (the API's default, false); any other
    /// text as it is, which the use case then refuses by name.
    /// </summary>
    Flag,
}

/// <summary>One control of a console form: its name is the JSON path of the field it fills (<c>title.ja</c>, <c>hosts[0].name</c>).</summary>
public sealed record FormField(string Name, FormFieldKind Kind = FormFieldKind.Text);

/// <summary>
/// A console form's values, keyed by the JSON path each control fills (ADR 0032). The console does not parse a second
/// time what the JSON admin API parses: it turns the form into the API's body (<see cref="ToJson"/>) and hands it to the
/// same Core use case, so the rules are the same, and an error's field is the name of the control that caused it.
/// Values come from a posted form (shown again, as typed, next to the errors) or from what is stored (an edit form).
/// </summary>
public sealed partial class ConsoleFormValues
{
    private readonly Dictionary<string, StringValues> values;

    private ConsoleFormValues(Dictionary<string, StringValues> values) => this.values = values;

    public static ConsoleFormValues Empty { get; } = new(new Dictionary<string, StringValues>(StringComparer.Ordinal));

    public static ConsoleFormValues From(IFormCollection form) =>
        new(form.ToDictionary(f => f.Key, f => new StringValues(f.Value.Select(v => v ?? "").ToArray()), StringComparer.Ordinal));

    public static ConsoleFormValues Of(IEnumerable<KeyValuePair<string, StringValues>> values) =>
        new(values.Where(v => !StringValues.IsNullOrEmpty(v.Value)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    /// <summary>The values of a new create form: its one-time key (<see cref="ConsoleForms.NewCreateValues"/>).</summary>
    public static ConsoleFormValues NewCreate() => Of(ConsoleForms.NewCreateValues().Select(v => KeyValuePair.Create(v.Key, new StringValues(v.Value))));

    /// <summary>The control's text ("" when it was not sent).</summary>
    public string this[string name] => values.TryGetValue(name, out var value) ? value.ToString() : "";

    /// <summary>Every value a checkbox group sent.</summary>
    public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out var value) ? value.Where(v => v is not null).Select(v => v!).ToArray() : [];

    /// <summary>These values with others set (or, for an empty one, removed).</summary>
    public ConsoleFormValues With(IEnumerable<KeyValuePair<string, StringValues>> changes)
    {
        var copy = new Dictionary<string, StringValues>(values, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (StringValues.IsNullOrEmpty(value))
            {
                copy.Remove(name);
            }
            else
            {
                copy[name] = value;
            }
        }

        return new ConsoleFormValues(copy);
    }

    /// <summary>The JSON body the admin API would take, from the controls of <paramref name="fields"/>; other form fields are not read.</summary>
    public byte[] ToJson(IEnumerable<FormField> fields)
    {
        var root = new JsonObject();
        foreach (var field in fields)
        {
            if (ValueOf(field) is { } value)
            {
                Set(root, field.Name, value);
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    private JsonNode? ValueOf(FormField field)
    {
        var text = this[field.Name].Trim();
        switch (field.Kind)
        {
            case FormFieldKind.Lines:
                var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return lines.Length == 0 ? null : new JsonArray([.. lines.Select(l => JsonValue.Create(l))]);
            case FormFieldKind.Choices:
                var ticked = All(field.Name);
                return ticked.Count == 0 ? null : new JsonArray([.. ticked.Select(v => JsonValue.Create(v))]);
            case FormFieldKind.Flag when text == "true":
                return JsonValue.Create(true);
            case FormFieldKind.WholeNumber when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                return JsonValue.Create(number);
            default:
                return text.Length == 0 ? null : JsonValue.Create(text);
        }
    }

    /// <summary>Sets <paramref name="path"/> (<c>a.b</c>, <c>a[2].b</c>), creating the objects and arrays on the way.</summary>
    private static void Set(JsonObject root, string path, JsonNode value)
    {
        JsonNode parent = root;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var match = Segment().Match(segments[i]);
            var name = match.Groups["name"].Value;
            var last = i == segments.Length - 1;
            if (!match.Groups["index"].Success)
            {
                parent = last ? parent[name] = value : parent[name] ??= new JsonObject();
                continue;
            }

            var array = (JsonArray)(parent[name] ??= new JsonArray());
            var index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
            while (array.Count <= index)
            {
                array.Add(new JsonObject());
            }

            parent = last ? array[index] = value : array[index]!;
        }
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9]*)(\[(?<index>\d{1,3})\])?$")]
    private static partial Regex Segment();

    /// <summary>
    /// A company-local date-time from a <c>datetime-local</c> control as an instant with its offset, the form the JSON API
    /// takes; other text as it is, and so a time whose instant falls outside the years 1 to 9999 (the first hours of year 1
    /// east of UTC), which the use case then refuses naming the field.
    /// </summary>
    public static string? LocalToInstant(string? local, TimeZoneInfo zone) =>
        DateTime.TryParseExact(local?.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && zone.GetUtcOffset(at) is var offset && at - DateTime.MinValue >= offset && DateTime.MaxValue - at >= -offset
            ? new DateTimeOffset(at, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
            : local;

    /// <summary>An instant as a <c>datetime-local</c> control shows it, in <paramref name="zone"/>.</summary>
    public static string InstantToLocal(DateTimeOffset? instant, TimeZoneInfo zone) =>
        instant is { } at ? TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : "";
}

/// <summary>
/// The controls of a console form, each with its own label (<c>for</c>/<c>id</c>, so the accessible name is the label
/// alone), named by the JSON field it fills, and marked <c>aria-invalid</c> when an error names it (or a part of it), so
/// the 400 page points at the control to fix.
/// </summary>
public sealed class ConsoleFields(ConsoleFormValues values, IReadOnlyList<FieldError> errors)
{
    public string Text(string name, string label, int maxLength, string type = "text", string? hint = null, bool required = false) => Field(name, label, hint,
        attributes => $"""<input type="{type}" name="{E(name)}" value="{E(values[name])}"{(maxLength > 0 ? $" maxlength=\"{maxLength}\"" : "")}{(required ? " required" : "")}{attributes}>""");

    public string TextArea(string name, string label, int maxLength, int rows = 4, string? hint = null) => Field(name, label, hint,
        attributes => $"""<textarea name="{E(name)}" rows="{rows}" maxlength="{maxLength}"{attributes}>{E(values[name])}</textarea>""");

    public string Select(string name, string label, IEnumerable<(string Value, string Label)> options) => Field(name, label, null,
        attributes => $"""<select name="{E(name)}"{attributes}>{string.Concat(options.Select(o => $"""<option value="{E(o.Value)}"{(o.Value == values[name] ? " selected" : "")}>{E(o.Label)}</option>"""))}</select>""");

    public string Checkboxes(string name, string legend, IEnumerable<(string Value, string Label)> options)
    {
        var ticked = values.All(name);
        return $"""
            <fieldset{Invalid(name)}><legend>{E(legend)}</legend>
            {string.Concat(options.Select(o => $"""<label><input type="checkbox" name="{E(name)}" value="{E(o.Value)}"{(ticked.Contains(o.Value) ? " checked" : "")}> {E(o.Label)}</label>"""))}
            </fieldset>
            """;
    }

    /// <summary>One checkbox that sends <c>true</c> when ticked (<see cref="FormFieldKind.Flag"/>), its label beside it.</summary>
    public string Checkbox(string name, string label) =>
        $"""<p class="field"><label><input type="checkbox" name="{E(name)}" value="true" id="f-{E(name)}"{(values[name] == "true" ? " checked" : "")}{Invalid(name)}> {E(label)}</label></p>""";

    /// <param name="control">The control, given its <c>id</c>, <c>aria-describedby</c> and <c>aria-invalid</c> attributes.</param>
    private string Field(string name, string label, string? hint, Func<string, string> control)
    {
        var id = "f-" + name;
        var described = hint is null ? "" : $" aria-describedby=\"{E(id)}-hint\"";
        return $"""
            <p class="field"><label for="{E(id)}">{E(label)}</label>{(hint is null ? "" : $" <span class=\"secondary\" id=\"{E(id)}-hint\">{E(hint)}</span>")}
            {control($" id=\"{E(id)}\"{described}{Invalid(name)}")}</p>
            """;
    }

    /// <summary>An error names this control, a part of it (<c>hosts[0].name</c> for <c>hosts</c>), or the object it is part of (<c>title</c> for <c>title.ja</c>).</summary>
    private string Invalid(string name) => errors.Any(e => e.Field == name || name.StartsWith(e.Field + ".", StringComparison.Ordinal) ||
        e.Field.StartsWith(name + ".", StringComparison.Ordinal) || e.Field.StartsWith(name + "[", StringComparison.Ordinal))
        ? " aria-invalid=\"true\""
        : "";
}
