using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Openings;

public enum InterestStatus
{
    Interested,
    Withdrawn,
}

/// <summary>
/// One alumnus's interest in one opening. <see cref="Version"/> rises on every change and the recruiter's notice of a
/// change is due while <see cref="NoticedVersion"/> lags behind it, so a notice is pending state that no crash loses,
/// and a second expression of interest, which changes nothing, owes nothing (ADR 0028).
/// </summary>
public sealed class OpeningInterest
{
    public const int MaxNote = 1000;

    public required string OpeningId { get; init; }
    public required AlumnusId AlumnusId { get; init; }
    public InterestStatus Status { get; private set; }

    /// <summary>What the alumnus wrote to the recruiter with their interest (plain text, escaped wherever shown).</summary>
    public string Note { get; private set; } = "";

    /// <summary>When interest was last expressed.</summary>
    public DateTimeOffset ExpressedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
    public int Version { get; private set; }
    public int NoticedVersion { get; private set; }

    /// <summary>
    /// The last version settled by telling the recruiter (or by a decision that there was nothing to tell): unlike
    /// <see cref="NoticedVersion"/>, not moved by a change settled without any notice going (<see cref="MarkSkipped"/>),
    /// so it says what the recruiter may have heard.
    /// </summary>
    public int ToldVersion { get; private set; }

    public string? ETag { get; set; }

    public bool NoticePending => Version > NoticedVersion;

    public static OpeningInterest New(string openingId, AlumnusId alumnusId) => new() { OpeningId = openingId, AlumnusId = alumnusId, Status = InterestStatus.Withdrawn };

    public static OpeningInterest Restore(string openingId, AlumnusId alumnusId, InterestStatus status, string note, DateTimeOffset expressedAt,
        DateTimeOffset updatedAt, int version, int noticedVersion, int toldVersion, string? etag) => new()
    {
        OpeningId = openingId,
        AlumnusId = alumnusId,
        Status = status,
        Note = note,
        ExpressedAt = expressedAt,
        UpdatedAt = updatedAt,
        Version = version,
        NoticedVersion = noticedVersion,
        ToldVersion = toldVersion,
        ETag = etag,
    };

    /// <returns>False when the alumnus is already interested: a second expression changes nothing, the note included.</returns>
    public bool Express(string note, DateTimeOffset now)
    {
        if (Status == InterestStatus.Interested && Version > 0)
        {
            return false;
        }

        (Status, Note, ExpressedAt, UpdatedAt) = (InterestStatus.Interested, note, now, now);
        Version++;
        return true;
    }

    /// <returns>False when there is no interest to withdraw.</returns>
    public bool Withdraw(DateTimeOffset now)
    {
        if (Status != InterestStatus.Interested || Version == 0)
        {
            return false;
        }

        (Status, UpdatedAt) = (InterestStatus.Withdrawn, now);
        Version++;
        return true;
    }

    /// <summary>Records that the recruiter was told of <paramref name="version"/> (or that they never will be).</summary>
    public void MarkNoticed(int version)
    {
        NoticedVersion = Math.Max(NoticedVersion, version);
        ToldVersion = Math.Max(ToldVersion, version);
    }

    /// <summary>
    /// Settles <paramref name="version"/> without any notice going (the recruiter mailbox is not the company's): it is no
    /// longer pending, but the recruiter is not counted as having heard of it (<see cref="ToldVersion"/> stays).
    /// </summary>
    public void MarkSkipped(int version) => NoticedVersion = Math.Max(NoticedVersion, version);
}

/// <summary>Openings and the interest alumni express in them; an opening and its interests share a partition.</summary>
public interface IOpeningStore
{
    Task<Opening?> GetAsync(string openingId, CancellationToken cancellationToken);

    /// <summary>Inserts the opening; false when one with its id exists (a keyed create's repeat, ADR 0037).</summary>
    Task<bool> TryAddAsync(Opening opening, CancellationToken cancellationToken);

    /// <summary>Writes the opening if unchanged since read (ETag); false when someone else changed it first.</summary>
    Task<bool> TryUpdateAsync(Opening opening, CancellationToken cancellationToken);

    /// <summary>Every opening, newest first (a company has hundreds, not millions: one or a few pages).</summary>
    Task<IReadOnlyList<Opening>> ListAsync(CancellationToken cancellationToken);

    Task<OpeningInterest?> GetInterestAsync(string openingId, AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Inserts the interest (no ETag yet) or replaces it if unchanged since read; false when it changed (or appeared) meanwhile.</summary>
    Task<bool> TrySaveInterestAsync(OpeningInterest interest, CancellationToken cancellationToken);

    Task<IReadOnlyList<OpeningInterest>> InterestsAsync(string openingId, CancellationToken cancellationToken);

    /// <summary>Every interest of the alumnus, across openings (data export, erasure, rehire attribution; a filtered scan, not for hot paths).</summary>
    Task<IReadOnlyList<OpeningInterest>> InterestsOfAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Removes the interest; removing twice is harmless.</summary>
    Task DeleteInterestAsync(OpeningInterest interest, CancellationToken cancellationToken);
}

public static class OpeningStoreExtensions
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Adds the alumni to the opening's approved flagged matches (ETag, read again on a conflict), so its campaign's
    /// planner and batches include them; writes nothing when all are there already. False when the opening closed, became
    /// sensitive or went meanwhile.
    /// </summary>
    public static async Task<bool> TryAddApprovedFlaggedAsync(this IOpeningStore openings, Opening opening, IReadOnlyCollection<AlumnusId> approved, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!opening.IsOpen || opening.IsSensitive)
            {
                return false;
            }

            var added = approved.Where(id => !opening.ApprovedFlagged.Contains(id)).ToArray();
            if (added.Length == 0)
            {
                return true;
            }

            opening.ApprovedFlagged = [.. opening.ApprovedFlagged, .. added];
            if (await openings.TryUpdateAsync(opening, cancellationToken))
            {
                return true;
            }

            if (await openings.GetAsync(opening.Id, cancellationToken) is not { } fresh)
            {
                return false;
            }

            opening = fresh;
        }

        throw new Azure.RequestFailedException(412, "The opening kept changing while approved matches were recorded on it.");
    }
}
