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

    [Fact]
    public void CareerAtTheLimitWithBrowserLineBreaks_IsAccepted_AndStoredWithLfOnly()
    {
        // 1,990 letters and 10 line breaks: 2,000 as the textarea's maxlength counts them, 2,010 as the browser sends them.
        var career = string.Join("\r\n", Enumerable.Repeat(new string('x', 181), 10).Append(new string('y', 180)));
        Assert.Equal((1990, 10, 2010), (career.Count(char.IsAsciiLetter), career.Count(c => c == '\n'), career.Length));

        var (profile, errors) = Parse(("CareerSinceLeaving", career));

        Assert.Empty(errors);
        Assert.Equal(career.Replace("\r\n", "\n", StringComparison.Ordinal), profile.ValueOf(ProfileField.CareerSinceLeaving));
    }

    [Theory]
    [InlineData("\u202E")]
    [InlineData("\u202A")]
    [InlineData("\u2066")]
    [InlineData("\u2069")]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    public void TextDirectionOrSeparatorCharacter_IsRefusedByField(string character)
    {
        var (_, errors) = Parse(("CurrentEmployer", "Acme" + character + "emcA"), ("Skills", "Python"));

        Assert.Equal(new Core.Validation.FieldError("CurrentEmployer", Core.Validation.FreeText.MisleadingRule), Assert.Single(errors));
    }
}
