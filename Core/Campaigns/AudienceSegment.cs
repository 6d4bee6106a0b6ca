using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// Who a campaign is for, beyond consent (which the outreach gate checks for everyone): every condition that is set
/// must hold; an empty segment is everyone who consented to the campaign's purpose. Text comparisons ignore case and
/// width (全角/半角); keywords match whole words of the profile's free text (<see cref="Contains"/>), locations overlap either way
/// (<see cref="IsNear"/>).
/// </summary>
public sealed partial record AudienceSegment
{
    public static AudienceSegment Everyone { get; } = new();

    /// <summary>Calendar year of the last working day, inclusive bounds.</summary>
    public int? DepartedFromYear { get; init; }

    public int? DepartedToYear { get; init; }

    /// <summary>Last working day, inclusive bounds (lifecycle survey waves: "left exactly 14 days ago").</summary>
    public DateOnly? LastWorkingDayFrom { get; init; }

    public DateOnly? LastWorkingDayTo { get; init; }

    /// <summary>Any of these departments (exact name).</summary>
    public IReadOnlyList<string> Departments { get; init; } = [];

    /// <summary>Any of these departure reasons.</summary>
    public IReadOnlyList<DepartureReason> Reasons { get; init; } = [];

    /// <summary>The profile's location and any of these name each other (<see cref="IsNear"/>).</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];

    /// <summary>The profile's skills or interests contain any of these.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Any of these answers to "would you come back".</summary>
    public IReadOnlyList<ReturnInterest> ReturnInterests { get; init; } = [];

    /// <summary>No condition set: everyone who consented.</summary>
    public bool IsEveryone => SameAs(Everyone);

    /// <summary>
    /// The same conditions. Records compare their lists by reference; each list is "any of", so its order and repeats do
    /// not change who is in the audience: lists compare as sets (the console's checkboxes send the reasons in their own
    /// order, once each, whatever order the API was given). Text compares folded, as <see cref="Matches"/> reads it
    /// ("sales", "Sales" and "Ｓａｌｅｓ" pick the same people), so a repeat that only differs there is the same audience.
    /// </summary>
    public bool SameAs(AudienceSegment other) =>
        this with { Departments = [], Reasons = [], Locations = [], Keywords = [], ReturnInterests = [] } ==
        other with { Departments = [], Reasons = [], Locations = [], Keywords = [], ReturnInterests = [] } &&
        SameText(Departments, other.Departments) && SameSet(Reasons, other.Reasons) && SameText(Locations, other.Locations) &&
        SameText(Keywords, other.Keywords) && SameSet(ReturnInterests, other.ReturnInterests);

    private static bool SameSet<T>(IEnumerable<T> these, IEnumerable<T> those) => new HashSet<T>(these).SetEquals(those);

    private static bool SameText(IReadOnlyList<string> these, IReadOnlyList<string> those) =>
        SameSet(these.Select(Fold), those.Select(Fold));

    public bool NeedsProfile => Locations.Count > 0 || Keywords.Count > 0 || ReturnInterests.Count > 0;

    public bool Matches(IRecipient alumnus, Profile? profile)
    {
        var left = alumnus.LastWorkingDay;
        return (DepartedFromYear is not { } fromYear || left.Year >= fromYear)
            && (DepartedToYear is not { } toYear || left.Year <= toYear)
            && (LastWorkingDayFrom is not { } from || left >= from)
            && (LastWorkingDayTo is not { } to || left <= to)
            && (Departments.Count == 0 || Departments.Any(d => Same(d, alumnus.Department)))
            && (Reasons.Count == 0 || Reasons.Contains(alumnus.Reason))
            && (Locations.Count == 0 || Locations.Any(l => Near(profile?.ValueOf(ProfileField.Location), l)))
            && (Keywords.Count == 0 || Keywords.Any(k => Contains(profile?.ValueOf(ProfileField.Skills), k) || Contains(profile?.ValueOf(ProfileField.Interests), k)))
            && (ReturnInterests.Count == 0 || ReturnInterests.Contains(profile?.OpenToReturning ?? ReturnInterest.Unspecified));
    }

    /// <summary>Equal, ignoring case and width; shared with the openings' matching so both compare text alike.</summary>
    internal static bool Same(string wanted, string? actual) =>
        actual is not null && string.Equals(Fold(wanted), Fold(actual), StringComparison.Ordinal);

    /// <summary>
    /// Whether free text (a profile's skills, interests or location) names <paramref name="wanted"/>, ignoring case and
    /// width: the wanted value as a whole-word phrase anywhere in the text, so "CI/CD" is in "CI/CD, Docker" and
    /// "Tokyo, Japan" in "Tokyo, Japan", while "AI" is not in "Training", "Go" not in "Google Ads", "US" not in "Russia".
    /// A wanted value that is a list (parts split on <c>, 、 ;</c> and line breaks) also matches when any one part does:
    /// "東京都、大阪府" names someone in 東京都. A slash does not split the wanted value, as it joins one term more often
    /// than it lists two ("UI/UX", "TCP/IP", "PL/SQL" do not match everyone with "UX", "IP" or "SQL").
    /// Japanese, Chinese and Korean text has no word boundaries: there a substring counts ("リスク管理" in
    /// "リスク管理の高度化"), and a Latin word may touch it ("Go" in "Go言語").
    /// </summary>
    internal static bool Contains(string? text, string wanted) => Contains(text, wanted, ListSeparators);

    private static bool Contains(string? text, string wanted, char[] listSeparators)
    {
        var phrase = Fold(wanted);
        if (string.IsNullOrEmpty(text) || phrase.Length == 0)
        {
            return false;
        }

        var folded = Fold(text);
        return HasWord(folded, phrase)
            || phrase.Split(listSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(part => HasWord(folded, part));
    }

    /// <summary>
    /// Whether where someone lives and a wanted location name one another: the profile names the location
    /// (<see cref="Contains"/>, but a comma in a location narrows a place, "Tokyo, Japan", rather than listing two, so
    /// only <c>、 ;</c> and line breaks list places: "東京都、大阪府"), or every entry of the profile's location is named by
    /// the wanted one ("Tokyo" in "Tokyo, Japan", "東京" in "東京都港区"); a working arrangement in parentheses is left out on
    /// both sides (<see cref="Place"/>). Whole words both ways, so
    /// "US" is near neither "Russia" nor the other way round, and "Osaka, Japan" is not near "Tokyo, Japan" for sharing
    /// "Japan"; shared with the openings' matching.
    /// </summary>
    internal static bool Near(string? lives, string location)
    {
        var place = Place(location);
        if (Contains(lives, place, LocationListSeparators))
        {
            return true;
        }

        string[] entries = string.IsNullOrEmpty(lives) ? [] : Fold(lives).Split(EntrySeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return entries.Length > 0 && entries.All(entry => Contains(place, Place(entry)));
    }

    /// <summary>
    /// A place without a working arrangement written in parentheses beside it ("Tokyo (hybrid)", "東京（リモート可）" are
    /// Tokyo, 東京), so it does not keep the place from being near. Other parentheses say which place is meant
    /// ("Cambridge (UK)", "Georgia (country)") and stay, to be matched like the rest.
    /// </summary>
    private static string Place(string location) =>
        Qualifier().Replace(location, q => WorkingArrangements.Any(word => Contains(q.Value, word)) ? " " : q.Value).Trim() is { Length: > 0 } place ? place : location;

    /// <summary>Words of how someone works rather than where: a parenthesis naming one is left out of the place.</summary>
    private static readonly string[] WorkingArrangements =
        ["hybrid", "remote", "on-site", "onsite", "office", "WFH", "telework", "リモート", "在宅", "ハイブリッド", "出社", "テレワーク"];

    [System.Text.RegularExpressions.GeneratedRegex(@"[(（][^()（）]*[)）]")]
    private static partial System.Text.RegularExpressions.Regex Qualifier();

    /// <summary>What separates the entries of a free-text list (after folding: full-width ，／； are already , / ;).</summary>
    private static readonly char[] EntrySeparators = [',', '、', '/', ';', '\n', '\r'];

    /// <summary>What separates the parts of a wanted value that is a list (after folding: full-width ，； are already , ;).</summary>
    private static readonly char[] ListSeparators = [',', '、', ';', '\n', '\r'];

    /// <summary>What separates the places of a wanted location that lists several; a comma narrows one place instead.</summary>
    private static readonly char[] LocationListSeparators = ['、', ';', '\n', '\r'];

    private static bool HasWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var end = at + word.Length;
            if ((at == 0 || !IsWordChar(text[at - 1]) || !IsWordChar(word[0])) && (end == text.Length || !IsWordChar(text[end]) || !IsWordChar(word[^1])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A letter or digit of a script that separates words with spaces; CJK characters never make a word boundary.</summary>
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) && !IsCjk(c);

    private static bool IsCjk(char c) =>
        c is >= '\u3040' and <= '\u30FF' // hiragana, katakana
            or >= '\u3400' and <= '\u4DBF' // CJK extension A
            or >= '\u4E00' and <= '\u9FFF' // CJK unified ideographs
            or >= '\uF900' and <= '\uFAFF' // CJK compatibility ideographs
            or >= '\uAC00' and <= '\uD7AF' // Hangul syllables
            or >= '\uFF66' and <= '\uFF9F' // half-width katakana (folded away by NFKC, kept for safety)
            || char.IsSurrogate(c); // extension B and beyond

    /// <summary>NFKC folds full-width letters and digits to their ASCII forms; then case is ignored.</summary>
    private static string Fold(string value) => value.Normalize(System.Text.NormalizationForm.FormKC).Trim().ToUpperInvariant();
}

/// <summary>Reads an <see cref="AudienceSegment"/> as the admin APIs take it (events, survey waves).</summary>
public static class AudienceSegmentJson
{
    public static readonly string[] Fields =
        ["departedFromYear", "departedToYear", "lastWorkingDayFrom", "lastWorkingDayTo", "departments", "reasons", "locations", "keywords", "returnInterests"];

    /// <returns>The segment, or null when absent or not an object (then the reader holds the error).</returns>
    public static AudienceSegment? Audience(this Validation.JsonObjectReader reader, System.Text.Json.JsonElement value, string path)
    {
        if (Validation.JsonObjectReader.Missing(value) || reader.Fields(value, path, Fields) is not { } fields)
        {
            return null;
        }

        System.Text.Json.JsonElement Get(string name) => Validation.JsonObjectReader.Get(fields, name);
        var segment = new AudienceSegment
        {
            DepartedFromYear = reader.WholeNumber(Get("departedFromYear"), $"{path}.departedFromYear", 1900, 2200, required: false),
            DepartedToYear = reader.WholeNumber(Get("departedToYear"), $"{path}.departedToYear", 1900, 2200, required: false),
            LastWorkingDayFrom = reader.Date(Get("lastWorkingDayFrom"), $"{path}.lastWorkingDayFrom"),
            LastWorkingDayTo = reader.Date(Get("lastWorkingDayTo"), $"{path}.lastWorkingDayTo"),
            Departments = reader.Texts(Get("departments"), $"{path}.departments"),
            Reasons = reader.Enums<DepartureReason>(Get("reasons"), $"{path}.reasons"),
            Locations = reader.Texts(Get("locations"), $"{path}.locations"),
            Keywords = reader.Texts(Get("keywords"), $"{path}.keywords"),
            ReturnInterests = reader.Enums<ReturnInterest>(Get("returnInterests"), $"{path}.returnInterests"),
        };
        if (segment.DepartedFromYear > segment.DepartedToYear)
        {
            reader.Errors.Add(new Validation.FieldError($"{path}.departedToYear", "must not be before departedFromYear"));
        }

        if (segment.LastWorkingDayFrom > segment.LastWorkingDayTo)
        {
            reader.Errors.Add(new Validation.FieldError($"{path}.lastWorkingDayTo", "must not be before lastWorkingDayFrom"));
        }

        return segment;
    }
}
