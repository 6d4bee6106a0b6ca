using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Outreach;

public enum SuppressionReason
{
    Bounce,
    Dropped,
    SpamReport,
    Unsubscribe,
}

/// <summary>An address we must not email. The list stores a keyed pseudonym of the address, never the address.</summary>
public sealed record Suppression(EmailAddress Address, SuppressionReason Reason, DateTimeOffset At);

public interface ISuppressionList
{
    Task<Suppression?> FindAsync(EmailAddress address, CancellationToken cancellationToken);

    /// <summary>Suppresses the address; suppressing it again keeps the first reason.</summary>
    Task AddAsync(Suppression suppression, CancellationToken cancellationToken);
}
