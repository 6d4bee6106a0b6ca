namespace AlumniNetwork.Core.Alumni;

/// <summary>A validated departure from the HR system: only what the alumni network needs (data minimisation).</summary>
public sealed record DepartureNotice(
    string EmployeeId,
    string GivenName,
    string FamilyName,
    EmailAddress PersonalEmail,
    string? Department,
    string? JobTitle,
    DateOnly? HireDate,
    DateOnly LastWorkingDay,
    DepartureReason Reason,
    bool? RehireEligible,
    Locale Locale);
