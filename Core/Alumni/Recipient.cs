using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// What outreach reads of a person to decide and address a mail: the audience segment, the composers' own rules, the
/// outreach policy, consent, signed links and the mail's values, and the promotional cap's claim on the row
/// (<see cref="Contacts"/> with the row's <see cref="ETag"/>). A whole <see cref="Alumnus"/> is one; a campaign batch
/// reads a <see cref="CampaignRecipient"/>, only these columns, as it holds four pages of up to 1,000 rows at once.
/// </summary>
public interface IRecipient
{
    AlumnusId Id { get; }
    string GivenName { get; }
    string FamilyName { get; }
    EmailAddress PersonalEmail { get; }
    string? Department { get; }
    DateOnly LastWorkingDay { get; }
    DepartureReason Reason { get; }
    bool? RehireEligible { get; }
    bool DoNotContact { get; }
    DateTimeOffset? ErasureStartedAt { get; }
    Locale Locale { get; }
    AlumnusStatus Status { get; }
    IReadOnlySet<ConsentPurpose>? Consented { get; }
    SuppressionReason? Suppressed { get; }
    ConflictFlag? ConflictOfInterest { get; }

    /// <summary>The promotional cap's counter (<see cref="Alumnus.Contacts"/>): the one column a claim writes.</summary>
    IReadOnlyList<OutreachContact> Contacts { get; set; }

    /// <summary>The stored row's ETag, which a claim writes with and takes anew.</summary>
    string? ETag { get; set; }
}

/// <summary>
/// A campaign batch's recipient: the columns of the alumnus row that <see cref="IRecipient"/> names and nothing else
/// (not the employee id or the record's timestamps), so it can never be written back whole; only its
/// <see cref="IRecipient.Contacts"/> are, as a merge of that column (<see cref="IAlumniStore.TryWriteContactsAsync"/>).
/// </summary>
public sealed class CampaignRecipient : IRecipient
{
    public required AlumnusId Id { get; init; }
    public required string GivenName { get; init; }
    public required string FamilyName { get; init; }
    public required EmailAddress PersonalEmail { get; init; }
    public string? Department { get; init; }
    public required DateOnly LastWorkingDay { get; init; }
    public required DepartureReason Reason { get; init; }
    public bool? RehireEligible { get; init; }
    public bool DoNotContact { get; init; }
    public DateTimeOffset? ErasureStartedAt { get; init; }
    public required Locale Locale { get; init; }
    public required AlumnusStatus Status { get; init; }
    public IReadOnlySet<ConsentPurpose>? Consented { get; init; }
    public SuppressionReason? Suppressed { get; init; }
    public ConflictFlag? ConflictOfInterest { get; init; }
    public IReadOnlyList<OutreachContact> Contacts { get; set; } = [];
    public string? ETag { get; set; }
}
