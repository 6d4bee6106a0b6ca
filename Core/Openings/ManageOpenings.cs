using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Openings;

/// <summary>The audit actions of the openings (ids only in subjects and details).</summary>
public static class OpeningAuditActions
{
    public const string Created = "opening.created";
    public const string Updated = "opening.updated";
    public const string Sent = "opening.sent";
    public const string MatchesRead = "opening.matches.read";
    public const string InterestsRead = "opening.interests.read";
}

/// <summary>
/// Recruiters and admins: create and change openings, see who matches and why before sending, send an opening as a
/// campaign to its matches, and read the interest it received. Reads that show people (matches, interest) are audited
/// with every person they showed; writes are audited before they happen.
/// </summary>
public sealed partial class ManageOpenings(
    IOpeningStore openings,
    IAlumniStore alumni,
    IProfileStore profiles,
    IConsentLedger consents,
    IComplianceApprovals approvals,
    ICampaigns campaigns,
    IWorkItemStore work,
    OpeningsPersonalData personalData,
    Privacy.ErasureRecheck erasure,
    IAuditLog audit,
    IdempotentCreates creates,
    IOptions<OpeningsOptions> options,
    CompanyMailDomains mailDomains,
    TimeProvider time,
    ILogger<ManageOpenings> logger)
{
    public const int MaxAttempts = 5;

    /// <summary>The 409 of sending an opening whose campaign was stopped (it was closed after sending): a stop is final.</summary>
    public const string CampaignStopped =
        "The opening's campaign was stopped when the opening was closed; a stopped campaign does not resume, so reopening and sending it again sends nothing more.";

    public const string CreateKind = "opening";

    /// <param name="key">With a key, a repeat of the same create finds the first opening and changes nothing (ADR 0037).</param>
    public async Task<AdminOutcome<OpeningView>> CreateAsync(ReadOnlyMemory<byte> body, string actor, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var (details, errors) = OpeningDraft.Parse(body.Span, mailDomains);
        if (details is null)
        {
            return new AdminOutcome<OpeningView>.Invalid(errors);
        }

        var keyed = creates.Of(CreateKind, actor, key, body.Span);
        Task<AdminOutcome<OpeningView>?> RepeatOfStored() =>
            KeyedCreate.RepeatOfStoredAsync(keyed, id => openings.GetAsync(id, cancellationToken), o => o.CreateHash, o => OpeningView.From(o));
        if (await RepeatOfStored() is { } repeat)
        {
            return repeat;
        }

        var now = time.GetUtcNow();
        var opening = new Opening { Id = keyed?.Id ?? Opening.NewId(), Details = details, CreatedAt = now, CreatedBy = actor, UpdatedAt = now, CreateHash = keyed?.BodyHash };
        var entry = new AuditEntry(now, actor, OpeningAuditActions.Created, opening.Id, Detail(details));
        await audit.WriteAsync(entry, cancellationToken);
        if (!await openings.TryAddAsync(opening, cancellationToken))
        {
            // A repeat of this create (same key) was added between the read above and this insert: this one created nothing.
            return await KeyedCreate.NotSavedAsync(
                audit, KeyedCreate.NotSaved(entry, CreateKind, opening.Id, time.GetUtcNow()), RepeatOfStored, new AdminOutcome<OpeningView>.Conflict(), cancellationToken);
        }

        LogChanged(opening.Id, "created");
        return new AdminOutcome<OpeningView>.Done(OpeningView.From(opening, 0));
    }

    public async Task<IReadOnlyList<OpeningView>> ListAsync(CancellationToken cancellationToken) =>
        (await openings.ListAsync(cancellationToken)).Select(o => OpeningView.From(o)).ToArray();

    public async Task<AdminOutcome<OpeningView>> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!Opening.IsId(id) || await openings.GetAsync(id, cancellationToken) is not { } opening)
        {
            return new AdminOutcome<OpeningView>.NotFound();
        }

        var interested = (await openings.InterestsAsync(id, cancellationToken)).Count(i => i.Status == InterestStatus.Interested);
        var progress = opening.SentAt is null ? null : await campaigns.GetProgressAsync(opening.CampaignId, cancellationToken);
        return new AdminOutcome<OpeningView>.Done(OpeningView.From(opening, interested, progress));
    }

    /// <summary>Replaces the details. Closing a sent opening stops what its campaign has not sent yet.</summary>
    /// <param name="seen">The version the edit was built on: when the opening changed since, nothing is written or audited
    /// (checked on each read whose ETag the write uses). Null: any.</param>
    public async Task<AdminOutcome<OpeningView>> UpdateAsync(string id, ReadOnlyMemory<byte> body, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        var (details, errors) = OpeningDraft.Parse(body.Span, mailDomains);
        if (details is null)
        {
            return new AdminOutcome<OpeningView>.Invalid(errors);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!Opening.IsId(id) || await openings.GetAsync(id, cancellationToken) is not { } opening)
            {
                return new AdminOutcome<OpeningView>.NotFound();
            }

            if (seen is { } version && !version.Matches(opening.UpdatedAt))
            {
                return new AdminOutcome<OpeningView>.Stale();
            }

            var now = time.GetUtcNow();
            var heldBack = !mailDomains.Contains(opening.Details.RecruiterMailbox);
            (opening.Details, opening.UpdatedAt) = (details, now);
            var entry = new AuditEntry(now, actor, OpeningAuditActions.Updated, id, Detail(details));
            await audit.WriteAsync(entry, cancellationToken);
            if (await openings.TryUpdateAsync(opening, cancellationToken))
            {
                if (!opening.IsOpen && opening.SentAt is not null)
                {
                    await campaigns.StopAsync(opening.CampaignId, cancellationToken);
                }

                // A closed opening hears of no interest (ADR 0028): its held notices are settled by their own recheck.
                if (heldBack && opening.IsOpen)
                {
                    await ReleaseHeldNoticesAsync(opening, now, cancellationToken);
                }

                LogChanged(id, "updated");
                return await GetAsync(id, cancellationToken);
            }

            // Lost to another write (ETag): the entry above names an edit that was not saved; the next attempt is audited again (ADR 0005).
            await audit.WriteAsync(UnsavedChange.NotSaved(entry, time.GetUtcNow()), cancellationToken);
        }

        return new AdminOutcome<OpeningView>.Conflict();
    }

    /// <summary>
    /// The mailbox was outside the company's domains, so notices of interest were held back (ADR 0028): the edit named one
    /// at the domains (<see cref="OpeningDraft.Parse"/>), so each pending notice is asked now rather than at its next
    /// recheck. Written after the edit: a crash before this leaves the held notice's own recheck to send it.
    /// </summary>
    private async Task ReleaseHeldNoticesAsync(Opening opening, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var interest in await openings.InterestsAsync(opening.Id, cancellationToken))
        {
            if (interest.NoticePending)
            {
                await work.ScheduleAsync(OpeningWork.InterestNotice(opening.Id, interest.AlumnusId, now), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Every member the opening is for, best first, with the reasons. Reads every member (a page at a time) and their
    /// profiles: an admin's deliberate look before sending, not a hot path. Audited with the people it shows.
    /// </summary>
    public async Task<AdminOutcome<MatchList>> MatchesAsync(string id, string actor, CancellationToken cancellationToken)
    {
        if (!Opening.IsId(id) || await openings.GetAsync(id, cancellationToken) is not { } opening)
        {
            return new AdminOutcome<MatchList>.NotFound();
        }

        var (members, found) = await FindMatchesAsync(opening, cancellationToken);
        var listed = found.Where(m => m.ListedOnShown).ToArray();
        var shown = listed.Select(m => (m.Alumnus, m.Shared, m.Result, Reasons: OpeningMatcher.ShownReasons(m.Result.Reasons, m.Shared)))
            .OrderByDescending(m => m.Reasons.Count).ThenByDescending(m => m.Alumnus.LastWorkingDay).Take(options.Value.MaxMatches).ToArray();
        var items = new List<MatchView>();
        foreach (var (a, shared, result, reasons) in shown)
        {
            var standing = result.Standing == MatchStanding.Match ? "match"
                : await IsApprovedAsync(opening, a.Id, cancellationToken) ? "approved" : "needs-compliance-approval";
            items.Add(new MatchView(a.Id.Value, a.FamilyName, a.GivenName, a.Department, SharedValue(shared, ProfileField.Location), SharedValue(shared, ProfileField.OpenToReturning),
                reasons, standing));
        }

        var entry = new AuditEntry(time.GetUtcNow(), actor, OpeningAuditActions.MatchesRead, id, $"matches={found.Count}; shown={items.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, shown.Select(m => m.Alumnus.Id).ToArray(), cancellationToken);
        return new AdminOutcome<MatchList>.Done(new MatchList(id, members, found.Count, found.Count(m => m.Result.Standing == MatchStanding.NeedsApproval), items.Count, items,
            found.Count - listed.Length));
    }

    /// <summary>
    /// Sends the opening to its matches through the campaign engine (purpose: job offers), once: the campaign id is the
    /// opening's. Flagged matches a compliance approval allows now are written on the opening first, so the campaign
    /// includes exactly them, and so are those approved while it was sending. Sending again changes nothing and answers
    /// the same, unless its campaign did not start (it starts it, under the same id) or closing the opening stopped it:
    /// that is a conflict (<see cref="CampaignStopped"/>), since nothing more would be sent.
    /// </summary>
    /// <param name="seen">The version of the opening the admin saw when asking to send it: when it was edited since (and not
    /// sent yet), nothing is sent, written or audited. Null: any.</param>
    public async Task<AdminOutcome<OpeningView>> SendAsync(string id, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!Opening.IsId(id) || await openings.GetAsync(id, cancellationToken) is not { } opening)
            {
                return new AdminOutcome<OpeningView>.NotFound();
            }

            if (!opening.IsOpen)
            {
                return new AdminOutcome<OpeningView>.Conflict("The opening is closed; open it before sending it.");
            }

            if (opening.SentAt is null && seen is { } version && !version.Matches(opening.UpdatedAt))
            {
                return new AdminOutcome<OpeningView>.Stale();
            }

            // Starting a stopped campaign again is a no-op that answers "started": say so instead of reporting a send.
            var progress = opening.SentAt is null ? null : await campaigns.GetProgressAsync(opening.CampaignId, cancellationToken);
            if (progress is { Status: CampaignStatus.Stopped })
            {
                return new AdminOutcome<OpeningView>.Conflict(CampaignStopped, ConflictCode.CampaignStopped);
            }

            // The flagged matches whose approval was asked (pending then): one decided before SentAt was saved found its
            // opening unsent, and its follow-up ended; this send picks it up below, before the campaign starts.
            var asked = new List<AlumnusId>();
            if (opening.SentAt is not null && progress is null)
            {
                // A repeat of a send whose campaign did not start: the first may have stopped before picking them up.
                var (_, found) = await FindMatchesAsync(opening, cancellationToken);
                asked.AddRange(found.Where(m => m.Result.Standing == MatchStanding.NeedsApproval && !opening.ApprovedFlagged.Contains(m.Alumnus.Id)).Select(m => m.Alumnus.Id));
            }

            if (opening.SentAt is null)
            {
                var (_, found) = await FindMatchesAsync(opening, cancellationToken);
                var approved = new List<AlumnusId>();
                var unasked = new List<AlumnusId>();
                var now = time.GetUtcNow();
                foreach (var flagged in found.Where(m => m.Result.Standing == MatchStanding.NeedsApproval))
                {
                    (await IsApprovedAsync(opening, flagged.Alumnus.Id, cancellationToken) ? approved : unasked).Add(flagged.Alumnus.Id);
                }

                // Audited before each attempt's writes, the compliance questions included (ADR 0005: a failed audit write
                // changes nothing); an attempt lost to another write to the opening (ETag) is followed by its not-saved
                // entry, so the send that was saved is the one entry left standing.
                var entry = new AuditEntry(now, actor, OpeningAuditActions.Sent, id, $"matches={found.Count}; approvedFlagged={approved.Count}");
                await audit.WriteAsync(entry, cancellationToken);
                foreach (var alumnusId in unasked)
                {
                    // Not asked before: the question goes to the compliance queue; an approval then sends the opening
                    // to the person on its own (OpeningWork.ApprovalOf schedules it, SendApprovedOpening sends it). The
                    // match was read before the ask: a question about someone whose erasure began since is taken back.
                    if (await approvals.AskAsync(OpeningWork.ApprovalOf(opening, alumnusId, actor, now), erasure, cancellationToken))
                    {
                        asked.Add(alumnusId);
                    }
                }

                (opening.SentAt, opening.ApprovedFlagged) = (now, approved);
                if (!await openings.TryUpdateAsync(opening, cancellationToken))
                {
                    await audit.WriteAsync(UnsavedChange.NotSaved(entry, time.GetUtcNow()), cancellationToken);
                    continue;
                }

                await TakeBackErasedAsync(approved, cancellationToken);
            }

            // After SentAt is saved, a decision's follow-up finds the opening sent and joins the campaign itself; one that
            // ran before found it unsent and did nothing, so those decided by now are added here. Either way the person
            // is in ApprovedFlagged before the campaign starts, and its batch alone mails them (ADR 0028).
            var approvedSince = new List<AlumnusId>();
            foreach (var alumnusId in asked)
            {
                if (await IsApprovedAsync(opening, alumnusId, cancellationToken))
                {
                    approvedSince.Add(alumnusId);
                }
            }

            if (approvedSince.Count > 0)
            {
                await openings.TryAddApprovedFlaggedAsync(opening, approvedSince, cancellationToken);
                await TakeBackErasedAsync(approvedSince, cancellationToken);
            }

            // Idempotent, and asked again on every send: an admin who saw an error repeats the call.
            var start = await campaigns.StartAsync(new CampaignRequest(opening.CampaignId, CampaignKind.Opening, opening.Id, OpeningMatcher.Segment(opening.Details), actor), cancellationToken);
            if (start is CampaignStart.Invalid invalid)
            {
                return new AdminOutcome<OpeningView>.Invalid(invalid.Errors);
            }

            LogSent(id);
            return await GetAsync(id, cancellationToken);
        }

        return new AdminOutcome<OpeningView>.Conflict();
    }

    /// <summary>
    /// Each person just written on the opening's <see cref="Opening.ApprovedFlagged"/> was read with no erasure begun (the
    /// matcher leaves out do-not-contact), but the erasure may have begun since and even run to its end, its last unlink
    /// finding nothing yet: each row is read again after the write, and an id whose erasure has begun (or whose row is
    /// gone) is taken off again (<see cref="Privacy.ErasureRecheck"/>, ADR 0007, ADR 0028). The campaign's planner then
    /// finds them gone or do-not-contact, as it would anyway.
    /// </summary>
    private async Task TakeBackErasedAsync(IEnumerable<AlumnusId> written, CancellationToken cancellationToken)
    {
        foreach (var alumnusId in written)
        {
            _ = await erasure.WriteStandsAsync(alumnusId, ct => personalData.UnlinkAsync(alumnusId, ct), cancellationToken);
        }
    }

    /// <summary>The interest the opening received, newest first; audited with the people it shows.</summary>
    public async Task<AdminOutcome<IReadOnlyList<InterestView>>> InterestsAsync(string id, string actor, CancellationToken cancellationToken)
    {
        if (!Opening.IsId(id) || await openings.GetAsync(id, cancellationToken) is null)
        {
            return new AdminOutcome<IReadOnlyList<InterestView>>.NotFound();
        }

        var views = new List<InterestView>();
        foreach (var interest in (await openings.InterestsAsync(id, cancellationToken)).OrderByDescending(i => i.UpdatedAt))
        {
            // An erased alumnus's interest goes with them; one whose erasure is under way shows nothing.
            if (await alumni.GetAsync(interest.AlumnusId, cancellationToken) is { ErasureStartedAt: null } a)
            {
                // A withdrawn interest no longer asks to be contacted: its address and note are not shown.
                var interested = interest.Status == InterestStatus.Interested;
                views.Add(new InterestView(a.Id.Value, a.FamilyName, a.GivenName, interested ? a.PersonalEmail.Value : null, interest.Status,
                    interested ? interest.Note : null, interest.ExpressedAt, interest.UpdatedAt));
            }
        }

        var entry = new AuditEntry(time.GetUtcNow(), actor, OpeningAuditActions.InterestsRead, id, $"interests={views.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, views.Select(v => AlumnusId.Parse(v.AlumnusId)).ToArray(), cancellationToken);
        return new AdminOutcome<IReadOnlyList<InterestView>>.Done(views);
    }

    /// <summary>
    /// Members who consented to job offers and whom the opening's rules put in, with why, and with the profile as current
    /// employees may see it (<see cref="Profile.VisibleToEmployees"/>: recruiters are employees); members read counted.
    /// </summary>
    /// <remarks><c>ListedOnShown</c>: whether they match on what they show employees (<see cref="OpeningMatcher.MatchesOnShown"/>).</remarks>
    private async Task<(int Members, List<(Alumnus Alumnus, IReadOnlyList<(ProfileField Field, string Value)> Shared, MatchResult Result, bool ListedOnShown)> Found)> FindMatchesAsync(
        Opening opening, CancellationToken cancellationToken)
    {
        var found = new List<(Alumnus, IReadOnlyList<(ProfileField, string)>, MatchResult, bool)>();
        var members = 0;
        string? continuation = null;
        do
        {
            var (page, next) = await alumni.ListMembersPageAsync(continuation, PlanCampaign.PageSize, cancellationToken);
            var profilesOf = await PlanCampaign.ProfilesAsync(profiles, page, cancellationToken);
            foreach (var a in page)
            {
                members++;
                var granted = await consents.GrantedAsync(a, cancellationToken);
                var profile = profilesOf.GetValueOrDefault(a.Id);
                if (granted.Contains(ConsentPurpose.JobOffers) && profile is not null && OpeningMatcher.Evaluate(opening, a, profile) is { Standing: not MatchStanding.Excluded } result)
                {
                    var shared = profile.VisibleToEmployees(granted.Contains(ConsentPurpose.EmployeeVisibility));
                    found.Add((a, shared, result, OpeningMatcher.MatchesOnShown(opening, a, profile, shared)));
                }
            }

            continuation = next;
        }
        while (continuation is not null);

        return (members, found);
    }

    private static string? SharedValue(IReadOnlyList<(ProfileField Field, string Value)> shared, ProfileField field) =>
        shared.FirstOrDefault(f => f.Field == field).Value;

    private Task<bool> IsApprovedAsync(Opening opening, AlumnusId alumnusId, CancellationToken cancellationToken) =>
        approvals.IsApprovedAsync(alumnusId, opening.Scope, cancellationToken);

    private static string Detail(OpeningDetails d) => $"kind={d.Kind}; confidentiality={d.Confidentiality}; status={d.Status}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Opening {OpeningId} {Change}")]
    private partial void LogChanged(string openingId, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opening {OpeningId} sent as a campaign")]
    private partial void LogSent(string openingId);
}
