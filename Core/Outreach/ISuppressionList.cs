using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Outreach;

public enum SuppressionReason
{
    Bounce,
    Dropped,
    SpamReport,
    Unsubscribe,
}

/// <summary>An address we must not email, keyed by the address's hash so the list holds no address.</summary>
public sealed record Suppression(string EmailHash, SuppressionReason Reason, DateTimeOffset At);

public interface ISuppressionList
{
    Task<Suppression?> FindAsync(EmailAddress address, CancellationToken cancellationToken);

    /// <summary>Suppresses the address; suppressing it again keeps the first reason.</summary>
    Task AddAsync(Suppression suppression, CancellationToken cancellationToken);
}
