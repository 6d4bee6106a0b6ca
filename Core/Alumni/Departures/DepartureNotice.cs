namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// A validated departure from the HR system: only what the alumni network needs (data minimisation). An optional field
/// the event left out (absent or null) is null here; <see cref="Locale"/> then holds the default and
/// <see cref="LocaleStated"/> is false.
/// </summary>
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
    Locale Locale)
{
    /// <summary>Whether the event named the language; when it did not, <see cref="Locale"/> is the configured default.</summary>
    public bool LocaleStated { get; init; } = true;

    /// <summary>
    /// The webhook id (Standard Webhooks <c>webhook-id</c>) the departure came in; null when it did not come by webhook.
    /// Not data about the person: it lets intake recognise a message it applied before (ADR 0036).
    /// </summary>
    public string? WebhookId { get; init; }

    /// <summary>
    /// When HR says the event happened: the webhook's or the nightly batch's envelope <c>timestamp</c>, stable across
    /// retries. Null for an admin import, which is taken as true now. An event older than the newest applied for the
    /// employee does not change HR's fields (ADR 0040).
    /// </summary>
    public DateTimeOffset? EventAt { get; init; }
}
