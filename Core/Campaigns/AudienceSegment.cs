using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// Who a campaign is for, beyond consent (which the outreach gate checks for everyone): every condition that is set
/// must hold; an empty segment is everyone who consented to the campaign's purpose. Text comparisons ignore case and
/// width (全角/半角); location and keywords match as substrings of the profile's free text.
/// </summary>
public sealed record AudienceSegment
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

    /// <summary>The profile's location contains any of these.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];

    /// <summary>The profile's skills or interests contain any of these.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Any of these answers to "would you come back".</summary>
    public IReadOnlyList<ReturnInterest> ReturnInterests { get; init; } = [];

    /// <summary>No condition set: everyone who consented.</summary>
    public bool IsEveryone => SameAs(Everyone);

    /// <summary>The same conditions. Records compare their lists by reference; two parses of the same JSON are the same audience.</summary>
    public bool SameAs(AudienceSegment other) =>
        this with { Departments = [], Reasons = [], Locations = [], Keywords = [], ReturnInterests = [] } ==
        other with { Departments = [], Reasons = [], Locations = [], Keywords = [], ReturnInterests = [] } &&
        Departments.SequenceEqual(other.Departments) && Reasons.SequenceEqual(other.Reasons) && Locations.SequenceEqual(other.Locations) &&
        Keywords.SequenceEqual(other.Keywords) && ReturnInterests.SequenceEqual(other.ReturnInterests);

    public bool NeedsProfile => Locations.Count > 0 || Keywords.Count > 0 || ReturnInterests.Count > 0;

    public bool Matches(Alumnus alumnus, Profile? profile)
    {
        var left = alumnus.LastWorkingDay;
        return (DepartedFromYear is not { } fromYear || left.Year >= fromYear)
            && (DepartedToYear is not { } toYear || left.Year <= toYear)
            && (LastWorkingDayFrom is not { } from || left >= from)
            && (LastWorkingDayTo is not { } to || left <= to)
            && (Departments.Count == 0 || Departments.Any(d => Same(d, alumnus.Department)))
            && (Reasons.Count == 0 || Reasons.Contains(alumnus.Reason))
            && (Locations.Count == 0 || Locations.Any(l => Contains(profile?.ValueOf(ProfileField.Location), l)))
            && (Keywords.Count == 0 || Keywords.Any(k => Contains(profile?.ValueOf(ProfileField.Skills), k) || Contains(profile?.ValueOf(ProfileField.Interests), k)))
            && (ReturnInterests.Count == 0 || ReturnInterests.Contains(profile?.OpenToReturning ?? ReturnInterest.Unspecified));
    }

    private static bool Same(string wanted, string? actual) =>
        actual is not null && string.Equals(Fold(wanted), Fold(actual), StringComparison.Ordinal);

    private static bool Contains(string? text, string wanted) =>
        !string.IsNullOrEmpty(text) && Fold(text).Contains(Fold(wanted), StringComparison.Ordinal);

    /// <summary>NFKC folds full-width letters and digits to their ASCII forms; then case is ignored.</summary>
    private static string Fold(string value) => value.Normalize(System.Text.NormalizationForm.FormKC).Trim().ToUpperInvariant();
}
