using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.ConflictOfInterest;

/// <summary>
/// Approvals by an admin holding the compliance role, which let a request reach an alumnus flagged for a conflict of
/// interest (<see cref="Alumnus.ConflictOfInterest"/>). Sensitive requests are never approvable: callers do not ask.
/// </summary>
public interface IComplianceApprovals
{
    /// <param name="subject">What would reach the alumnus, e.g. an opening's scope <c>opening:&lt;id&gt;</c>.</param>
    /// <returns>True when an approval for exactly this alumnus and subject stands.</returns>
    Task<bool> IsApprovedAsync(AlumnusId alumnusId, string subject, CancellationToken cancellationToken);
}
