using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Rehires;

public enum RehireAttributionOutcome
{
    /// <summary>An alumnus returned: attributed and marked returned.</summary>
    Matched,

    /// <summary>Nobody the network holds; or an erased person, who never matches.</summary>
    NoMatch,

    /// <summary>Decided before (a redelivered message): only the alumnus's status is asserted again.</summary>
    AlreadyDecided,

    /// <summary>
    /// The alumnus had already returned since they last left (a corrected hire date, a contract change): no second return.
    /// Kept as <see cref="RehireOutcome.NoMatch"/>, so it is counted nowhere.
    /// </summary>
    AlreadyReturned,

    /// <summary>No such hire (a subject no intake wrote).</summary>
    Unknown,
}

/// <summary>
/// Matches a hire to an alumnus, attributes it and marks the alumnus returned, for a dispatched work item. The alumnus is
/// the one holding the employee's claim (the same employee id); failing that, one whose personal address has the hire's
/// address pseudonym (a rehire under a new employee id), the latest to leave first. An erased employee's claim ends the
/// search: an erased person never matches, not even by address; one erased while the match is written is unlinked from
/// it again at once (the return stays counted, as after an erasure), and a redelivered run unlinks one still named on a
/// decided hire (the first run failed before its unlink was written). The attribution is written on the hire before the
/// alumnus changes, and every run asserts the alumnus's status again, so a crash between the two writes is finished by
/// the next run. Runs under <see cref="WorkItemRunner"/>.
/// </summary>
public sealed partial class AttributeRehire(
    IRehireStore rehires,
    IAlumniStore alumni,
    RehireTouches touches,
    CompanyCalendar calendar,
    Pseudonyms pseudonyms,
    WorkItemRunner runner,
    TimeProvider time,
    ILogger<AttributeRehire> logger)
{
    private const int MaxAttempts = 5;

    public async Task<(RehireAttributionOutcome? Rehire, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        RehireAttributionOutcome? outcome = null;
        var run = await runner.RunAsync(message, async ct =>
        {
            outcome = Rehire.FromSubject(message.SubjectId) is { } subject ? await DecideAsync(subject.Partition, subject.Key, ct) : RehireAttributionOutcome.Unknown;
            LogOutcome(message.SubjectId[..Math.Min(4, message.SubjectId.Length)], outcome.Value);
            return new WorkStep.Done();
        }, cancellationToken);
        return (outcome, run);
    }

    private async Task<RehireAttributionOutcome> DecideAsync(string partition, string key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await rehires.GetAsync(partition, key, cancellationToken) is not { } hire)
            {
                return RehireAttributionOutcome.Unknown;
            }

            if (hire.Outcome != RehireOutcome.Pending)
            {
                // A run that wrote the match and failed before its unlink finished leaves the id on the hire: the check
                // is made again on every run, not only right after the match is written.
                if (hire.AlumnusId is { } matched && await ErasedSinceAsync(hire, matched, cancellationToken))
                {
                    await UnlinkAsync(hire, cancellationToken);
                }

                await MarkReturnedAsync(hire, cancellationToken);
                return RehireAttributionOutcome.AlreadyDecided;
            }

            var alumnus = await FindAsync(hire, cancellationToken);
            // Counts are of people: a second hire of someone back since they last left (HR corrected the date, or changed
            // the contract) is kept unmatched, and their return day stays the counted hire's.
            // Once they have left again the status no longer says so: a late hire of an earlier stint is found by the hires.
            var repeat = (alumnus is { Status: AlumnusStatus.Returned, ReturnedOn: { } returnedOn } && returnedOn > alumnus.LastWorkingDay) ||
                (alumnus is not null && await ReturnedSinceInvitationAsync(alumnus, hire, cancellationToken));

            // Two hires of theirs decided at the same moment (or the other between its match and its alumnus write) both
            // read them not yet returned: the return of this stint is claimed, insert-if-absent, and only its holder counts.
            if (!repeat && alumnus is not null)
            {
                repeat = await rehires.ClaimReturnAsync(ReturnKey(alumnus, hire), hire.Key, cancellationToken) != hire.Key;
            }

            if (repeat)
            {
                alumnus = null;
            }

            if (alumnus is null)
            {
                hire.NoMatch(time.GetUtcNow());
            }
            else
            {
                hire.Match(alumnus, AttributionWindow.Attribute(await touches.OfAsync(alumnus, cancellationToken), hire.HiredOn, calendar), time.GetUtcNow());
            }

            if (!await rehires.TryUpdateAsync(hire, cancellationToken))
            {
                continue;
            }

            if (alumnus is not null && await ErasedSinceAsync(hire, alumnus.Id, cancellationToken))
            {
                await UnlinkAsync(hire, cancellationToken);
            }

            await MarkReturnedAsync(hire, cancellationToken);
            return repeat ? RehireAttributionOutcome.AlreadyReturned : alumnus is null ? RehireAttributionOutcome.NoMatch : RehireAttributionOutcome.Matched;
        }

        throw new InvalidOperationException("The hire kept changing while it was attributed.");
    }

    /// <summary>
    /// The alumnus the hire is a return of: left before it, by employee claim, else by address; never an erased person,
    /// nor by address one whose erasure is under way (erased for every reader, ADR 0008). A claim holder whose erasure is
    /// under way is matched; the erasure's last step unlinks the hire (<c>OpeningsPersonalData.UnlinkAsync</c>).
    /// </summary>
    private async Task<Alumnus?> FindAsync(Rehire hire, CancellationToken cancellationToken)
    {
        var (holder, erased) = await alumni.FindEmployeeAsync(hire.EmployeeKey, cancellationToken);
        if (erased)
        {
            return null;
        }

        if (holder is { } id && await alumni.GetAsync(id, cancellationToken) is { } held && LeftBefore(held, hire.HiredOn))
        {
            return held;
        }

        if (hire.EmailKey is not { } emailKey)
        {
            return null;
        }

        Alumnus? latest = null;
        await foreach (var candidate in alumni.FindByEmailKeyAsync(emailKey, cancellationToken))
        {
            if (candidate.ErasureStartedAt is null && candidate.LastWorkingDay < hire.HiredOn && (latest is null || candidate.LastWorkingDay > latest.LastWorkingDay))
            {
                latest = candidate;
            }
        }

        return latest;
    }

    /// <summary>
    /// Whether the employee had left before <paramref name="hiredOn"/>. The row keeps only the latest last working day, so a
    /// later departure applied before this hire was decided (a backfill, a delayed run) would hide the earlier one; the
    /// welcome invitation proves it too, since it goes only once the last working day then known has ended.
    /// </summary>
    private bool LeftBefore(Alumnus alumnus, DateOnly hiredOn) =>
        alumnus.LastWorkingDay < hiredOn || (alumnus.InvitedAt is { } invited && calendar.DayOf(invited) <= hiredOn);

    /// <summary>
    /// Whether a hire matched by the welcome invitation (<see cref="LeftBefore"/>: on or before the last working day now
    /// known) repeats a return already counted: a matched hire of theirs after the invitation day and on or before that
    /// last working day. Their status no longer says so once they have left again (a late hire event of an earlier stint:
    /// a corrected date, a contract change). The alumnus's hires are a filtered scan, read only on this rare path.
    /// </summary>
    private async Task<bool> ReturnedSinceInvitationAsync(Alumnus alumnus, Rehire hire, CancellationToken cancellationToken)
    {
        if (alumnus.LastWorkingDay < hire.HiredOn || alumnus.InvitedAt is not { } invitedAt)
        {
            return false;
        }

        var invited = calendar.DayOf(invitedAt);
        return (await rehires.OfAlumnusAsync(alumnus.Id, cancellationToken)).Any(r =>
            r.Outcome == RehireOutcome.Matched && r.Key != hire.Key && r.HiredOn > invited && r.HiredOn <= alumnus.LastWorkingDay);
    }

    /// <summary>
    /// The keyed pseudonym of the stint the hire ends (never the alumnus id itself, which must not outlive their erasure):
    /// the alumnus and the last working day before the hire, or, matched through the welcome invitation, that invitation's day.
    /// </summary>
    private string ReturnKey(Alumnus alumnus, Rehire hire)
    {
        var stint = alumnus.LastWorkingDay < hire.HiredOn || alumnus.InvitedAt is not { } invitedAt
            ? $"left {alumnus.LastWorkingDay:O}"
            : $"invited {calendar.DayOf(invitedAt):O}";
        return pseudonyms.Of("return", $"{alumnus.Id.Value}|{stint}");
    }

    /// <summary>
    /// Whether the matched alumnus was erased while the match was written: their tombstone, or their record gone. An
    /// erasure that blanked its rehires before this match landed would otherwise leave their id on it (ADR 0029).
    /// </summary>
    private async Task<bool> ErasedSinceAsync(Rehire hire, AlumnusId alumnusId, CancellationToken cancellationToken) =>
        (await alumni.FindEmployeeAsync(hire.EmployeeKey, cancellationToken)).Erased || await alumni.GetAsync(alumnusId, cancellationToken) is null;

    /// <summary>Keeps the return counted without the person, as erasure does; a concurrent writer is read again.</summary>
    private async Task UnlinkAsync(Rehire hire, CancellationToken cancellationToken)
    {
        var id = hire.AlumnusId;
        Rehire? current = hire;
        for (var attempt = 0; attempt < MaxAttempts && current is not null && current.AlumnusId == id; attempt++)
        {
            current.Anonymise();
            current = await rehires.TryUpdateAsync(current, cancellationToken) ? null : await rehires.GetAsync(hire.Partition, hire.Key, cancellationToken);
        }

        if (current is not null && current.AlumnusId == id)
        {
            throw new InvalidOperationException("The hire kept changing while its erased alumnus was unlinked.");
        }

        LogUnlinked(hire.Subject[..4]);
    }

    private async Task MarkReturnedAsync(Rehire hire, CancellationToken cancellationToken)
    {
        if (hire is not { Outcome: RehireOutcome.Matched, AlumnusId: { } id })
        {
            return;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // Gone (erased since): nothing to mark. Unchanged: marked before.
            if (await alumni.GetAsync(id, cancellationToken) is not { } alumnus)
            {
                return;
            }

            // The employee id they returned under is theirs before they are marked returned, so that id's departure goes
            // to this record (back to where they were), never a new one; asserted on every run, it survives a crash.
            if (attempt == 0 && alumnus.ErasureStartedAt is null)
            {
                await alumni.ClaimReturnAsync(hire.EmployeeKey, alumnus, cancellationToken);

                // Read again after the claim: gone or under erasure, there is no one to mark. A claim an erasure or purge
                // missed is not ended here (a crash could skip that): its reader decides it by the person's own claim.
                if (await alumni.GetAsync(id, cancellationToken) is not { ErasureStartedAt: null } current)
                {
                    return;
                }

                alumnus = current;
            }

            if (!alumnus.Return(hire.HiredOn))
            {
                return;
            }

            if (await alumni.TryUpdateAsync(alumnus, cancellationToken))
            {
                LogReturned(hire.Subject[..4]);
                return;
            }
        }

        throw new InvalidOperationException($"The alumnus matched to a hire of {hire.Subject[..4]} kept changing while their return was recorded.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hire of {Year}: {Outcome}")]
    private partial void LogOutcome(string year, RehireAttributionOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hire of {Year}: its alumnus was erased while it was matched; the return stays counted without them")]
    private partial void LogUnlinked(string year);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hire of {Year}: its alumnus returned to the company; promotional outreach stops")]
    private partial void LogReturned(string year);
}
