using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Tests.Openings;

internal static class OpeningBuilders
{
    public static Opening Opening(
        OpeningKind kind = OpeningKind.ShortTermProject, string? department = null, string? location = null, bool remote = false,
        string[]? skills = null, Confidentiality confidentiality = Confidentiality.Normal, OpeningStatus status = OpeningStatus.Open) => new()
    {
        Id = Core.Openings.Opening.NewId(),
        Details = new OpeningDetails(new LocalizedText("リスク管理プロジェクト", "Risk project"), new LocalizedText("説明", "Description"), kind, department, location,
            remote, skills ?? [], new DateOnly(2027, 4, 1), kind is OpeningKind.ShortTermProject or OpeningKind.Advisory ? new DateOnly(2027, 9, 30) : null,
            EmailAddress.Parse("careers@example.com"), confidentiality, status),
        CreatedAt = new DateTimeOffset(2027, 1, 10, 0, 0, 0, TimeSpan.Zero),
        CreatedBy = "recruiter",
        UpdatedAt = new DateTimeOffset(2027, 1, 10, 0, 0, 0, TimeSpan.Zero),
    };

    /// <summary>A member (left 2026-11-30 from Retail Banking, per <see cref="Builders.Alumnus"/>).</summary>
    public static Alumnus Member() => Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), AlumnusStatus.Joined);

    public static Profile Profile(Alumnus alumnus, ReturnInterest returning, string skills = "", string interests = "", string location = "") =>
        new(alumnus.Id, new Dictionary<ProfileField, string>
        {
            [ProfileField.Skills] = skills,
            [ProfileField.Interests] = interests,
            [ProfileField.Location] = location,
        }, returning, new Dictionary<ProfileField, FieldVisibility>(), DateTimeOffset.MinValue);
}
