using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Openings;

/// <summary>The scheduled work and the links openings create, in one place so every use case makes them alike.</summary>
public static class OpeningWork
{
    /// <summary>
    /// The recruiter's notice of a change of interest already written is due now. The page that makes the change writes
    /// its work before it (intent first) through <see cref="IntentWork"/> instead, due a moment later, so it does not run
    /// before the change lands, find nothing pending and complete.
    /// </summary>
    public static WorkItem InterestNotice(string openingId, AlumnusId alumnusId, DateTimeOffset now) =>
        new() { Kind = WorkKinds.OpeningInterest, SubjectId = PersonSubject(openingId, alumnusId), DueAt = now };

    /// <summary>
    /// The compliance question for a flagged match held back when the opening was sent: its decision schedules
    /// <see cref="WorkKinds.OpeningApproved"/>, which sends the opening to the person if the approval stands (ADR 0028).
    /// </summary>
    public static ApprovalRequest ApprovalOf(Opening opening, AlumnusId alumnusId, string actor, DateTimeOffset now) => new(
        alumnusId, opening.Scope, $"Opening ({opening.Details.Kind}): {opening.Details.Title.English}", actor, now,
        WorkKinds.OpeningApproved, PersonSubject(opening.Id, alumnusId));

    /// <summary>The subject of work about one opening and one alumnus: <c>{opening id}-{alumnus id}</c>.</summary>
    public static string PersonSubject(string openingId, AlumnusId alumnusId) => $"{openingId}-{alumnusId}";

    /// <summary>The opening and the alumnus a work item's subject names (<see cref="PersonSubject"/>), or null for a subject no opening wrote.</summary>
    public static (string OpeningId, AlumnusId AlumnusId)? PersonOf(WorkMessage message) =>
        message.SubjectId is { Length: 65 } subject && subject[32] == '-' && Opening.IsId(subject[..32]) && AlumnusId.TryParse(subject[33..], out var alumnusId)
            ? (subject[..32], alumnusId)
            : null;

    /// <summary>The alumnus's open positions page; bound to <paramref name="only"/> when given (how a campaign links its opening).</summary>
    public static Uri OpeningsLink(this AlumniLinks links, IRecipient alumnus, Opening? only = null) =>
        links.Absolute(LinkPurpose.Openings, alumnus, scope: only?.Scope);
}
