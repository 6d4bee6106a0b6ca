using System.Globalization;

namespace AlumniNetwork.Core.Validation;

/// <summary>
/// What text people type into a form may hold, and how its line breaks are stored. Text alumni or admins type reaches
/// other people (a recruiter's interest mail, mails to alumni, the console's lists, CSV exports), so beyond control
/// characters the text kept from a form, one line or several, refuses the characters that make text read other than it is: bidi
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators U+2028/U+2029.
/// </summary>
public static class FreeText
{
    /// <summary>The rule a field breaks with a character <see cref="IsMisleading"/> refuses.</summary>
    public const string MisleadingRule = "must not contain text-direction or line-separator characters";

    /// <summary>
    /// Line breaks as LF only. A browser counts a line break as one character against <c>maxlength</c> but sends CRLF,
    /// so text is measured, and stored, after this.
    /// </summary>
    public static string NormaliseLineBreaks(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>A control character other than a line break (and a tab, when <paramref name="tabs"/>).</summary>
    public static bool IsRefusedControl(char c, bool tabs = false) => char.IsControl(c) && c is not ('\n' or '\r') && !(tabs && c == '\t');

    /// <summary>The rule a one-line text breaks with a character <see cref="IsSingleLine"/> refuses.</summary>
    public const string SingleLineRule = "must be one line: no line breaks, tabs or other control characters, and no text-direction or line-separator characters";

    /// <summary>
    /// Text that stays one line wherever it goes: a title that becomes an email subject or a heading. No control character
    /// at all (line breaks and tabs included) and nothing <see cref="IsMisleading"/> refuses.
    /// </summary>
    public static bool IsSingleLine(string text) => !text.Any(c => char.IsControl(c) || IsMisleading(c));

    /// <summary>A bidi override or isolate, or a line or paragraph separator.</summary>
    public static bool IsMisleading(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u2028' or '\u2029';

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="maxLength"/> UTF-16 characters on a text-element boundary
    /// (<see cref="StringInfo"/>): a cut between the halves of a surrogate pair, or inside an emoji sequence or a letter
    /// with its combining marks, leaves half a character, which email shows as a replacement mark. Shorter text is returned as it is.
    /// </summary>
    public static string Cut(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var end = 0;
        for (int next; (next = StringInfo.GetNextTextElementLength(text, end)) > 0 && end + next <= maxLength;)
        {
            end += next;
        }

        return text[..end];
    }
}
