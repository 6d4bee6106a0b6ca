using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Conflicts;

/// <summary>The scheduled work of conflict checks. Subjects are not plain alumnus ids: see <see cref="Check"/>.</summary>
public static class ConflictWork
{
    /// <summary>Everyone again: the register changed.</summary>
    public const string RegisterSubject = "register";

    private const string AlumnusPrefix = "conflict:";

    /// <summary>
    /// One alumnus again: their profile changed, or a cooling-off ends. The subject carries a prefix so the personal data
    /// export, which lists the open work about a person by their id, does not reveal the check (the assessment is
    /// withheld from the export with its reason).
    /// </summary>
    public static WorkItem Check(AlumnusId alumnusId, DateTimeOffset due) =>
        new() { Kind = WorkKinds.ConflictCheck, SubjectId = CheckSubject(alumnusId), DueAt = due };

    public static string CheckSubject(AlumnusId alumnusId) => AlumnusPrefix + alumnusId.Value;

    /// <summary>The alumnus a check names, or null for a subject that is not one.</summary>
    public static AlumnusId? AlumnusOf(WorkMessage message) =>
        message.SubjectId.StartsWith(AlumnusPrefix, StringComparison.Ordinal) && AlumnusId.TryParse(message.SubjectId[AlumnusPrefix.Length..], out var id) ? id : null;
}

/// <summary>
/// Flags alumni whose current employer matches the conflict-of-interest register (ADR 0030), from the profile the alumnus
/// keeps: when the profile is saved, when the register changes (everyone), and when a cooling-off ends. The flag is kept
/// in two places: the assessment with its reason (for the compliance team) and its projection on the alumnus row (for
/// the sending paths, which read the row anyway). The projection is written first: if the process dies between the two
/// writes, the next check finds the assessment out of date and writes both again. The check that follows a profile save or
/// a register change is written before that write (intent first, <see cref="IntentWork"/>: one instance a call, so a
/// scoped service), due <see cref="IntentWork.WriteGrace"/> later so it does not run before the write lands.
/// Someone whose erasure is under way is treated as gone (their assessment removed, nothing saved), and a saved assessment
/// is checked against the row again after the write (<see cref="ErasureRecheck"/>, ADR 0007): an erasure that removed the
/// assessment between the check's read and its save would otherwise leave one behind for good.
/// </summary>
public sealed partial class ConflictChecks(
    IConflictRegister register,
    IConflictAssessments assessments,
    IProfileStore profiles,
    IAlumniStore alumni,
    IWorkItemStore work,
    WorkItemRunner runner,
    ErasureRecheck erasure,
    TimeProvider time,
    ILogger<ConflictChecks> logger)
{
    private const int MaxAttempts = 5;

    private readonly IntentWork intent = new(work, time);

    /// <summary>
    /// Before a profile is saved, and again after: a check that runs even if the process dies right after the save, and
    /// not before the save lands (asked again after a slow save, it is written again).
    /// </summary>
    public Task ScheduleCheckAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        intent.EnsureAsync(WorkKinds.ConflictCheck, ConflictWork.CheckSubject(alumnusId), cancellationToken);

    /// <summary>Before a register change, and again after: everyone is checked again by a work item, once the change has landed.</summary>
    public Task ScheduleEveryoneAsync(CancellationToken cancellationToken) =>
        intent.EnsureAsync(WorkKinds.ConflictRegister, ConflictWork.RegisterSubject, cancellationToken);

    /// <summary>Checks one alumnus from their saved profile and the register as they are now.</summary>
    /// <returns>The assessment now; null when the alumnus is not flagged (or no longer held, or being erased).</returns>
    public async Task<ConflictAssessment?> CheckAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var previous = await assessments.GetAsync(alumnusId, cancellationToken);
        if (await alumni.GetAsync(alumnusId, cancellationToken) is not { ErasureStartedAt: null } alumnus)
        {
            await assessments.RemoveAsync(alumnusId, cancellationToken);
            return null;
        }

        var employer = (await profiles.GetAsync(alumnusId, cancellationToken))?.ValueOf(ProfileField.CurrentEmployer) ?? "";
        var key = OrganisationName.Key(employer);
        var match = key.Length == 0 ? null : RegisterMatch.Of(await register.FindAsync(key, cancellationToken), key);
        var registered = new Dictionary<string, RegisterEntry>(StringComparer.Ordinal);
        foreach (var id in previous?.Chain().Select(f => f.EntryId).Distinct(StringComparer.Ordinal) ?? [])
        {
            if ((id == match?.Entry.Id ? match.Entry : await register.GetAsync(id, cancellationToken)) is { } held)
            {
                registered[id] = held;
            }
        }

        var assessment = ConflictRules.Assess(alumnusId, employer, match, previous, registered, Now());
        return await ApplyAsync(alumnus, previous, assessment, cancellationToken) ? assessment : null;
    }

    /// <summary>
    /// Checks everyone with a profile or a flag against the register as it is now: one scan of the profiles with the whole
    /// register in memory (it is small), writing only the alumni whose assessment changes. Safe to run twice.
    /// </summary>
    /// <returns>How many assessments changed.</returns>
    public async Task<int> CheckEveryoneAsync(CancellationToken cancellationToken)
    {
        var entries = await register.ListAsync(cancellationToken);
        var byId = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var byKey = new Dictionary<string, RegisterMatch>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            foreach (var name in entry.Names)
            {
                byKey.TryAdd(OrganisationName.Key(name), new RegisterMatch(entry, name));
            }
        }

        var previous = (await assessments.ListAsync(cancellationToken)).ToDictionary(a => a.AlumnusId);
        var changed = 0;
        async Task AssessAsync(AlumnusId id, string employer)
        {
            var before = previous.GetValueOrDefault(id);
            previous.Remove(id);
            var now = Now();
            var after = ConflictRules.Assess(id, employer, byKey.GetValueOrDefault(OrganisationName.Key(employer)), before, byId, now);
            if (after is null && before is null)
            {
                return;
            }

            // Everyone assessed is read, changed or not (they are few): an assessment whose person is gone or being erased
            // is removed, so one an erasure's race left behind does not stay for good.
            if (await alumni.GetAsync(id, cancellationToken) is not { ErasureStartedAt: null } alumnus)
            {
                if (before is not null)
                {
                    changed++;
                    await assessments.RemoveAsync(id, cancellationToken);
                }

                return;
            }

            if (after == before)
            {
                return;
            }

            changed++;
            await ApplyAsync(alumnus, before, after, cancellationToken);
        }

        for (var bucket = 0; bucket < 256; bucket++)
        {
            var (first, last) = BucketRange(bucket);
            await foreach (var profile in profiles.ListRangeAsync(first, last, cancellationToken))
            {
                await AssessAsync(profile.AlumnusId, profile.ValueOf(ProfileField.CurrentEmployer));
            }
        }

        // Flagged without a profile (it cannot be read any more): judged as having no employer.
        foreach (var id in previous.Keys.ToArray())
        {
            await AssessAsync(id, "");
        }

        LogEveryoneChecked(entries.Count, changed);
        return changed;
    }

    /// <summary>A dispatched conflict check (one alumnus, or everyone), run under <see cref="WorkItemRunner"/>.</summary>
    public Task<WorkRunOutcome> HandleAsync(WorkMessage message, CancellationToken cancellationToken) =>
        runner.RunAsync(message, async ct =>
        {
            if (message.Kind == WorkKinds.ConflictRegister)
            {
                await CheckEveryoneAsync(ct);
            }
            else if (ConflictWork.AlumnusOf(message) is { } id)
            {
                await CheckAsync(id, ct);
            }

            return new WorkStep.Done();
        }, cancellationToken);

    /// <returns>False when the assessment saved was taken back: the person's erasure began as it was written.</returns>
    private async Task<bool> ApplyAsync(Alumnus alumnus, ConflictAssessment? previous, ConflictAssessment? assessment, CancellationToken cancellationToken)
    {
        if (assessment?.CoolingOffUntil is { } until && until != previous?.CoolingOffUntil)
        {
            await work.ScheduleAsync(ConflictWork.Check(alumnus.Id, until), cancellationToken);
        }

        var flag = assessment?.Flag;
        for (var attempt = 0; alumnus.ConflictOfInterest != flag; attempt++)
        {
            alumnus.ConflictOfInterest = flag;
            if (await alumni.TryUpdateAsync(alumnus, cancellationToken))
            {
                LogFlagChanged();
                break;
            }

            if (attempt + 1 >= MaxAttempts || await alumni.GetAsync(alumnus.Id, cancellationToken) is not { } fresh)
            {
                throw new InvalidOperationException("The alumnus kept changing while their conflict-of-interest flag was written.");
            }

            alumnus = fresh;
        }

        if (assessment == previous)
        {
            return true;
        }

        if (assessment is null)
        {
            await assessments.RemoveAsync(alumnus.Id, cancellationToken);
            return true;
        }

        await assessments.SaveAsync(assessment, cancellationToken);
        // The erasure removes the assessment once (CollaborationData): one saved after that step, from a row and profile
        // read before the flag, is read against the row now and taken back (the work item first, which removes it too).
        var id = alumnus.Id;
        return await erasure.WriteStandsAsync(id, ct => assessments.RemoveAsync(id, ct), cancellationToken);
    }

    /// <summary>Now, to the second: the flag's instant survives the table round trip unchanged, so equal flags compare equal.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private static (AlumnusId First, AlumnusId Last) BucketRange(int bucket)
    {
        var prefix = bucket.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
        return (AlumnusId.Parse(prefix + new string('0', 30)), AlumnusId.Parse(prefix + new string('f', 30)));
    }

    /// <summary>Neither whom nor which category: a flag next to an alumnus id would put the register in the logs.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "A conflict-of-interest flag changed")]
    private partial void LogFlagChanged();

    [LoggerMessage(Level = LogLevel.Information, Message = "Conflict check of everyone against {Entries} register entries: {Changed} assessments changed")]
    private partial void LogEveryoneChecked(int entries, int changed);
}
