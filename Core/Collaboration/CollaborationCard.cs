using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Collaboration;

/// <summary>The industry a card is filed under in the directory.</summary>
public enum Industry
{
    Finance,
    Consulting,
    Technology,
    Manufacturing,
    Healthcare,
    Retail,
    Energy,
    RealEstate,
    Media,
    Education,
    PublicSector,
    Other,
}

public enum CardStatus
{
    /// <summary>Written or changed by the alumnus; not listed until an admin approves it.</summary>
    PendingReview,
    Listed,

    /// <summary>Not listed; the alumnus sees the reason and may change the card.</summary>
    Rejected,
}

public enum CardField
{
    Company,
    Business,
    Offer,
    LookingFor,
    Skills,
    Location,
}

/// <summary>
/// What an alumnus offers and looks for, published from their profile so that alumni and the company can do business
/// together. Listed in the directory only after an admin approved it, and only to the audiences the alumnus chose
/// (members, current employees, or both). A change of its content takes it back to review.
/// </summary>
public sealed record CollaborationCard(
    AlumnusId AlumnusId,
    IReadOnlyDictionary<CardField, string> Values,
    Industry Industry,
    bool VisibleToMembers,
    bool VisibleToEmployees,
    bool RequestsPaused,
    CardStatus Status,
    DateTimeOffset SubmittedAt)
{
    /// <summary>The alumnus's name as the directory shows it, copied from the record when the card is saved.</summary>
    public string FamilyName { get; init; } = "";

    public string GivenName { get; init; } = "";

    public DateTimeOffset? ReviewedAt { get; init; }

    /// <summary>The admin who approved or rejected it (subject id).</summary>
    public string? ReviewedBy { get; init; }

    /// <summary>Why it was rejected, shown to the alumnus.</summary>
    public string? RejectionReason { get; init; }

    public string? ETag { get; init; }

    public static int MaxLength(CardField field) => field switch
    {
        CardField.Offer or CardField.LookingFor => 1000,
        CardField.Business or CardField.Skills => 500,
        _ => 200,
    };

    public static bool IsRequired(CardField field) => field is CardField.Company or CardField.Offer;

    public string ValueOf(CardField field) => Values.TryGetValue(field, out var value) ? value : "";

    /// <summary>Listed for current employees: the company's staff may see it and send requests through the platform.</summary>
    public bool ListedForEmployees => Status == CardStatus.Listed && VisibleToEmployees;

    public bool ListedForMembers => Status == CardStatus.Listed && VisibleToMembers;

    /// <summary>
    /// Whether the content (what an admin reviewed) differs from <paramref name="other"/>'s. Line breaks are compared as
    /// LF on both sides: cards stored before the form normalised them hold CRLF, and re-saving one unchanged (say, only to
    /// pause requests) must not send it back to review (ADR 0031).
    /// </summary>
    public bool ContentDiffers(CollaborationCard other) =>
        Industry != other.Industry
        || Enum.GetValues<CardField>().Any(f => FreeText.NormaliseLineBreaks(ValueOf(f)) != FreeText.NormaliseLineBreaks(other.ValueOf(f)));

    /// <summary>The card an alumnus submits, starting from <paramref name="current"/>: content changes go back to review.</summary>
    public CollaborationCard SubmittedOver(CollaborationCard? current) =>
        current is null || current.ContentDiffers(this) || current.Status == CardStatus.Rejected
            ? this
            : this with { Status = current.Status, SubmittedAt = current.SubmittedAt, ReviewedAt = current.ReviewedAt, ReviewedBy = current.ReviewedBy, ETag = current.ETag };
}

/// <summary>The card form as posted: raw text, checked before it becomes a card.</summary>
public sealed record CardForm(IReadOnlyDictionary<string, string?> Fields)
{
    public const string IndustryField = "Industry";
    public const string MembersField = "VisibleToMembers";
    public const string EmployeesField = "VisibleToEmployees";
    public const string PausedField = "RequestsPaused";
    public const string Yes = "yes";

    public (CollaborationCard Card, IReadOnlyList<FieldError> Errors) Parse(AlumnusId id, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var values = new Dictionary<CardField, string>();
        foreach (var field in Enum.GetValues<CardField>())
        {
            var text = FreeText.NormaliseLineBreaks(Fields.GetValueOrDefault(field.ToString()) ?? "").Trim();
            var max = CollaborationCard.MaxLength(field);
            if (text.Length == 0 && CollaborationCard.IsRequired(field))
            {
                errors.Add(new FieldError(field.ToString(), "is required"));
            }
            else if (text.Length > max)
            {
                errors.Add(new FieldError(field.ToString(), $"must be at most {max} characters"));
            }
            else if (text.Any(c => FreeText.IsRefusedControl(c)))
            {
                errors.Add(new FieldError(field.ToString(), "must not contain control characters"));
            }
            else if (text.Any(FreeText.IsMisleading))
            {
                errors.Add(new FieldError(field.ToString(), FreeText.MisleadingRule));
            }
            else if (text.Length > 0)
            {
                values[field] = text;
            }
        }

        if (!EnumNames.TryParse<Industry>(Fields.GetValueOrDefault(IndustryField), ignoreCase: false, out var industry))
        {
            errors.Add(new FieldError(IndustryField, $"must be one of {EnumNames.List<Industry>()}"));
        }

        var (members, employees, paused) = (Flag(MembersField, errors), Flag(EmployeesField, errors), Flag(PausedField, errors));
        if (!members && !employees && !errors.Any(e => e.Field is MembersField or EmployeesField))
        {
            errors.Add(new FieldError(MembersField, "choose who may see the card: members of the network, current employees, or both"));
        }

        return (new CollaborationCard(id, values, industry, members, employees, paused, CardStatus.PendingReview, now), errors);
    }

    /// <summary>A checkbox: absent is no, <c>yes</c> is yes, anything else is refused.</summary>
    private bool Flag(string field, List<FieldError> errors)
    {
        var value = Fields.GetValueOrDefault(field);
        if (value is null or Yes)
        {
            return value == Yes;
        }

        errors.Add(new FieldError(field, $"must be {Yes} when ticked, or absent"));
        return false;
    }
}

/// <summary>Cards and collaboration requests, with the per-alumnus limit kept in the requests' own partition.</summary>
public interface ICollaborationStore
{
    Task<CollaborationCard?> GetCardAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>Every card in a status (all when null): what the directory and the review queue read.</summary>
    IAsyncEnumerable<CollaborationCard> ListCardsAsync(CardStatus? status, CancellationToken cancellationToken);

    /// <summary>Writes the card if unchanged since read (<see cref="CollaborationCard.ETag"/>; any when null and new).</summary>
    /// <returns>The card as stored (new ETag), or null when it changed meanwhile.</returns>
    Task<CollaborationCard?> TrySaveCardAsync(CollaborationCard card, CancellationToken cancellationToken);

    Task DeleteCardAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    Task<CollaborationRequest?> GetRequestAsync(AlumnusId alumnusId, string requestId, CancellationToken cancellationToken);

    /// <summary>Every request to the alumnus, newest first.</summary>
    Task<IReadOnlyList<CollaborationRequest>> RequestsToAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the request unless the alumnus has had <paramref name="limit"/> requests that count (<see cref="CollaborationRequest.CountsSince"/>)
    /// since <paramref name="since"/>. Counting and adding are one: two requests racing for the last place cannot both get it.
    /// </summary>
    /// <returns>False when the limit is reached or a request with its id exists (nothing was added).</returns>
    Task<bool> TryAddRequestAsync(CollaborationRequest request, int limit, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Writes the request if unchanged since read (ETag); false when it changed meanwhile.</summary>
    Task<bool> TryUpdateRequestAsync(CollaborationRequest request, CancellationToken cancellationToken);

    /// <summary>Removes the alumnus's card and every request to them; removing twice is harmless.</summary>
    Task RemoveAllAsync(AlumnusId alumnusId, CancellationToken cancellationToken);
}
