using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Profiles;

public enum ProfileField
{
    CareerSinceLeaving,
    CurrentEmployer,
    CurrentBusiness,
    Skills,
    Interests,
    Location,
    OpenToReturning,
}

/// <summary>Who may see a profile field besides the alumnus and the alumni team.</summary>
public enum FieldVisibility
{
    /// <summary>Only the alumnus and the company's alumni team (default).</summary>
    Private,

    /// <summary>Other alumni in the directory (when the alumnus consented to directory visibility).</summary>
    Alumni,

    /// <summary>Current employees too (when the alumnus consented to that visibility).</summary>
    Employees,
}

public enum ReturnInterest
{
    Unspecified,
    FullTime,
    ProjectWork,
    No,
}

/// <summary>What an alumnus tells the network about themselves since leaving, each field with its own visibility.</summary>
public sealed record Profile(
    AlumnusId AlumnusId,
    IReadOnlyDictionary<ProfileField, string> Values,
    ReturnInterest OpenToReturning,
    IReadOnlyDictionary<ProfileField, FieldVisibility> Visibility,
    DateTimeOffset UpdatedAt)
{
    public static int MaxLength(ProfileField field) => field switch
    {
        ProfileField.CareerSinceLeaving => 2000,
        ProfileField.Skills or ProfileField.Interests => 500,
        _ => 200,
    };

    public static IReadOnlyList<ProfileField> TextFields { get; } = Enum.GetValues<ProfileField>().Where(f => f != ProfileField.OpenToReturning).ToArray();

    public string ValueOf(ProfileField field) => Values.TryGetValue(field, out var value) ? value : "";

    public FieldVisibility VisibilityOf(ProfileField field) => Visibility.TryGetValue(field, out var visibility) ? visibility : FieldVisibility.Private;

    /// <summary>
    /// The profile as current employees see it: the fields the alumnus made visible to employees (and whether they would
    /// return, when they made that visible and said), and nothing at all unless they consent to being visible to employees.
    /// </summary>
    public IReadOnlyList<(ProfileField Field, string Value)> VisibleToEmployees(bool employeeVisibilityConsented) =>
        !employeeVisibilityConsented
            ? []
            : TextFields.Where(f => VisibilityOf(f) == FieldVisibility.Employees && ValueOf(f).Length > 0).Select(f => (f, ValueOf(f)))
                .Concat(VisibilityOf(ProfileField.OpenToReturning) == FieldVisibility.Employees && OpenToReturning != ReturnInterest.Unspecified
                    ? [(ProfileField.OpenToReturning, OpenToReturning.ToString())]
                    : [])
                .ToArray();

    public static Profile Empty(AlumnusId id) => new(id, new Dictionary<ProfileField, string>(), ReturnInterest.Unspecified,
        new Dictionary<ProfileField, FieldVisibility>(), DateTimeOffset.MinValue);
}

public interface IProfileStore
{
    Task<Profile?> GetAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    Task SaveAsync(Profile profile, CancellationToken cancellationToken);

    Task DeleteAsync(AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>The profiles of one bucket whose alumnus ids lie between <paramref name="first"/> and <paramref name="last"/> inclusive.</summary>
    IAsyncEnumerable<Profile> ListRangeAsync(AlumnusId first, AlumnusId last, CancellationToken cancellationToken);
}
