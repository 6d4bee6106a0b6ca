using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Privacy;

/// <summary>
/// The second half of the rule that nothing written through a signed link outlives an erasure (ADR 0007).
/// <see cref="Links.SignedLinkAccess"/> answers a link as gone once the erasure has set its flag; a write whose link was
/// checked in the moment before can still land after the erasure's step that removes such rows. So a page re-reads the
/// person's row after its write: if it is still held with no erasure begun, the flag is written after that read, and so
/// after the write, and every removal step the erasure runs after its flag finds the write; otherwise the page takes back
/// what it wrote and answers as erased. The erasure removes RSVPs once more after its flag for this reason.
/// </summary>
public sealed class ErasureRecheck(IAlumniStore alumni)
{
    /// <param name="takeBack">Removes what the page just wrote for the person; doing it twice, or after the erasure did, is harmless.</param>
    /// <returns>True when the write stands; false when it was taken back, and the page answers as erased (410).</returns>
    public async Task<bool> WriteStandsAsync(AlumnusId alumnusId, Func<CancellationToken, Task> takeBack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(takeBack);
        if (await alumni.GetAsync(alumnusId, cancellationToken) is { ErasureStartedAt: null })
        {
            return true;
        }

        await takeBack(cancellationToken);
        return false;
    }
}
