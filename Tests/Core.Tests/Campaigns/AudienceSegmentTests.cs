using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Tests.Campaigns;

public sealed class AudienceSegmentTests
{
    // Builders: left 2026-11-30, department "Retail Banking", reason Voluntary.
    private readonly Alumnus alumnus = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));

    private Profile Profile(string location = "", string skills = "", string interests = "", ReturnInterest returning = ReturnInterest.Unspecified) =>
        new(alumnus.Id, new Dictionary<ProfileField, string>
        {
            [ProfileField.Location] = location,
            [ProfileField.Skills] = skills,
            [ProfileField.Interests] = interests,
        }, returning, new Dictionary<ProfileField, FieldVisibility>(), DateTimeOffset.MinValue);

    [Fact]
    public void EmptySegment_MatchesEveryone() => Assert.True(AudienceSegment.Everyone.Matches(alumnus, null));

    [Theory]
    [InlineData(2026, 2026, true)]
    [InlineData(2020, 2025, false)]
    [InlineData(2027, null, false)]
    [InlineData(null, 2026, true)]
    public void DepartureYearRange_IsInclusive(int? from, int? to, bool matches) =>
        Assert.Equal(matches, new AudienceSegment { DepartedFromYear = from, DepartedToYear = to }.Matches(alumnus, null));

    [Theory]
    [InlineData("retail banking", true)]
    [InlineData("ＲＥＴＡＩＬ　ＢＡＮＫＩＮＧ", true)]
    [InlineData("Retail", false)]
    public void Department_MatchesWholeNameIgnoringCaseAndWidth(string department, bool matches) =>
        Assert.Equal(matches, new AudienceSegment { Departments = [department] }.Matches(alumnus, null));

    [Fact]
    public void SameAs_IgnoresTheOrderAndRepeatsOfItsLists_ButNotWhatTheyHold()
    {
        var given = new AudienceSegment
        {
            Reasons = [DepartureReason.Retirement, DepartureReason.Voluntary, DepartureReason.Retirement],
            ReturnInterests = [ReturnInterest.ProjectWork, ReturnInterest.FullTime],
            Keywords = ["SQL", "risk", "SQL"],
        };

        Assert.True(given.SameAs(new AudienceSegment
        {
            Reasons = [DepartureReason.Voluntary, DepartureReason.Retirement],
            ReturnInterests = [ReturnInterest.FullTime, ReturnInterest.ProjectWork],
            Keywords = ["risk", "SQL"],
        }));
        Assert.False(given.SameAs(given with { Reasons = [DepartureReason.Voluntary] }));
        Assert.False(given.SameAs(given with { ReturnInterests = [ReturnInterest.FullTime, ReturnInterest.ProjectWork, ReturnInterest.No] }));
        Assert.False(given.SameAs(given with { Keywords = ["SQL"] }));
        Assert.False(given.SameAs(given with { DepartedFromYear = 2020 }));
    }

    [Fact]
    public void SameAs_IgnoresCaseAndWidthOfItsTextLists_AsMatchesDoes()
    {
        var given = new AudienceSegment { Departments = ["Sales"], Locations = ["Tokyo"], Keywords = ["SQL"] };

        Assert.True(given.SameAs(new AudienceSegment { Departments = ["sales"], Locations = ["ＴＯＫＹＯ"], Keywords = ["ｓｑｌ "] }));
        Assert.True(given.SameAs(given with { Departments = ["Ｓａｌｅｓ", "SALES"] }));
        Assert.False(given.SameAs(given with { Departments = ["Sales Ops"] }));
    }

    [Fact]
    public void LastWorkingDayWindow_SelectsOneDay()
    {
        var day = new DateOnly(2026, 11, 30);

        Assert.True(new AudienceSegment { LastWorkingDayFrom = day, LastWorkingDayTo = day }.Matches(alumnus, null));
        Assert.False(new AudienceSegment { LastWorkingDayFrom = day.AddDays(1) }.Matches(alumnus, null));
    }

    [Fact]
    public void Reason_MustBeOneOfTheListed()
    {
        Assert.True(new AudienceSegment { Reasons = [DepartureReason.Voluntary, DepartureReason.Retirement] }.Matches(alumnus, null));
        Assert.False(new AudienceSegment { Reasons = [DepartureReason.Retirement] }.Matches(alumnus, null));
    }

    [Fact]
    public void ProfileConditions_NeedAProfileThatSatisfiesThem()
    {
        var segment = new AudienceSegment { Locations = ["大阪"], Keywords = ["ｓｑｌ", "risk"], ReturnInterests = [ReturnInterest.ProjectWork] };

        Assert.True(segment.NeedsProfile);
        Assert.False(segment.Matches(alumnus, null));
        Assert.True(segment.Matches(alumnus, Profile("大阪府大阪市", interests: "Credit risk", returning: ReturnInterest.ProjectWork)));
        Assert.True(segment.Matches(alumnus, Profile("大阪", skills: "SQL, Python", returning: ReturnInterest.ProjectWork)));
        Assert.False(segment.Matches(alumnus, Profile("東京", skills: "SQL", returning: ReturnInterest.ProjectWork)));
        Assert.False(segment.Matches(alumnus, Profile("大阪", skills: "SQL", returning: ReturnInterest.FullTime)));
    }

    [Theory]
    [InlineData("AI", "Training", false)]
    [InlineData("Go", "Google Ads", false)]
    [InlineData("AI", "AI, Data", true)]
    [InlineData("リスク", "信用リスク管理", true)]
    [InlineData("UI/UX", "UI/UX", true)]
    [InlineData("CI/CD", "CI/CD, Docker", true)]
    [InlineData("TCP/IP", "Networking (TCP/IP)", true)]
    [InlineData("PL/SQL", "Oracle; PL/SQL", true)]
    [InlineData("PL/SQL", "SQL", false)]
    [InlineData("Python, SQL", "SQL", true)]
    [InlineData("リスク管理、監査", "内部監査", true)]
    [InlineData("AI, ML", "Training", false)]
    public void Keywords_MatchWholeWords_ButJapaneseAsASubstring(string keyword, string skills, bool matches) =>
        Assert.Equal(matches, new AudienceSegment { Keywords = [keyword] }.Matches(alumnus, Profile(skills: skills)));

    [Theory]
    [InlineData("US", "Russia", false)]
    [InlineData("Russia", "US", false)]
    [InlineData("US", "Boston, US", true)]
    [InlineData("Tokyo, Japan", "Tokyo, Japan", true)]
    [InlineData("Tokyo, Japan", "Tokyo", true)]
    [InlineData("Tokyo", "Tokyo, Japan", true)]
    [InlineData("東京都、大阪府", "東京都", true)]
    [InlineData("東京都港区", "東京", true)]
    [InlineData("Tokyo (hybrid)", "Tokyo", true)]
    [InlineData("Tokyo, Japan", "Tokyo (remote)", true)]
    [InlineData("Tokyo, Japan", "Osaka (remote)", false)]
    [InlineData("(remote)", "(remote)", true)]
    [InlineData("Cambridge, MA", "Cambridge (UK)", false)]
    [InlineData("Cambridge (UK)", "Cambridge (UK)", true)]
    [InlineData("Kyoto", "Tokyo", false)]
    [InlineData("Boston, US", "Russia", false)]
    [InlineData("Tokyo, Japan", "Osaka, Japan", false)]
    [InlineData("Osaka, Japan", "Tokyo, Japan", false)]
    public void Locations_OverlapByWholeWords_EitherWay(string location, string lives, bool matches) =>
        Assert.Equal(matches, new AudienceSegment { Locations = [location] }.Matches(alumnus, Profile(location: lives)));
}
