using System.Text.Json;
using System.Text.RegularExpressions;

namespace AlumniNetwork.Core.Validation;

/// <summary>
/// The one way the app reads a JSON body from outside. Beyond well-formedness it refuses what System.Text.Json lets
/// through and would later either throw on (a string or key that is not Unicode text: a lone surrogate escape such as
/// <c>"\ud800"</c>, or invalid UTF-8 bytes) or resolve silently (a duplicate key, where the last value wins). Each
/// problem names its path (<c>data.department</c>, <c>[3].email</c>), so every parser answers the same 400.
/// </summary>
/// <remarks>
/// .NET 10's <c>AllowDuplicateProperties = false</c> also refuses duplicates, but its exception names the key without
/// its path and stops at the first; walking the parsed document reports every problem with its path.
/// </remarks>
public static partial class StrictJson
{
    public const string DuplicateRule = "must appear only once";
    public const string TextRule = "must be valid Unicode text (no lone surrogates or invalid UTF-8)";

    /// <summary>Enough to fix a body; a hostile one with thousands of problems gets a short answer.</summary>
    public const int MaxErrors = 20;

    /// <param name="wellFormedRule">What the body must be, for the <c>$</c> error when it is not JSON (e.g. "must be a well-formed JSON object").</param>
    /// <returns>The document, which the caller disposes, or the problems: never both.</returns>
    public static (JsonDocument? Document, IReadOnlyList<FieldError> Errors) Parse(ReadOnlySpan<byte> body, int maxDepth, string wellFormedRule)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException)
        {
            return (null, [new FieldError("$", wellFormedRule)]);
        }

        var errors = new List<FieldError>();
        Check(document.RootElement, "$", errors);
        if (errors.Count == 0)
        {
            return (document, errors);
        }

        document.Dispose();
        return (null, errors);
    }

    /// <summary>The path of a member: its name after the parent's, or null when the name is not plain enough to echo.</summary>
    public static string? MemberPath(string parent, string name) =>
        !PlainName().IsMatch(name) ? null : parent == "$" ? name : $"{parent}.{name}";

    public static string ItemPath(string parent, int index) => parent == "$" ? $"[{index}]" : $"{parent}[{index}]";

    private static void Check(JsonElement element, string path, List<FieldError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (errors.Count >= MaxErrors)
                    {
                        return;
                    }

                    if (Text(() => property.Name) is not { } name)
                    {
                        // A key that is not text cannot be named; its object is.
                        errors.Add(new FieldError(path, "must have keys that are valid Unicode text"));
                        continue;
                    }

                    var member = MemberPath(path, name);
                    if (!seen.Add(name))
                    {
                        errors.Add(member is null ? new FieldError(path, "must not repeat a key") : new FieldError(member, DuplicateRule));
                    }

                    Check(property.Value, member ?? path, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (errors.Count >= MaxErrors)
                    {
                        return;
                    }

                    Check(item, ItemPath(path, index++), errors);
                }

                break;
            case JsonValueKind.String when Text(element.GetString) is null:
                errors.Add(new FieldError(path, TextRule));
                break;
        }
    }

    /// <summary>The text, or null when the JSON holds no valid text there (System.Text.Json throws on reading it).</summary>
    private static string? Text(Func<string?> read)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Names echoed in problem details: field-like only, never arbitrary submitted text.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex PlainName();
}
