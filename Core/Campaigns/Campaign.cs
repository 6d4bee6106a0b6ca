using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// A started campaign and where its planning stands. Planning reads the audience page by page and cuts it into
/// batches of up to 1,000 recipients of one language; what it has read but not yet put in a batch is kept here, with
/// where the next page starts, so a planner that dies is taken over from the last checkpoint.
/// </summary>
public sealed class Campaign
{
    public required string Id { get; init; }
    public required CampaignKind Kind { get; init; }
    public required string SourceId { get; init; }
    public required AudienceSegment Audience { get; init; }
    public required string RequestedBy { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public CampaignStatus Status { get; private set; } = CampaignStatus.Planning;

    /// <summary>Where the next audience page starts; null before the first page and after the last.</summary>
    public string? Continuation { get; private set; }

    public int Batches { get; private set; }

    /// <summary>People in the segment who are members of the network, whatever the gate said.</summary>
    public int AudienceSize { get; private set; }

    /// <summary>People the outreach gate refused while planning, by reason; they are in no batch.</summary>
    public IReadOnlyDictionary<string, int> Excluded => excluded;

    /// <summary>Recipients read but not yet in a batch, by language, in the order read.</summary>
    public IReadOnlyDictionary<Locale, IReadOnlyList<AlumnusId>> Waiting => waiting.ToDictionary(p => p.Key, p => (IReadOnlyList<AlumnusId>)p.Value);

    public string? ETag { get; set; }

    private Dictionary<string, int> excluded = new(StringComparer.Ordinal);
    private Dictionary<Locale, List<AlumnusId>> waiting = new() { [Locale.Japanese] = [], [Locale.English] = [] };

    /// <summary>Longest campaign id: every kind's ids fit (<c>survey-{32}-v…-w03-{yyyyMMdd}-r</c> is the longest, under 60).</summary>
    public const int MaxIdLength = 60;

    /// <summary>The rule of <see cref="IsId"/>, for a problem-details body.</summary>
    public const string IdRule = "must be 1-60 lower-case letters, digits or '-', starting with a letter or digit";

    /// <summary>
    /// Whether <paramref name="value"/> has the shape every campaign id has (lower-case letters, digits and hyphens, not
    /// starting with a hyphen: <c>welcome</c>, <c>event-{id}-invitation</c>, <c>newsletter-2027-01</c>): the one rule a
    /// started campaign's id meets and a lookup checks, answered before a storage read, which would refuse a key with
    /// <c>/ \ # ?</c> or a control character, or one over 1 KiB.
    /// </summary>
    public static bool IsId(string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && value[0] != '-'
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public static Campaign Start(CampaignRequest request, DateTimeOffset now) => new()
    {
        Id = request.CampaignId,
        Kind = request.Kind,
        SourceId = request.SourceId,
        Audience = request.Audience,
        RequestedBy = request.RequestedBy,
        StartedAt = now,
    };

    public static Campaign Restore(
        string id, CampaignKind kind, string sourceId, AudienceSegment audience, string requestedBy, DateTimeOffset startedAt, CampaignStatus status,
        string? continuation, int batches, int audienceSize, IReadOnlyDictionary<string, int> excluded,
        IReadOnlyDictionary<Locale, IReadOnlyList<AlumnusId>> waiting, string? etag) => new()
    {
        Id = id,
        Kind = kind,
        SourceId = sourceId,
        Audience = audience,
        RequestedBy = requestedBy,
        StartedAt = startedAt,
        Status = status,
        Continuation = continuation,
        Batches = batches,
        AudienceSize = audienceSize,
        excluded = new Dictionary<string, int>(excluded, StringComparer.Ordinal),
        waiting = new Dictionary<Locale, List<AlumnusId>>
        {
            [Locale.Japanese] = [.. waiting.GetValueOrDefault(Locale.Japanese) ?? []],
            [Locale.English] = [.. waiting.GetValueOrDefault(Locale.English) ?? []],
        },
        ETag = etag,
    };

    /// <summary>Counts one person of the segment; a refusal reason keeps them out of every batch.</summary>
    /// <returns>A full batch of their language, when this person completed one.</returns>
    public CampaignBatch? Plan(AlumnusId id, Locale locale, string? denial)
    {
        AudienceSize++;
        if (denial is not null)
        {
            excluded[denial] = excluded.GetValueOrDefault(denial) + 1;
            return null;
        }

        var list = waiting[locale];
        list.Add(id);
        if (list.Count < Email.BulkMessage.MaxRecipients)
        {
            return null;
        }

        waiting[locale] = [];
        return NewBatch(list);
    }

    public void PageRead(string? continuation) => Continuation = continuation;

    /// <summary>
    /// The audience is read: what is still waiting becomes the last batches. Both languages go in one batch when they fit
    /// together, so N recipients take ⌈N / 1,000⌉ batches whatever their languages.
    /// </summary>
    public IReadOnlyList<CampaignBatch> FinishPlanning()
    {
        var rest = waiting.Values.Where(l => l.Count > 0).ToArray();
        waiting = new() { [Locale.Japanese] = [], [Locale.English] = [] };
        Status = CampaignStatus.Sending;
        return rest.Sum(l => l.Count) <= Email.BulkMessage.MaxRecipients
            ? rest.Length == 0 ? [] : [NewBatch(rest.SelectMany(l => l).ToList())]
            : rest.Select(NewBatch).ToArray();
    }

    public void Stop()
    {
        if (Status is CampaignStatus.Planning or CampaignStatus.Sending)
        {
            Status = CampaignStatus.Stopped;
        }
    }

    public void Complete()
    {
        if (Status == CampaignStatus.Sending)
        {
            Status = CampaignStatus.Completed;
        }
    }

    private CampaignBatch NewBatch(List<AlumnusId> recipients) => new()
    {
        CampaignId = Id,
        Number = ++Batches,
        Recipients = recipients,
    };
}
