namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// A validated <c>employee.departure.withdrawn</c>: HR took the employee's departure back (ADR 0041). Only the employee id
/// and when HR says it happened (<c>timestamp</c>, stable across retries): departures HR sent before it are undone, and
/// their late retries are not recorded; one sent after it (the person really leaves later) is.
/// </summary>
public sealed record WithdrawalNotice(string EmployeeId, DateTimeOffset EventAt)
{
    /// <summary>The webhook id (Standard Webhooks <c>webhook-id</c>) it came in: kept on the employee's claim (ADR 0036).</summary>
    public string? WebhookId { get; init; }
}
