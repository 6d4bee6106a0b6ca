using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Openings;

/// <summary>An opening as the admin API and the console show it.</summary>
public sealed record OpeningView(
    string Id,
    LocalizedText Title,
    LocalizedText Description,
    OpeningKind Kind,
    string? Department,
    string? Location,
    bool Remote,
    IReadOnlyList<string> Skills,
    DateOnly? Start,
    DateOnly? End,
    string RecruiterMailbox,
    Confidentiality Confidentiality,
    OpeningStatus Status,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt,
    string CampaignId,
    int? Interested = null,
    CampaignProgress? Campaign = null)
{
    public static OpeningView From(Opening o, int? interested = null, CampaignProgress? campaign = null)
    {
        var d = o.Details;
        return new OpeningView(o.Id, d.Title, d.Description, d.Kind, d.Department, d.Location, d.Remote, d.Skills, d.Start, d.End,
            d.RecruiterMailbox.Value, d.Confidentiality, d.Status, o.CreatedAt, o.CreatedBy, o.UpdatedAt, o.SentAt, o.CampaignId, interested, campaign);
    }
}

/// <summary>One match as a recruiter sees it before sending: who, and every reason.</summary>
/// <param name="Location">Only when the alumnus shows it to current employees and consents to that visibility; else null.</param>
/// <param name="ReturnInterest">Likewise.</param>
/// <param name="Standing"><c>match</c>, <c>needs-compliance-approval</c>, or <c>approved</c> (a flagged match a compliance
/// approval allows). Never why a match is flagged: the register's category is for the compliance team alone.</param>
public sealed record MatchView(
    string AlumnusId,
    string FamilyName,
    string GivenName,
    string? Department,
    string? Location,
    string? ReturnInterest,
    IReadOnlyList<MatchReason> Reasons,
    string Standing);

/// <param name="Members">Members read; <paramref name="Shown"/> of the matches are listed, best first.</param>
/// <param name="MatchOnHiddenFields">Matches not listed: they match only on fields they do not show current employees
/// (<see cref="OpeningMatcher.MatchesOnShown"/>); the campaign still reaches them.</param>
public sealed record MatchList(string OpeningId, int Members, int Matches, int NeedsApproval, int Shown, IReadOnlyList<MatchView> Items, int MatchOnHiddenFields);

/// <summary>One alumnus's interest as the recruiter sees it: the address and note only while the alumnus is interested.</summary>
public sealed record InterestView(string AlumnusId, string FamilyName, string GivenName, string? PersonalEmail, InterestStatus Status, string? Note,
    DateTimeOffset ExpressedAt, DateTimeOffset UpdatedAt);
