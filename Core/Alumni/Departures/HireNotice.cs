namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// A validated <c>employee.hired</c> from the HR system: the employee id, the day of the hire and, when sent, the
/// personal address. Only what recognising a returning alumnus needs, and it is kept only as keyed pseudonyms.
/// </summary>
public sealed record HireNotice(string EmployeeId, EmailAddress? PersonalEmail, DateOnly HiredOn);
