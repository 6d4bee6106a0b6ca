using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Openings;

public enum MatchStanding
{
    /// <summary>Not a match, or a person the opening must never reach; the match list does not show them.</summary>
    Excluded,

    Match,

    /// <summary>
    /// A match flagged for a conflict of interest, for an opening that is not sensitive: it reaches them only with an
    /// approval by an admin holding the compliance role.
    /// </summary>
    NeedsApproval,
}

/// <summary>Why someone matches: <c>returns</c> (what they said about coming back), <c>skill</c>, <c>department</c>, <c>location</c>.</summary>
public sealed record MatchReason(string Kind, string Value);

public sealed record MatchResult(MatchStanding Standing, IReadOnlyList<MatchReason> Reasons)
{
    public static MatchResult Excluded { get; } = new(MatchStanding.Excluded, []);
}

/// <summary>
/// Who an opening is for, in one place for the match list and the opening's campaign. A match is a member who said they
/// would come back in a way the opening offers (full-time positions: full-time; projects and advisory work: project work
/// or full-time) and who matches at least one of the skills wanted (in their skills or interests), the department they
/// left, or the location (when the opening names any of these). Every reason is listed. The HR-only rehire-eligibility
/// flag excludes a person silently, and so do do-not-contact (which the outreach policy refuses anyway: the list shows no
/// one the campaign could not reach, nor asks compliance about them) and a conflict-of-interest flag for a sensitive opening; a flag on a
/// non-sensitive opening makes the match wait for a compliance approval. Consent to job offers is the outreach gate's,
/// asked for everyone the campaign reaches.
/// </summary>
public static class OpeningMatcher
{
    public const string Returns = "returns";
    public const string Skill = "skill";
    public const string Department = "department";
    public const string Location = "location";

    public static IReadOnlyList<ReturnInterest> AcceptedInterests(OpeningDetails details) =>
        details.IsFullTime ? [ReturnInterest.FullTime] : [ReturnInterest.ProjectWork, ReturnInterest.FullTime];

    /// <summary>The campaign's audience segment: the return interests (all of which need the profile, so batches load it).</summary>
    public static AudienceSegment Segment(OpeningDetails details) => new() { ReturnInterests = AcceptedInterests(details) };

    public static MatchResult Evaluate(Opening opening, IRecipient alumnus, Profile? profile)
    {
        var d = opening.Details;
        if (alumnus.Status != AlumnusStatus.Joined || alumnus.DoNotContact || alumnus.RehireEligible == false || (opening.IsSensitive && alumnus.ConflictOfInterest is not null))
        {
            return MatchResult.Excluded;
        }

        var returning = profile?.OpenToReturning ?? ReturnInterest.Unspecified;
        if (!AcceptedInterests(d).Contains(returning))
        {
            return MatchResult.Excluded;
        }

        var reasons = new List<MatchReason>();
        foreach (var skill in d.Skills)
        {
            if (HasSkill(profile?.ValueOf(ProfileField.Skills), profile?.ValueOf(ProfileField.Interests), skill))
            {
                reasons.Add(new MatchReason(Skill, skill));
            }
        }

        if (d.Department is { } department && AudienceSegment.Same(department, alumnus.Department))
        {
            reasons.Add(new MatchReason(Department, department));
        }

        if (d.Location is { } location && IsNear(profile?.ValueOf(ProfileField.Location), location))
        {
            reasons.Add(new MatchReason(Location, location));
        }

        var namesAny = d.Skills.Count > 0 || d.Department is not null || d.Location is not null;
        if (namesAny && reasons.Count == 0)
        {
            return MatchResult.Excluded;
        }

        reasons.Insert(0, new MatchReason(Returns, returning.ToString()));
        return new MatchResult(alumnus.ConflictOfInterest is null ? MatchStanding.Match : MatchStanding.NeedsApproval, reasons);
    }

    /// <summary>
    /// The reasons a recruiter may read: each only where it rests on what the alumnus shows current employees
    /// (<paramref name="shared"/>, <see cref="Profile.VisibleToEmployees"/>), so a hidden location, skill or return
    /// interest is not given away by the reason it made; the department is the company's own record.
    /// </summary>
    public static IReadOnlyList<MatchReason> ShownReasons(IReadOnlyList<MatchReason> reasons, IReadOnlyList<(ProfileField Field, string Value)> shared)
    {
        string? Shared(ProfileField field) => shared.FirstOrDefault(f => f.Field == field).Value;
        return reasons.Where(r => r.Kind switch
        {
            Department => true,
            Returns => Shared(ProfileField.OpenToReturning) == r.Value,
            Skill => HasSkill(Shared(ProfileField.Skills), Shared(ProfileField.Interests), r.Value),
            Location => IsNear(Shared(ProfileField.Location), r.Value),
            _ => false,
        }).ToArray();
    }

    /// <summary>
    /// Whether the person matches on what they show current employees (<paramref name="shared"/>): the rule evaluated with
    /// only the shared skills, interests and location, and the department (the company's own record). The match list lists
    /// only these, so being listed for a skills-only opening does not give away a skill shown to nobody; the others are a
    /// count. The campaign still reaches everyone <see cref="Evaluate"/> lets in. The return interest is the person's own
    /// either way: every listed match would come back in a way the opening offers (ADR 0028).
    /// </summary>
    public static bool MatchesOnShown(Opening opening, Alumnus alumnus, Profile profile, IReadOnlyList<(ProfileField Field, string Value)> shared) =>
        Evaluate(opening, alumnus, profile with
        {
            Values = shared.Where(f => f.Field != ProfileField.OpenToReturning).ToDictionary(f => f.Field, f => f.Value),
        }).Standing != MatchStanding.Excluded;

    private static bool HasSkill(string? skills, string? interests, string skill) =>
        AudienceSegment.Contains(skills, skill) || AudienceSegment.Contains(interests, skill);

    /// <summary>Where they live and the opening's location name one another, as whole words (<see cref="AudienceSegment.Near"/>).</summary>
    private static bool IsNear(string? lives, string location) => AudienceSegment.Near(lives, location);

    /// <summary>The opening's campaign rule: matches, and flagged matches a compliance approval allowed when it was sent.</summary>
    public static bool Reaches(Opening opening, IRecipient alumnus, Profile? profile) => Evaluate(opening, alumnus, profile).Standing switch
    {
        MatchStanding.Match => true,
        MatchStanding.NeedsApproval => opening.ApprovedFlagged.Contains(alumnus.Id),
        _ => false,
    };
}
