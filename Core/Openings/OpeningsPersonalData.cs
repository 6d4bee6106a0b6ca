using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Rehires;

namespace AlumniNetwork.Core.Openings;

/// <summary>One interest as the alumnus's data export shows it.</summary>
public sealed record InterestExport(string OpeningId, string? Title, string Status, string Note, DateTimeOffset ExpressedAt, DateTimeOffset UpdatedAt);

/// <summary>One return to the company as the export shows it, with what it was attributed to.</summary>
public sealed record ReturnExport(DateOnly HiredOn, IReadOnlyList<Touch> AttributedTo);

/// <summary>
/// What openings and rehires hold about an alumnus, for privacy requests: everything, for the data export; and on
/// erasure, the interests removed and the returns kept counted but no longer linked to the person.
/// </summary>
public sealed class OpeningsPersonalData(IOpeningStore openings, IRehireStore rehires)
{
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

    /// <summary>Removes the interests and anonymises the returns; doing it twice is harmless.</summary>
    public async Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        foreach (var interest in await openings.InterestsOfAsync(alumnusId, cancellationToken))
        {
            await openings.DeleteInterestAsync(interest, cancellationToken);
        }

        await AnonymiseReturnsAsync(alumnusId, cancellationToken);
    }

    /// <summary>
    /// Unlinks the alumnus from the returns matched to them. Erasure runs it again once the tombstone is written: a match
    /// written before the tombstone stopped new ones is then unlinked too (ADR 0029).
    /// </summary>
    public async Task AnonymiseReturnsAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
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
