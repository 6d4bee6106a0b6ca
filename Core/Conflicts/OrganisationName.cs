using System.Globalization;
using System.Text;

namespace AlumniNetwork.Core.Conflicts;

/// <summary>
/// The matching key of an organisation's name: what is left when the ways people write the same company differ no more.
/// Full-width and half-width forms fold together (NFKC: ＡＢＣ is ABC, ﾃﾞﾛｲﾄ is デロイト, ㈱ and （株） are (株)); case is
/// ignored; Japanese legal forms are removed wherever they stand (株式会社, (株), 有限会社, 合同会社, 監査法人…) and
/// English ones at the end (Co., Ltd., Inc., Corp., LLC, K.K.…), with a leading "The"; spaces and punctuation
/// (・, &amp;, commas, dots) go. Nothing else is guessed: kana and kanji spellings of one name (みずほ / ミズホ) and
/// translations are different keys, so they are listed as a register entry's aliases.
/// </summary>
public static class OrganisationName
{
    /// <summary>
    /// Japanese legal forms, removed wherever they appear (after NFKC, so （株） and ㈱ are already "(株)"); longest first,
    /// so a form that contains another (地方独立行政法人, 有限責任監査法人) goes whole rather than leaving a word behind.
    /// </summary>
    private static readonly string[] JapaneseForms = LongestFirst<string>(
    [
        "特定非営利活動法人", "一般社団法人", "公益社団法人", "一般財団法人", "公益財団法人", "独立行政法人", "地方独立行政法人",
        "国立大学法人", "有限責任監査法人", "監査法人", "税理士法人", "弁護士法人", "司法書士法人", "社会福祉法人", "学校法人", "医療法人",
        "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "相互会社",
        "(株)", "(有)", "(合)", "(同)", "(資)", "(名)", "(社)", "(財)", "(独)", "(医)", "(学)", "(福)",
    ], form => form.Length);

    /// <summary>
    /// English and romanised legal forms, as words (dots removed), stripped from the end; longest first, so a form that
    /// ends in another ("public limited company", "company") goes whole, whatever order the list is written in.
    /// </summary>
    private static readonly string[][] TrailingForms = LongestFirst<string[]>(
    [
        ["kabushiki", "kaisha"], ["kabushikigaisha"], ["godo", "kaisha"], ["yugen", "kaisha"], ["company", "limited"], ["co", "ltd"], ["coltd"],
        ["limited", "liability", "company"], ["public", "limited", "company"], ["limited", "partnership"],
        ["ltd"], ["limited"], ["inc"], ["incorporated"], ["corp"], ["corporation"], ["co"], ["company"], ["llc"], ["llp"], ["lp"], ["plc"],
        ["gmbh"], ["ag"], ["sa"], ["nv"], ["bv"], ["kk"], ["gk"], ["pte"], ["pty"], ["sarl"], ["srl"], ["spa"],
    ], form => form.Length);

    /// <summary>The key, or an empty string when nothing is left (a name that is only a legal form, or only punctuation).</summary>
    public static string Key(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        var text = name.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        foreach (var form in JapaneseForms)
        {
            text = text.Replace(form, " ", StringComparison.Ordinal);
        }

        var words = Words(text);
        StripTrailingForms(words);
        if (words.Count > 1 && words[0] == "the")
        {
            words.RemoveAt(0);
        }

        var key = new StringBuilder();
        foreach (var word in words)
        {
            foreach (var rune in word.EnumerateRunes())
            {
                if (Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
                {
                    key.Append(rune.ToString());
                }
            }
        }

        return key.ToString();
    }

    /// <summary>The forms ordered by <paramref name="length"/>, longest first; forms of one length keep their order.</summary>
    private static T[] LongestFirst<T>(T[] forms, Func<T, int> length) => forms.OrderByDescending(length).ToArray();

    /// <summary>Words split at spaces and commas, each without its dots ("co.," is "co", "l.l.c." is "llc"); empty ones dropped.</summary>
    private static List<string> Words(string text) =>
        text.Split([' ', ',', '\t', '\n', '\r', '\u3000', '、', '/'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Replace(".", "", StringComparison.Ordinal))
            .Where(w => w.Any(c => char.IsLetterOrDigit(c)))
            .ToList();

    /// <summary>Removes legal forms from the end, again and again ("Acme Co., Ltd." loses "ltd", then "co").</summary>
    private static void StripTrailingForms(List<string> words)
    {
        var removed = true;
        while (removed)
        {
            removed = false;
            foreach (var form in TrailingForms)
            {
                if (words.Count >= form.Length && words.Skip(words.Count - form.Length).SequenceEqual(form, StringComparer.Ordinal))
                {
                    words.RemoveRange(words.Count - form.Length, form.Length);
                    removed = true;
                    break;
                }
            }
        }
    }
}
