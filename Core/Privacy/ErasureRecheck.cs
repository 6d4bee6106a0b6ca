using System.Runtime.ExceptionServices;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Privacy;

/// <summary>
/// The second half of the rule that nothing written through a signed link outlives an erasure (ADR 0007).
/// <see cref="Links.SignedLinkAccess"/> answers a link as gone once the erasure has set its flag; a write whose link was
/// checked in the moment before can still land after the erasure's step that removes such rows. So a page re-reads the
/// person's row after its write: if it is still held with no erasure begun, the flag is written after that read, and so
/// after the write, and every removal step the erasure runs after its flag finds the write; otherwise the page takes back
/// what it wrote and answers as erased. The erasure removes RSVPs once more after its flag for this reason.
/// A takeback can fail (an event row that stays busy, storage down), and by then the erasure may be past its removal steps
/// and the person's row gone, so nothing else would ever look: a work item (<see cref="TakeBackWrites"/>) that removes
/// whatever such a page can write is written before the takeback is tried, and the page answers as erased whether the
/// takeback succeeded or not. The work item names the person only, never what was written: an anonymous survey answer's
/// takeback must not say, at the time of the answer, that this person answered a survey (ADR 0025).
/// </summary>
public sealed partial class ErasureRecheck(IAlumniStore alumni, IWorkItemStore work, TimeProvider time, ILogger<ErasureRecheck> logger)
{
    /// <summary>
    /// The person's erasure has begun (or ended: the row is gone), read now: for a page whose write needs no takeback (an
    /// ETag write the erasure's removal fails or finds) and only has to answer as erased.
    /// </summary>
    public async Task<bool> BegunAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        await alumni.GetAsync(alumnusId, cancellationToken) is not { ErasureStartedAt: null };

    /// <param name="takeBack">Removes what the page just wrote for the person; doing it twice, or after the erasure did, is harmless.</param>
    /// <returns>True when the write stands; false when it was taken back (or will be, by the work item), and the page answers as erased (410).</returns>
    /// <exception cref="Exception">The work item could not be written and the takeback failed too: the write may stand, so the page must not answer as erased.</exception>
    public async Task<bool> WriteStandsAsync(AlumnusId alumnusId, Func<CancellationToken, Task> takeBack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(takeBack);
        if (!await BegunAsync(alumnusId, cancellationToken))
        {
            return true;
        }

        await TakeBackAsync(alumnusId, takeBack, cancellationToken);
        return false;
    }

    /// <summary>
    /// The takeback alone, for a writer that has already read the person's row again after its write and found the erasure
    /// begun (a campaign batch re-reads its recipients' rows a bucket at a time): the work item first, then the takeback.
    /// </summary>
    /// <param name="takeBack">Removes what the writer wrote for the person; doing it twice, or after the erasure did, is harmless.</param>
    /// <exception cref="Exception">The work item could not be written and the takeback failed too: the write may stand.</exception>
    public async Task TakeBackAsync(AlumnusId alumnusId, Func<CancellationToken, Task> takeBack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(takeBack);

        // Intent first: a takeback that fails, or a crash before it finishes, leaves the work to do. Due after the page's
        // own attempt, which then usually leaves the handler nothing to remove. A failure to write it (a storage blip)
        // must not keep the page from trying the takeback itself: only when both fail may the write stand.
        ExceptionDispatchInfo? unscheduled = null;
        try
        {
            await work.ScheduleAsync(TakeBackWrites.WorkFor(alumnusId, time.GetUtcNow()), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            unscheduled = ExceptionDispatchInfo.Capture(e);
            LogTakeBackUnscheduled(e.GetType().Name);
        }

        try
        {
            await takeBack(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (unscheduled is not null)
            {
                LogTakeBackFailed(e.GetType().Name);
                unscheduled.Throw();
            }

            LogTakeBackDeferred(e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The work item for a write made as an erasure began could not be written ({Error}); the page takes the write back itself")]
    private partial void LogTakeBackUnscheduled(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A write made as an erasure began could not be taken back ({Error}); its work item will remove it")]
    private partial void LogTakeBackDeferred(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A write made as an erasure began could not be taken back ({Error}), nor its work item written: the page fails")]
    private partial void LogTakeBackFailed(string error);
}
