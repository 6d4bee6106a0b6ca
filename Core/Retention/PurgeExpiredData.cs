using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Retention;

/// <param name="AlumniScanned">Alumni records read.</param>
/// <param name="NeverJoinedDeleted">People who never joined, deleted with what was held about them.</param>
/// <param name="ChangedWhilePurging">Records that changed between read and delete (e.g. someone joined), left for the next run.</param>
/// <param name="ConsentRecordsPurged">Consent entries of withdrawn purposes actually removed by this run, including those kept after an erasure.</param>
public sealed record PurgeReport(int AlumniScanned, int NeverJoinedDeleted, int ChangedWhilePurging, int ConsentRecordsPurged);

/// <summary>
/// The daily retention purge. Two rules:
/// <list type="bullet">
/// <item>A person who never joined (departed, invited, or rehired before joining) is deleted once <see cref="RetentionOptions.NeverJoinedDays"/>
/// have passed since the latest of their recording, their invitation falling due and their invitation being sent
/// (a departure announced months ahead is never deleted before it was even offered). No tombstone is left: unlike an
/// erasure they asked for, a rehire who leaves again may be invited again.</item>
/// <item>The consent entries of a purpose whose current state is withdrawn are removed once both the withdrawal and the
/// last email sent on that purpose are more than <see cref="RetentionOptions.ConsentRecordDays"/> old. A purpose that is
/// granted keeps its entries.</item>
/// </list>
/// It also finishes erasures a failure left under way. Every step can be repeated; running twice, or after a crash,
/// finishes the job and changes nothing more.
/// </summary>
public sealed partial class PurgeExpiredData(
    IAlumniStore alumni,
    IConsentLedger consents,
    IOutreachLog outreach,
    IEngagementCounters engagement,
    IProfileStore profiles,
    CollaborationData collaboration,
    OpeningsPersonalData openings,
    Sends.ISendLedger sends,
    Privacy.EraseMyData erasure,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<PurgeExpiredData> logger)
{
    private const int MaxParallelAlumni = 8;

    /// <summary>How long an erasure may stay under way before the purge finishes it: a running one takes seconds.</summary>
    public static readonly TimeSpan UnfinishedErasureAfter = TimeSpan.FromHours(1);

    public async Task<PurgeReport> HandleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        int scanned = 0, deleted = 0, changed = 0, purged = 0;
        await Parallel.ForEachAsync(alumni.ListAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = MaxParallelAlumni, CancellationToken = cancellationToken }, async (alumnus, ct) =>
        {
            Interlocked.Increment(ref scanned);
            if (await FinishErasureAsync(alumnus, now, ct))
            {
                return;
            }

            if (IsExpiredNeverJoined(alumnus, now, settings))
            {
                if (await DeleteNeverJoinedAsync(alumnus, ct))
                {
                    Interlocked.Increment(ref deleted);
                }
                else
                {
                    Interlocked.Increment(ref changed);
                }

                return;
            }

            Interlocked.Add(ref purged, await PurgeWithdrawnConsentAsync(alumnus.Id, erased: false, now, settings, ct));
        });

        // Entries an erasure kept for their retention belong to no record any more: every purpose counts as withdrawn.
        await foreach (var subject in consents.SubjectsAsync(cancellationToken))
        {
            if (await alumni.GetAsync(subject, cancellationToken) is null)
            {
                purged += await PurgeWithdrawnConsentAsync(subject, erased: true, now, settings, cancellationToken);
            }
        }

        var report = new PurgeReport(scanned, deleted, changed, purged);
        LogPurged(report.AlumniScanned, report.NeverJoinedDeleted, report.ChangedWhilePurging, report.ConsentRecordsPurged);
        return report;
    }

    /// <summary>Never joined, and the retention period has passed since the invitation was (or would have been) offered.</summary>
    public static bool IsExpiredNeverJoined(Alumnus alumnus, DateTimeOffset now, RetentionOptions settings)
    {
        if (alumnus.Status == AlumnusStatus.Joined || alumnus.JoinedAt is not null)
        {
            return false;
        }

        var offeredAt = new[] { alumnus.RecordedAt, alumnus.WelcomeDueAt, alumnus.InvitedAt ?? DateTimeOffset.MinValue }.Max();
        return now - offeredAt > TimeSpan.FromDays(settings.NeverJoinedDays);
    }

    /// <summary>
    /// First what the person made themselves, through pages a rehire who never joined can still reach (the profile, and
    /// with it the collaboration card, conflict-of-interest assessment and approvals; interest in openings and the link to
    /// their return), removed the way erasure removes them, and what was recorded about them: outreach decisions, counts,
    /// and the provider's message ids on their Sends rows, blanked as erasure blanks them (the rows stay, ADR 0008).
    /// Then the record, only if nobody changed it since it was read (a join at this moment wins), then the message ids
    /// again (a send in flight may have written one since the first pass), then their consent entries (a never-joined
    /// person has at most withdrawals).
    /// </summary>
    /// <remarks>
    /// The record is what the next run finds the person by, and these stores cannot be listed by a missing record the way
    /// the consent ledger can: removed before it, a crash anywhere leaves the record, and the next run does it all again
    /// (each removal is idempotent). Consent entries alone may follow the record: a crash before them leaves entries the
    /// next run finds through the ledger and purges as it does an erasure's. The price is a person joining in the very
    /// moment of their purge, 90 days after the invitation: they keep their record and consents but lose what they could
    /// only have made while rehired, and the outreach decisions, counts and message ids of their invitation.
    /// </remarks>
    private async Task<bool> DeleteNeverJoinedAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        await profiles.DeleteAsync(alumnus.Id, cancellationToken);
        await collaboration.RemoveAsync(alumnus.Id, cancellationToken);
        await openings.RemoveNeverJoinedAsync(alumnus.Id, cancellationToken);
        await outreach.RemoveAsync(alumnus.Id, cancellationToken);
        await engagement.RemoveAsync(alumnus.Id, cancellationToken);
        await sends.ForgetMessageIdsAsync(alumnus.Id, cancellationToken);
        if (!await alumni.DeleteAsync(alumnus, cancellationToken))
        {
            return false;
        }

        // Again once the record is gone: a send that read it before the delete may have written its message id after the
        // first blanking. A send that writes later re-reads the row, finds it gone and blanks its own (OutreachSender).
        await sends.ForgetMessageIdsAsync(alumnus.Id, cancellationToken);
        await consents.RemoveAsync(await consents.HistoryAsync(alumnus.Id, cancellationToken), cancellationToken);
        return true;
    }

    /// <summary>
    /// An erasure a failure left under way, unfinished for <see cref="UnfinishedErasureAfter"/>, is finished by the same
    /// steps (the alumnus's link may have expired before they retried). True when the person was one (erased now, or
    /// left for the next run when an event was busy or the erasure is younger than that): no other rule touches them, or
    /// a never-joined person would be purged without the erasure's tombstone and recorded and invited again (ADR 0012).
    /// </summary>
    private async Task<bool> FinishErasureAsync(Alumnus alumnus, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (alumnus.ErasureStartedAt is not { } started)
        {
            return false;
        }

        if (now - started < UnfinishedErasureAfter)
        {
            return true;
        }

        await erasure.EraseAsync(alumnus, "retention-purge", cancellationToken);
        return true;
    }

    private async Task<int> PurgeWithdrawnConsentAsync(AlumnusId id, bool erased, DateTimeOffset now, RetentionOptions settings, CancellationToken cancellationToken)
    {
        var history = await consents.HistoryAsync(id, cancellationToken);
        var keepFor = TimeSpan.FromDays(settings.ConsentRecordDays);
        var state = ConsentState.From(history);
        var withdrawnLongAgo = history
            .GroupBy(r => r.Purpose)
            .Where(g => (erased || !state.Has(g.Key)) && (erased || now - g.Max(r => r.At) > keepFor))
            .ToArray();
        if (withdrawnLongAgo.Length == 0)
        {
            return 0;
        }

        var decisions = await outreach.SinceAsync(id, DateTimeOffset.MinValue, cancellationToken);
        var expired = withdrawnLongAgo
            .Where(g => decisions.Where(d => d.Allowed && d.Purpose == g.Key).Select(d => (DateTimeOffset?)d.At).Max() is not { } lastEmail
                || now - lastEmail > keepFor)
            .SelectMany(g => g)
            .ToArray();
        // Counted as the ledger reports it: an entry another run removed meanwhile is not purged twice in the report.
        var removed = expired.Length > 0 ? await consents.RemoveAsync(expired, cancellationToken) : 0;
        if (erased && expired.Length == history.Count)
        {
            await outreach.RemoveAsync(id, cancellationToken);
        }

        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge: {Scanned} alumni scanned, {Deleted} never-joined deleted, {Changed} changed while purging, {ConsentRecords} consent entries purged")]
    private partial void LogPurged(int scanned, int deleted, int changed, int consentRecords);
}
