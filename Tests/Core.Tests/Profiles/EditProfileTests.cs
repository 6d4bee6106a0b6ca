using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Tests.Profiles;

public sealed class EditProfileTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static (Profile Profile, IReadOnlyList<Core.Validation.FieldError> Errors) Parse(params (string Key, string? Value)[] fields) =>
        EditProfile.Parse(AlumnusId.New(), new ProfileForm(fields.ToDictionary(f => f.Key, f => f.Value)), Now);

    [Fact]
    public void ValidForm_BuildsProfileWithPerFieldVisibility()
    {
        var (profile, errors) = Parse(("CurrentEmployer", " 株式会社サンプル "), ("CurrentEmployer.visibility", "Alumni"), ("Skills", "Risk, Python"),
            ("OpenToReturning", "ProjectWork"));

        Assert.Empty(errors);
        Assert.Equal("株式会社サンプル", profile.ValueOf(ProfileField.CurrentEmployer));
        Assert.Equal(FieldVisibility.Alumni, profile.VisibilityOf(ProfileField.CurrentEmployer));
        Assert.Equal(FieldVisibility.Private, profile.VisibilityOf(ProfileField.Skills));
        Assert.Equal(ReturnInterest.ProjectWork, profile.OpenToReturning);
    }

    [Theory]
    [InlineData("Location", "x", 201, "Location")]
    [InlineData("CareerSinceLeaving", "x", 2001, "CareerSinceLeaving")]
    [InlineData("Skills", "\u0007", 1, "Skills")]
    [InlineData("OpenToReturning", "Maybe", 1, "OpenToReturning")]
    [InlineData("Location.visibility", "Everyone", 1, "Location.visibility")]
    public void InvalidField_IsReportedByName(string key, string unit, int repeat, string field)
    {
        var (_, errors) = Parse((key, string.Concat(Enumerable.Repeat(unit, repeat))));

        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Fact]
    public void LineBreaksInCareer_AreKept()
    {
        var (profile, errors) = Parse(("CareerSinceLeaving", "2024 A社\r\n2026 B社"));

        Assert.Empty(errors);
        Assert.Contains('\n', profile.ValueOf(ProfileField.CareerSinceLeaving));
    }
}
