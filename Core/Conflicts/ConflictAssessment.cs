using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Conflicts;

/// <summary>
/// Why an alumnus is flagged, as the compliance team sees it: the register entry and the name of it that the current
/// employer matched, since when, and, once the employer stopped matching, until when the entry's cooling-off keeps the
/// flag. Kept only while the alumnus is flagged; its <see cref="Flag"/> is projected onto the alumnus row. Never shown
/// to the alumnus.
/// </summary>
/// <param name="Employer">The current employer as the alumnus wrote it when it matched.</param>
/// <param name="MatchedName">The register name (the entry's name or an alias) with the same key.</param>
/// <param name="CoolingOffUntil">Set once the employer no longer matches: the flag lasts until then.</param>
public sealed record ConflictAssessment(
    AlumnusId AlumnusId, string EntryId, ConflictCategory Category, string EntryName, string MatchedName, string Employer, DateTimeOffset Since,
    DateTimeOffset? CoolingOffUntil = null)
{
    public ConflictFlag Flag => new(EntryId, Category.ToString(), Since);
}

/// <summary>The register entry an employer matched, and which of its names did.</summary>
public sealed record RegisterMatch(RegisterEntry Entry, string Name)
{
    /// <summary>The name of <paramref name="entry"/> whose key is <paramref name="key"/>, or null when none is.</summary>
    public static RegisterMatch? Of(RegisterEntry? entry, string key) =>
        entry?.Names.FirstOrDefault(n => OrganisationName.Key(n) == key) is { } name ? new RegisterMatch(entry, name) : null;
}

/// <summary>The conflict rules: whether an alumnus is flagged now, from their employer, the register and the flag so far.</summary>
public static class ConflictRules
{
    /// <param name="employer">The current employer from the profile ("" when none).</param>
    /// <param name="match">The entry the employer matches now, or null.</param>
    /// <param name="previous">The assessment so far, or null when not flagged.</param>
    /// <param name="previousEntry">The entry <paramref name="previous"/> names, as the register holds it now (null once removed).</param>
    /// <returns>The assessment now, or null when the alumnus is not flagged.</returns>
    public static ConflictAssessment? Assess(
        AlumnusId alumnusId, string employer, RegisterMatch? match, ConflictAssessment? previous, RegisterEntry? previousEntry, DateTimeOffset now)
    {
        if (match is { Entry: var entry, Name: var name })
        {
            // The same entry keeps its start, even when the alumnus comes back to it during a cooling-off.
            var since = previous?.EntryId == entry.Id ? previous.Since : now;
            return new ConflictAssessment(alumnusId, entry.Id, entry.Category, entry.Name, name, employer, since);
        }

        if (previous is null || previousEntry is not { CoolingOffDays: { } days })
        {
            // Not flagged before, or the entry is gone from the register or has no cooling-off: the flag ends now.
            return null;
        }

        var until = previous.CoolingOffUntil ?? now.AddDays(days);
        return until > now ? previous with { Category = previousEntry.Category, EntryName = previousEntry.Name, CoolingOffUntil = until } : null;
    }
}

/// <summary>The assessments of flagged alumni, one per alumnus.</summary>
public interface IConflictAssessments
{
    Task<ConflictAssessment?> GetAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Every assessment (every flagged alumnus): the register is small, and so is this.</summary>
    Task<IReadOnlyList<ConflictAssessment>> ListAsync(CancellationToken cancellationToken);

    Task SaveAsync(ConflictAssessment assessment, CancellationToken cancellationToken);

    /// <summary>Removes the alumnus's assessment; removing twice is harmless.</summary>
    Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
