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
/// <param name="Earlier">
/// The flag of an organisation left before this one whose cooling-off still runs (its <see cref="CoolingOffUntil"/> set,
/// and its own <see cref="Earlier"/>): moving on to another flagged organisation does not end it, and it takes over when
/// this flag ends first. Null when there is none.
/// </param>
public sealed record ConflictAssessment(
    AlumnusId AlumnusId, string EntryId, ConflictCategory Category, string EntryName, string MatchedName, string Employer, DateTimeOffset Since,
    DateTimeOffset? CoolingOffUntil = null, ConflictAssessment? Earlier = null)
{
    public ConflictFlag Flag => new(EntryId, Category.ToString(), Since);

    /// <summary>This flag, then each earlier one.</summary>
    public IEnumerable<ConflictAssessment> Chain()
    {
        for (var link = this; link is not null; link = link.Earlier)
        {
            yield return link;
        }
    }
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
    /// <param name="registered">
    /// The entries <paramref name="previous"/> names (its own and its earlier flags'), by id, as the register holds them
    /// now: one removed from the register is absent.
    /// </param>
    /// <returns>The assessment now, or null when the alumnus is not flagged.</returns>
    public static ConflictAssessment? Assess(
        AlumnusId alumnusId, string employer, RegisterMatch? match, ConflictAssessment? previous, IReadOnlyDictionary<string, RegisterEntry> registered,
        DateTimeOffset now)
    {
        // Every organisation left whose cooling-off still runs, the one matched now excepted: moving from one flagged
        // organisation to another keeps the first one's cooling-off, which takes over if the second flag ends first.
        var cooling = CoolingOff(previous, match?.Entry.Id, registered, now);
        if (match is { Entry: var entry, Name: var name })
        {
            // The same entry keeps its start, even when the alumnus comes back to it during a cooling-off.
            var since = previous?.Chain().FirstOrDefault(f => f.EntryId == entry.Id && (f.CoolingOffUntil is null || f.CoolingOffUntil > now))?.Since ?? now;
            return new ConflictAssessment(alumnusId, entry.Id, entry.Category, entry.Name, name, employer, since, Earlier: cooling);
        }

        return cooling;
    }

    /// <summary>
    /// The flags of <paramref name="flag"/>'s chain that a cooling-off still keeps, most recently left first: a flag whose
    /// employer matched until now starts its cooling-off; one whose entry is gone from the register, has no cooling-off
    /// or has come to its end is dropped, as is the entry matched now (<paramref name="matchedId"/>).
    /// </summary>
    private static ConflictAssessment? CoolingOff(ConflictAssessment? flag, string? matchedId, IReadOnlyDictionary<string, RegisterEntry> registered, DateTimeOffset now)
    {
        if (flag is null)
        {
            return null;
        }

        var earlier = CoolingOff(flag.Earlier, matchedId, registered, now);
        if (flag.EntryId == matchedId || registered.GetValueOrDefault(flag.EntryId) is not { CoolingOffDays: { } days } entry)
        {
            return earlier;
        }

        var until = flag.CoolingOffUntil ?? now.AddDays(days);
        return until > now ? flag with { Category = entry.Category, EntryName = entry.Name, CoolingOffUntil = until, Earlier = earlier } : earlier;
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
