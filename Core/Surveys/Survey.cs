using System.Security.Cryptography;

namespace AlumniNetwork.Core.Surveys;

public enum SurveyStatus
{
    /// <summary>Never published: nothing has been sent.</summary>
    Draft,

    /// <summary>A version is live: waves go out and answers are taken.</summary>
    Published,

    /// <summary>No more waves or answers; the anonymous pseudonym key is destroyed.</summary>
    Closed,
}

/// <summary>
/// A survey: its draft (what the next version will be), its current published version and where it stands. Versions
/// once published are stored apart and never change. The mode is fixed by the first publication: answers already
/// given were collected under it.
/// </summary>
public sealed class Survey
{
    public required string Id { get; init; }
    public SurveyStatus Status { get; private set; } = SurveyStatus.Draft;

    /// <summary>The next version, when an admin has written one; null once it is published and nothing changed since.</summary>
    public SurveyContent? Draft { get; private set; }

    /// <summary>The live version's number (0 before the first publication) and content.</summary>
    public int Version { get; private set; }

    public SurveyContent? Current { get; private set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The last company-local day whose lifecycle waves have been started.</summary>
    public DateOnly? LifecycleDoneThrough { get; set; }

    public string? ETag { get; set; }

    /// <summary>The keyed hash of the body that created it with an idempotency key (ADR 0037); null when created without one.</summary>
    public string? CreateHash { get; init; }

    /// <summary>What the survey is, for lists and pages: the live version, else the draft.</summary>
    public SurveyContent Shown => Current ?? Draft ?? throw new InvalidOperationException($"Survey {Id} has neither a version nor a draft.");

    /// <summary>
    /// The version is the last a survey can have: wave campaign ids and signed links hold three digits of it
    /// (<see cref="SurveyCampaigns.MaxVersion"/>), so a next version's waves could not be read back.
    /// </summary>
    public bool HasLastVersion => Version >= SurveyCampaigns.MaxVersion;

    public bool IsOpenAt(DateTimeOffset now) => Status == SurveyStatus.Published && (Current?.ClosesAt is not { } closes || now < closes);

    /// <param name="keyed">The create's idempotency key, which names the survey (ADR 0037); null: a new id.</param>
    public static Survey Create(SurveyContent draft, string actor, DateTimeOffset now, Admin.KeyedCreate? keyed = null) => new()
    {
        Id = keyed?.Id ?? NewId(),
        CreateHash = keyed?.BodyHash,
        Draft = draft,
        CreatedAt = now,
        CreatedBy = actor,
        UpdatedAt = now,
    };

    public static Survey Restore(string id, SurveyStatus status, SurveyContent? draft, int version, SurveyContent? current, DateTimeOffset createdAt, string createdBy,
        DateTimeOffset updatedAt, DateTimeOffset? publishedAt, DateTimeOffset? closedAt, DateOnly? lifecycleDoneThrough, string? etag, string? createHash = null) => new()
    {
        CreateHash = createHash,
        Id = id,
        Status = status,
        Draft = draft,
        Version = version,
        Current = current,
        CreatedAt = createdAt,
        CreatedBy = createdBy,
        UpdatedAt = updatedAt,
        PublishedAt = publishedAt,
        ClosedAt = closedAt,
        LifecycleDoneThrough = lifecycleDoneThrough,
        ETag = etag,
    };

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>Replaces the draft; a closed survey, or one whose mode would change after publication, refuses (the reason).</summary>
    public string? Edit(SurveyContent draft, DateTimeOffset now)
    {
        if (Status == SurveyStatus.Closed)
        {
            return "The survey is closed; it can no longer change.";
        }

        if (Current is { } live && live.Mode != draft.Mode)
        {
            return $"The survey was published as {live.Mode}; its mode can no longer change (answers were collected under it).";
        }

        (Draft, UpdatedAt) = (draft, now);
        return null;
    }

    /// <summary>Publishes the draft as the next version.</summary>
    /// <returns>The new version's number and content, or null when there is no draft (the live version stands), the survey is
    /// closed or it has its last version (<see cref="HasLastVersion"/>).</returns>
    public (int Version, SurveyContent Content)? Publish(DateTimeOffset now)
    {
        if (Status == SurveyStatus.Closed || HasLastVersion || Draft is not { } draft)
        {
            return null;
        }

        (Version, Current, Draft, Status, UpdatedAt) = (Version + 1, draft, null, SurveyStatus.Published, now);
        PublishedAt ??= now;
        return (Version, draft);
    }

    /// <returns>False when it was closed already.</returns>
    public bool Close(DateTimeOffset now)
    {
        if (Status == SurveyStatus.Closed)
        {
            return false;
        }

        (Status, ClosedAt, UpdatedAt) = (SurveyStatus.Closed, now, now);
        return true;
    }
}
