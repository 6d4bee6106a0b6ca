using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Openings;

public enum OpeningKind
{
    /// <summary>A full-time return to the company ("comeback").</summary>
    Comeback,

    /// <summary>A full-time mid-career position.</summary>
    MidCareer,

    /// <summary>Project work for a limited time (it has an end).</summary>
    ShortTermProject,

    /// <summary>An advisory engagement (it may have an end).</summary>
    Advisory,
}

public enum Confidentiality
{
    Normal,

    /// <summary>A confidential project: never shown or sent to an alumnus flagged for a conflict of interest, and never listed in the newsletter.</summary>
    Sensitive,
}

public enum OpeningStatus
{
    /// <summary>Alumni see it and may express interest; it may be sent.</summary>
    Open,

    /// <summary>Filled or withdrawn, or not yet published: alumni no longer see it and it is not sent.</summary>
    Closed,
}

/// <summary>What a recruiter decides about an opening. Texts come in both languages.</summary>
/// <param name="RecruiterMailbox">A team mailbox at one of the company's domains, never a person's private address: interest goes there.</param>
/// <param name="End">Projects and advisory work only.</param>
public sealed record OpeningDetails(
    LocalizedText Title,
    LocalizedText Description,
    OpeningKind Kind,
    string? Department,
    string? Location,
    bool Remote,
    IReadOnlyList<string> Skills,
    DateOnly? Start,
    DateOnly? End,
    EmailAddress RecruiterMailbox,
    Confidentiality Confidentiality,
    OpeningStatus Status)
{
    /// <summary>Full-time positions (comeback, mid-career) as opposed to project and advisory work.</summary>
    public bool IsFullTime => Kind is OpeningKind.Comeback or OpeningKind.MidCareer;
}

/// <summary>A comeback, mid-career, project or advisory opening. Ids are 32 lower-case hex characters, like events'.</summary>
public sealed class Opening
{
    public required string Id { get; init; }
    public required OpeningDetails Details { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the opening was first sent to its matches (its campaign started); null before.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// Alumni flagged for a conflict of interest whom a compliance approval allowed when the opening was sent: the
    /// campaign includes them, and nobody else who is flagged (ADR 0028).
    /// </summary>
    public IReadOnlyList<AlumnusId> ApprovedFlagged { get; set; } = [];

    public string? ETag { get; set; }

    /// <summary>The keyed hash of the body that created it under an idempotency key (ADR 0037); null without one.</summary>
    public string? CreateHash { get; init; }

    /// <summary>The campaign that sends the opening to its matches: started once, whatever the number of clicks.</summary>
    public string CampaignId => CampaignIdOf(Id);

    /// <summary>What a link to this opening alone is bound to, and the subject of a compliance approval for it.</summary>
    public string Scope => ScopeOf(Id);

    public bool IsOpen => Details.Status == OpeningStatus.Open;

    public bool IsSensitive => Details.Confidentiality == Confidentiality.Sensitive;

    /// <summary>
    /// Whether the alumnus may see the opening at all: open, and never a sensitive one to someone flagged for a conflict
    /// of interest. A sensitive opening is shown only through a link bound to it (its campaign's), so it reaches only
    /// the people it was sent to.
    /// </summary>
    public bool IsVisibleTo(Alumnus alumnus, bool linkBoundToIt) =>
        IsOpen && (!IsSensitive || (linkBoundToIt && alumnus.ConflictOfInterest is null));

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static bool IsId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    public static string CampaignIdOf(string id) => $"opening-{id}";

    public static string ScopeOf(string id) => $"opening:{id}";

    /// <summary>The opening a link scope or a campaign id names, or null.</summary>
    public static string? IdFrom(string? scopeOrCampaign) => scopeOrCampaign switch
    {
        { Length: 40 } s when s.StartsWith("opening:", StringComparison.Ordinal) && IsId(s[8..]) => s[8..],
        { Length: 40 } c when c.StartsWith("opening-", StringComparison.Ordinal) && IsId(c[8..]) => c[8..],
        _ => null,
    };
}
