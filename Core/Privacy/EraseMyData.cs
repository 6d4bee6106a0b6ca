using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
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

    /// <summary>
    /// An event the alumnus answered was too busy to free their seat before the erasure began: seats of their other events
    /// may be released already, nothing else is erased, and nothing finishes the job but the alumnus's retry.
    /// </summary>
    Busy,

    /// <summary>
    /// An event was too busy to free their seat after the erasure began (do-not-contact set, outreach stopped): the record
    /// stays until the alumnus's retry, or the daily retention purge (for an erasure begun over an hour before it runs), finishes the job.
    /// </summary>
    BusyUnderWay,
}

/// <param name="Locale">The alumnus's language, kept so the confirmation can still be shown after the data is gone.</param>
public sealed record EraseResult(EraseStatus Status, Locale? Locale);

/// <summary>
/// Deletes or anonymises everything held about the alumnus: profile, outreach decisions, event RSVPs (freeing their seats),
/// attributed survey answers (the survey's aggregates keep counting them) and anonymous surveys' guards, interest in
/// openings and their id in openings' approved flagged matches, their link to a return they made (the return stays counted), collaboration card and requests with any conflict-of-interest assessment and
/// approvals, the provider's message ids on their Sends rows (the rows stay), consent entries beyond
/// their legal retention (kept, pseudonymous, one month after the last email sent on them, by one-to-one sends or
/// campaign batches), and finally the record and its index, leaving a hashed tombstone so a later departure does not
/// bring the person back. Before any of it, the row is set to do-not-contact with an empty consent projection and marked
/// as being erased (<see cref="Alumnus.ErasureStartedAt"/>, so no admin can clear do-not-contact meanwhile), so a
/// failure part-way leaves nobody any sending path would write to. Each step is idempotent and the record goes last but
/// for the unlinking of returns, which must follow the tombstone and which a retry through the same link runs again
/// when it finds the record gone, so a retry after a crash finishes the job; if the alumnus never retries, the retention
/// purge does (<see cref="Retention.PurgeExpiredData"/>).
/// </summary>
public sealed partial class EraseMyData(
    SignedLinkAccess links, IAlumniStore alumni, IProfileStore profiles, IConsentLedger consents, IOutreachLog outreach, ICampaignStore campaigns,
    Sends.ISendLedger sends,
    IEngagementCounters engagement, Events.EventRegistrations registrations, Surveys.SurveyRecords surveys, Openings.OpeningsPersonalData openings,
    Collaboration.CollaborationData collaboration, IAuditLog audit, TimeProvider time, ILogger<EraseMyData> logger)
{
    /// <summary>Consent entries must outlive the last email sent on them by at least a month.</summary>
    public static readonly TimeSpan ConsentRetention = TimeSpan.FromDays(31);

    /// <summary>The reason of the decision an erasure writes for a campaign batch send it keeps consent entries for.</summary>
    public const string BatchSendReason = "batch-send";

    public async Task<EraseResult> ShowAsync(string? token, CancellationToken cancellationToken) =>
        Result(await links.ResolveAsync(token, LinkPurpose.Erase, cancellationToken), EraseStatus.Confirm);

    public async Task<EraseResult> EraseAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Erase, cancellationToken);
        if (access.Erasing is { } unfinished)
        {
            // Every other page answers as erased once the erasure began; the alumnus's retry finishes it.
            return await EraseThroughAsync(access, unfinished, cancellationToken);
        }

        if (access is { Status: LinkAccessStatus.Gone, GoneAlumnusId: { } erased })
        {
            // The record goes before the last step (unlinking returns matched and openings' approvals recorded while the
            // erasure ran), so a retry after that step failed finds the person gone: it runs the step again, which is
            // idempotent and holds no personal data.
            await openings.UnlinkAsync(erased, cancellationToken);
        }

        if (access.Status != LinkAccessStatus.Valid)
        {
            return Result(access, EraseStatus.Erased);
        }

        return await EraseThroughAsync(access, access.Required, cancellationToken);
    }

    /// <summary>The erasure the link's holder asked for, of the row the link resolved to, and what the page says of it.</summary>
    private async Task<EraseResult> EraseThroughAsync(LinkAccess link, Alumnus alumnus, CancellationToken cancellationToken) =>
        await EraseAsync(alumnus, "alumnus-link", link, cancellationToken) switch
        {
            ErasureRun.Erased => new EraseResult(EraseStatus.Erased, alumnus.Locale),
            // Answered as the link check would answer it now: nothing about the record, nothing erased.
            ErasureRun.NotForTheLink => new EraseResult(EraseStatus.Invalid, null),
            _ => new EraseResult(await BusyAsync(alumnus.Id, cancellationToken), alumnus.Locale),
        };

    /// <summary>How far a refused erasure got, read from the row: the flag set means outreach stopped and the purge finishes it.</summary>
    private async Task<EraseStatus> BusyAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        await alumni.GetAsync(alumnusId, cancellationToken) is { ErasureStartedAt: null } ? EraseStatus.Busy : EraseStatus.BusyUnderWay;

    /// <summary>
    /// Runs every step of the erasure for the alumnus, on their request or to finish one a failure left under way
    /// (the retention purge). False when an event was too busy to free their seat: seats of other events may be released,
    /// nothing more was erased; try again.
    /// </summary>
    /// <param name="actor">Who the audit entry names: the alumnus's link, or the timer finishing the job.</param>
    public async Task<bool> EraseAsync(Alumnus alumnus, string actor, CancellationToken cancellationToken) =>
        await EraseAsync(alumnus, actor, link: null, cancellationToken) != ErasureRun.Busy;

    /// <param name="link">The signed link the erasure was asked through, checked again on each re-read of the row; none for the timer.</param>
    private async Task<ErasureRun> EraseAsync(Alumnus alumnus, string actor, LinkAccess? link, CancellationToken cancellationToken)
    {
        // First, the one step a passing cause can refuse (a burst of answers on an event's row): refused, nothing is gone
        // yet and the record stays, so the alumnus's retry does it all; never the record deleted with a seat still counted.
        if (!await registrations.RemoveAsync(alumnus.Id, cancellationToken))
        {
            LogBusy(alumnus.Id.Value);
            return ErasureRun.Busy;
        }

        // Then nothing more may reach them, whatever fails later: every send path stops at do-not-contact, and a campaign
        // batch reads the emptied projection. A failure anywhere below leaves a person nobody writes to, and the
        // alumnus's retry (or the same link) finishes the job.
        var (stopped, ended) = await StopOutreachAsync(alumnus, link, cancellationToken);
        if (stopped is null)
        {
            return ended;
        }

        // The RSVPs again, now that the flag is set: an answer whose link was checked before it may have landed after the
        // first removal, and found no flag when it looked again; any later answer sees the flag and takes itself back
        // (ErasureRecheck, ADR 0007). Busy now, the row stays flagged and the retry finishes the job.
        if (!await registrations.RemoveAsync(alumnus.Id, cancellationToken))
        {
            LogBusy(alumnus.Id.Value);
            return ErasureRun.Busy;
        }

        var now = time.GetUtcNow();
        // Emails sent on a consent within its retention keep that consent's entries, and the decisions that date them,
        // so the retention purge can remove both when the time is up. Neither holds personal data. Campaign batches log
        // only refusals, so their sends are dated from the contacts they claimed on the row, written down as decisions
        // before anything goes: the row, which the purge would otherwise have read them from, goes last.
        var decisions = await outreach.SinceAsync(alumnus.Id, DateTimeOffset.MinValue, cancellationToken);
        var batchSends = await BatchSendsAsync(stopped, now, cancellationToken);
        foreach (var send in batchSends)
        {
            await outreach.RecordAsync(send, cancellationToken);
        }

        var retained = decisions.Where(d => d.Allowed && d.Purpose is not null && now - d.At <= ConsentRetention).Concat(batchSends).ToArray();
        var retainedCampaigns = retained.Select(d => d.CampaignId).ToHashSet(StringComparer.Ordinal);
        var recentlyEmailed = retained.Select(d => d.Purpose!.Value).ToHashSet();
        var history = await consents.HistoryAsync(alumnus.Id, cancellationToken);
        await consents.RemoveAsync(history.Where(c => !recentlyEmailed.Contains(c.Purpose)), cancellationToken);
        await profiles.DeleteAsync(alumnus.Id, cancellationToken);
        await outreach.RemoveAsync(decisions.Where(d => !retainedCampaigns.Contains(d.CampaignId)), cancellationToken);
        await engagement.RemoveAsync(alumnus.Id, cancellationToken);
        await surveys.EraseAsync(alumnus.Id, cancellationToken);
        await openings.RemoveAsync(alumnus.Id, cancellationToken);
        await collaboration.RemoveAsync(alumnus.Id, cancellationToken);
        // The Sends rows stay (the cap and the evidence of what was sent read them), but not the provider's message ids,
        // which would find the address in the provider's activity log. After do-not-contact, so no new send adds one.
        await sends.ForgetMessageIdsAsync(alumnus.Id, cancellationToken);
        await audit.WriteAsync(new AuditEntry(now, actor, "alumnus.erased", alumnus.Id.Value,
            $"consent entries kept for retention: {history.Count(c => recentlyEmailed.Contains(c.Purpose))}"), cancellationToken);
        await alumni.EraseAsync(alumnus, cancellationToken);
        // After the tombstone, which stops new matches, and the record, which an approved opening's send reads: a rehire
        // matched, or an approval recorded on an opening, while the erasure ran loses the id too.
        await openings.UnlinkAsync(alumnus.Id, cancellationToken);
        LogErased(alumnus.Id.Value);
        return ErasureRun.Erased;
    }

    /// <summary>
    /// Sets do-not-contact, empties the consent projection and marks the erasure begun on the row, in one write with its
    /// ETag, re-reading it on a conflict. The row as stopped; or none, and why: the row is gone (another erasure finished
    /// meanwhile: <see cref="ErasureRun.Erased"/>), or the re-read row no longer holds the address the link was mailed to.
    /// </summary>
    private async Task<(Alumnus? Stopped, ErasureRun Ended)> StopOutreachAsync(Alumnus alumnus, LinkAccess? link, CancellationToken cancellationToken)
    {
        for (var row = alumnus; row is not null; row = await alumni.GetAsync(alumnus.Id, cancellationToken))
        {
            // HR corrected the address after the link was checked (the change that failed the write): the link was mailed
            // to the old one, and whoever reads that mailbox is not the person, so it erases nothing, as it would have
            // had it been checked now (as a join's retry does).
            if (link is not null && !links.StillFor(link, row))
            {
                return (null, ErasureRun.NotForTheLink);
            }

            if (row.DoNotContact && row.Consented is { Count: 0 } && row.ErasureStartedAt is not null)
            {
                return (row, ErasureRun.Erased);
            }

            (row.DoNotContact, row.Consented) = (true, new HashSet<ConsentPurpose>());
            row.ErasureStartedAt ??= time.GetUtcNow();
            if (await alumni.TryUpdateAsync(row, cancellationToken))
            {
                return (row, ErasureRun.Erased);
            }
        }

        return (null, ErasureRun.Erased);
    }

    /// <summary>
    /// The latest campaign batch send on each purpose within the retention, as an allowed decision (ids, a purpose, a
    /// time): read from the contacts batches claim on the row, each campaign's kind naming its purpose.
    /// </summary>
    private async Task<IReadOnlyList<OutreachDecision>> BatchSendsAsync(Alumnus alumnus, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sends = new List<OutreachDecision>();
        foreach (var contact in alumnus.Contacts.Where(c => c.Batch != OutreachContact.OneToOne && now - c.At <= ConsentRetention))
        {
            if (await campaigns.GetAsync(contact.CampaignId, cancellationToken) is { } campaign)
            {
                sends.Add(new OutreachDecision(alumnus.Id, campaign.Id, CampaignKinds.PurposeOf(campaign.Kind), true, true, BatchSendReason, contact.At));
            }
        }

        return sends.GroupBy(s => s.Purpose).Select(g => g.MaxBy(s => s.At)!).ToArray();
    }

    private static EraseResult Result(LinkAccess access, EraseStatus whenValid) => access.Status switch
    {
        LinkAccessStatus.Valid => new EraseResult(whenValid, access.Required.Locale),
        LinkAccessStatus.Gone when access.Erasing is { } unfinished => new EraseResult(whenValid, unfinished.Locale),
        LinkAccessStatus.Expired => new EraseResult(EraseStatus.Expired, access.Required.Locale),
        LinkAccessStatus.Gone => new EraseResult(EraseStatus.AlreadyErased, null),
        _ => new EraseResult(EraseStatus.Invalid, null),
    };

    /// <summary>How a run of the erasure's steps ended.</summary>
    private enum ErasureRun
    {
        /// <summary>Every step done, or the row found gone (another run finished the job).</summary>
        Erased,

        /// <summary>An event was too busy to free the seat: the record stays for a retry.</summary>
        Busy,

        /// <summary>The row, re-read on a conflict, no longer holds the address the link was mailed to: nothing was stopped or erased.</summary>
        NotForTheLink,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alumnus {AlumnusId} erased")]
    private partial void LogErased(string alumnusId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasure of alumnus {AlumnusId} not finished: an event stayed busy; the record is kept for a retry")]
    private partial void LogBusy(string alumnusId);
}
