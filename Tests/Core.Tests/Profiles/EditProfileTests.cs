using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

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

    private static readonly ProfileForm Employer = new(new Dictionary<string, string?> { ["CurrentEmployer"] = "Yamada Trading" });

    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly FakeTimeProvider time = new(Now);
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-40), AlumnusStatus.Joined);

    private EditProfile Edit()
    {
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        var checks = new ConflictChecks(Mock.Of<IConflictRegister>(), Mock.Of<IConflictAssessments>(), profiles.Object, alumni.Object, work.Object,
            new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance),
            new ErasureRecheck(alumni.Object, work.Object, time, NullLogger<ErasureRecheck>.Instance), time, NullLogger<ConflictChecks>.Instance);
        return new EditProfile(new SignedLinkAccess(new LinkTokenService(Builders.Links(), time), alumni.Object), new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance), profiles.Object, checks, time);
    }

    private string Token() => new LinkTokenService(Builders.Links(), time).Issue(LinkPurpose.Profile, alumnus);

    [Fact]
    public async Task ErasureBeganWhileSaving_TakesTheSavedProfileBackAndAnswersGone()
    {
        var edit = Edit();
        profiles.Setup(p => p.SaveAsync(It.IsAny<Profile>(), It.IsAny<CancellationToken>())).Callback(() => alumnus.ErasureStartedAt = Now);

        var view = await edit.SaveAsync(Token(), Employer, CancellationToken.None);

        Assert.Equal(LinkAccessStatus.Gone, view.Access.Status);
        Assert.False(view.Saved);
        profiles.Verify(p => p.DeleteAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RecordErasedWhileSaving_TakesTheSavedProfileBack()
    {
        var edit = Edit();
        profiles.Setup(p => p.SaveAsync(It.IsAny<Profile>(), It.IsAny<CancellationToken>()))
            .Callback(() => alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null));

        var view = await edit.SaveAsync(Token(), Employer, CancellationToken.None);

        Assert.Equal(LinkAccessStatus.Gone, view.Access.Status);
        profiles.Verify(p => p.DeleteAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NoErasure_KeepsTheSavedProfile()
    {
        var view = await Edit().SaveAsync(Token(), Employer, CancellationToken.None);

        Assert.True(view.Saved);
        profiles.Verify(p => p.SaveAsync(It.Is<Profile>(s => s.ValueOf(ProfileField.CurrentEmployer) == "Yamada Trading"), It.IsAny<CancellationToken>()), Times.Once);
        profiles.Verify(p => p.DeleteAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ErasureAlreadyBegun_AnswersGoneAndWritesNothing()
    {
        alumnus.ErasureStartedAt = Now.AddMinutes(-1);

        var view = await Edit().SaveAsync(Token(), Employer, CancellationToken.None);

        Assert.Equal(LinkAccessStatus.Gone, view.Access.Status);
        profiles.Verify(p => p.SaveAsync(It.IsAny<Profile>(), It.IsAny<CancellationToken>()), Times.Never);
        work.Verify(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
