using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Rehires;

namespace AlumniNetwork.Core.Openings;

/// <summary>One interest as the alumnus's data export shows it.</summary>
public sealed record InterestExport(string OpeningId, string? Title, string Status, string Note, DateTimeOffset ExpressedAt, DateTimeOffset UpdatedAt);

/// <summary>One return to the company as the export shows it, with what it was attributed to.</summary>
public sealed record ReturnExport(DateOnly HiredOn, IReadOnlyList<Touch> AttributedTo);

/// <summary>
/// What openings and rehires hold about an alumnus, for privacy requests: everything, for the data export; and on
/// erasure, the interests removed, the person taken out of openings' approved flagged matches, and the returns kept
/// counted but no longer linked to the person.
/// </summary>
public sealed class OpeningsPersonalData(IOpeningStore openings, IRehireStore rehires)
{
    private const int MaxAttempts = 5;

    public async Task<(IReadOnlyList<InterestExport> Interests, IReadOnlyList<ReturnExport> Returns)> ExportAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var interests = new List<InterestExport>();
        foreach (var i in await openings.InterestsOfAsync(alumnusId, cancellationToken))
        {
            var opening = await openings.GetAsync(i.OpeningId, cancellationToken);
            interests.Add(new InterestExport(i.OpeningId, opening?.Details.Title.In(Locale.English), i.Status.ToString(), i.Note, i.ExpressedAt, i.UpdatedAt));
        }

        var returns = (await rehires.OfAlumnusAsync(alumnusId, cancellationToken)).Select(r => new ReturnExport(r.HiredOn, r.Touches)).ToArray();
        return (interests, returns);
    }

    /// <summary>Removes the interests and unlinks the rest (<see cref="UnlinkAsync"/>); doing it twice is harmless.</summary>
    public async Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        await DeleteInterestsAsync(alumnusId, cancellationToken);
        await UnlinkAsync(alumnusId, cancellationToken);
    }

    /// <summary>
    /// What a person who never joined can have here, for the retention purge: interest (a rehire reaches the openings page
    /// without joining) and a return. Never an opening's approval: only joined alumni are matched (<see cref="OpeningMatcher"/>),
    /// so the purge is spared a scan of every opening per person, thousands of them after a restructuring.
    /// </summary>
    public async Task RemoveNeverJoinedAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        await DeleteInterestsAsync(alumnusId, cancellationToken);
        await AnonymiseReturnsAsync(alumnusId, cancellationToken);
    }

    private async Task DeleteInterestsAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        foreach (var interest in await openings.InterestsOfAsync(alumnusId, cancellationToken))
        {
            await openings.DeleteInterestAsync(interest, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the alumnus out of every opening's approved flagged matches and unlinks the returns matched to them. Erasure
    /// runs it again once the record is gone: a compliance approval's send that read the record and the approval before
    /// the erasure removed them may have recorded the person on an opening since, as a rehire matched before the
    /// tombstone may have been linked to them (ADR 0028, ADR 0029).
    /// </summary>
    public async Task UnlinkAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        await RemoveApprovalsAsync(alumnusId, cancellationToken);
        await AnonymiseReturnsAsync(alumnusId, cancellationToken);
    }

    /// <summary>
    /// Removes the alumnus's id from each opening's <see cref="Opening.ApprovedFlagged"/> (ETag, read again on a conflict).
    /// A scan of the openings, which recruiters create by hand (hundreds at most); an opening without the id is not written.
    /// Throws when one kept changing, so the erasure stops with the record kept and its retry (or the purge) finishes it.
    /// </summary>
    private async Task RemoveApprovalsAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        foreach (var listed in (await openings.ListAsync(cancellationToken)).Where(o => o.ApprovedFlagged.Contains(alumnusId)))
        {
            var current = listed;
            for (var attempt = 0; current is not null && current.ApprovedFlagged.Contains(alumnusId); attempt++)
            {
                if (attempt == MaxAttempts)
                {
                    throw new Azure.RequestFailedException(412, "The opening kept changing while an erased alumnus was removed from it.");
                }

                current.ApprovedFlagged = [.. current.ApprovedFlagged.Where(id => id != alumnusId)];
                current = await openings.TryUpdateAsync(current, cancellationToken) ? null : await openings.GetAsync(listed.Id, cancellationToken);
            }
        }
    }

    /// <summary>Unlinks the alumnus from the returns matched to them.</summary>
    private async Task AnonymiseReturnsAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        foreach (var rehire in await rehires.OfAlumnusAsync(alumnusId, cancellationToken))
        {
            var current = rehire;
            for (var attempt = 0; attempt < 5 && current?.AlumnusId == alumnusId; attempt++)
            {
                current.Anonymise();
                current = await rehires.TryUpdateAsync(current, cancellationToken) ? null : await rehires.GetAsync(rehire.Partition, rehire.Key, cancellationToken);
            }
        }
    }
}
