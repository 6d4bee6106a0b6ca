using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Privacy;

public enum EraseStatus
{
    Confirm,
    Erased,
    AlreadyErased,
    Expired,
    Invalid,

    /// <summary>An event the alumnus answered was too busy to free their seat: nothing was erased yet; try again shortly.</summary>
    Busy,
}

/// <param name="Locale">The alumnus's language, kept so the confirmation can still be shown after the data is gone.</param>
public sealed record EraseResult(EraseStatus Status, Locale? Locale);

/// <summary>
/// Deletes or anonymises everything held about the alumnus: profile, outreach decisions, event RSVPs (freeing their seats),
/// attributed survey answers (the survey's aggregates keep counting them) and anonymous surveys' guards, interest in
/// openings, their link to a return they made (the return stays counted), collaboration card and requests with any conflict-of-interest assessment and
/// approvals, consent entries beyond
/// their legal retention (kept, pseudonymous, one month after the last email sent on them), and finally the record
/// and its index, leaving a hashed tombstone so a later departure does not bring the person back. Each step is
/// idempotent and the record goes last, so a retry after a crash finishes the job.
/// </summary>
public sealed partial class EraseMyData(
    SignedLinkAccess links, IAlumniStore alumni, IProfileStore profiles, IConsentLedger consents, IOutreachLog outreach,
    IEngagementCounters engagement, Events.EventRegistrations registrations, Surveys.SurveyRecords surveys, Openings.OpeningsPersonalData openings,
    Collaboration.CollaborationData collaboration, IAuditLog audit, TimeProvider time, ILogger<EraseMyData> logger)
{
    /// <summary>Consent entries must outlive the last email sent on them by at least a month.</summary>
    public static readonly TimeSpan ConsentRetention = TimeSpan.FromDays(31);

    public async Task<EraseResult> ShowAsync(string? token, CancellationToken cancellationToken) =>
        Result(await links.ResolveAsync(token, LinkPurpose.Erase, cancellationToken), EraseStatus.Confirm);

    public async Task<EraseResult> EraseAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Erase, cancellationToken);
        if (access.Status != LinkAccessStatus.Valid)
        {
            return Result(access, EraseStatus.Erased);
        }

        var alumnus = access.Required;

        // First, the one step a passing cause can refuse (a burst of answers on an event's row): refused, nothing is gone
        // yet and the record stays, so the alumnus's retry does it all; never the record deleted with a seat still counted.
        if (!await registrations.RemoveAsync(alumnus.Id, cancellationToken))
        {
            LogBusy(alumnus.Id.Value);
            return new EraseResult(EraseStatus.Busy, alumnus.Locale);
        }

        var now = time.GetUtcNow();
        // Emails sent on a consent within its retention keep that consent's entries, and the decisions that date them,
        // so the retention purge can remove both when the time is up. Neither holds personal data.
        var decisions = await outreach.SinceAsync(alumnus.Id, DateTimeOffset.MinValue, cancellationToken);
        var retained = decisions.Where(d => d.Allowed && d.Purpose is not null && now - d.At <= ConsentRetention).ToArray();
        var recentlyEmailed = retained.Select(d => d.Purpose!.Value).ToHashSet();
        var history = await consents.HistoryAsync(alumnus.Id, cancellationToken);
        await consents.RemoveAsync(history.Where(c => !recentlyEmailed.Contains(c.Purpose)), cancellationToken);
        await profiles.DeleteAsync(alumnus.Id, cancellationToken);
        await outreach.RemoveAsync(decisions.Except(retained), cancellationToken);
        await engagement.RemoveAsync(alumnus.Id, cancellationToken);
        await surveys.EraseAsync(alumnus, cancellationToken);
        await openings.RemoveAsync(alumnus.Id, cancellationToken);
        await collaboration.RemoveAsync(alumnus.Id, cancellationToken);
        await audit.WriteAsync(new AuditEntry(now, "alumnus-link", "alumnus.erased", alumnus.Id.Value,
            $"consent entries kept for retention: {history.Count(c => recentlyEmailed.Contains(c.Purpose))}"), cancellationToken);
        await alumni.EraseAsync(alumnus, cancellationToken);
        // After the tombstone, which stops new matches: a rehire matched while the erasure ran loses the id too.
        await openings.AnonymiseReturnsAsync(alumnus.Id, cancellationToken);
        LogErased(alumnus.Id.Value);
        return new EraseResult(EraseStatus.Erased, alumnus.Locale);
    }

    private static EraseResult Result(LinkAccess access, EraseStatus whenValid) => access.Status switch
    {
        LinkAccessStatus.Valid => new EraseResult(whenValid, access.Required.Locale),
        LinkAccessStatus.Expired => new EraseResult(EraseStatus.Expired, access.Required.Locale),
        LinkAccessStatus.Gone => new EraseResult(EraseStatus.AlreadyErased, null),
        _ => new EraseResult(EraseStatus.Invalid, null),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Alumnus {AlumnusId} erased on their request")]
    private partial void LogErased(string alumnusId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasure of alumnus {AlumnusId} not done: an event stayed busy; nothing erased, the alumnus may retry")]
    private partial void LogBusy(string alumnusId);
}
