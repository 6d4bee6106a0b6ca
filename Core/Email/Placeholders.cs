using System.Net;
using System.Text.RegularExpressions;

namespace AlumniNetwork.Core.Email;

/// <summary>
/// <c>{{key}}</c> placeholders in mail templates (keys: lower-case letters, digits and '_'). Values are plain text; in
/// HTML they are escaped. For a bulk request each placeholder becomes a SendGrid substitution tag: the tag itself in
/// the text part, <c>{{key|h}}</c> (filled with the escaped value) in the HTML part.
/// </summary>
public static partial class Placeholders
{
    /// <summary>Fills every placeholder; one without a value is left as it is, so a missing value shows in tests.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values, bool html) =>
        Tag().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out var value) ? (html ? WebUtility.HtmlEncode(value) : value) : match.Value);

    /// <summary>The HTML part with its placeholders renamed to their escaped-value tags.</summary>
    public static string ToHtmlTags(string htmlTemplate) => Tag().Replace(htmlTemplate, match => HtmlTag(match.Groups[1].Value));

    /// <summary>The substitutions for one recipient: each value under its text tag and, escaped, under its HTML tag.</summary>
    public static Dictionary<string, string> Substitutions(IReadOnlyDictionary<string, string> values)
    {
        var substitutions = new Dictionary<string, string>(values.Count * 2, StringComparer.Ordinal);
        foreach (var (key, value) in values.Select(v => (v.Key, Literal(v.Value))))
        {
            // Literal: the provider may substitute one tag inside another's value, so no value may hold a tag.
            substitutions[$"{{{{{key}}}}}"] = value;
            substitutions[HtmlTag(key)] = WebUtility.HtmlEncode(value);
        }

        return substitutions;
    }

    /// <summary>
    /// Text from people (an event title, a news item) placed in a template: a <c>{{</c> in it must stay text, not become
    /// a placeholder, so it gets an invisible zero-width space between any two braces in a row (<c>{{{</c> too).
    /// </summary>
    public static string Literal(string? text) => BraceBeforeBrace().Replace(text ?? "", "{\u200B");

    /// <summary>Whether <paramref name="key"/> can be a placeholder: a value under any other key would never be filled in.</summary>
    public static bool IsKey(string key) => Key().IsMatch(key);

    public static IReadOnlySet<string> KeysIn(string template) => Tag().Matches(template).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    private static string HtmlTag(string key) => $"{{{{{key}|h}}}}";

    [GeneratedRegex(@"\{\{([a-z0-9_]{1,40})\}\}")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\{(?=\{)")]
    private static partial Regex BraceBeforeBrace();

    [GeneratedRegex(@"^[a-z0-9_]{1,40}$")]
    private static partial Regex Key();
}
