using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Profiles;
using static AlumniNetwork.Core.Tests.Openings.OpeningBuilders;

namespace AlumniNetwork.Core.Tests.Openings;

public sealed class OpeningMatcherTests
{
    private readonly Alumnus member = Member();

    [Theory]
    [InlineData(OpeningKind.Comeback, ReturnInterest.FullTime, true)]
    [InlineData(OpeningKind.MidCareer, ReturnInterest.FullTime, true)]
    [InlineData(OpeningKind.Comeback, ReturnInterest.ProjectWork, false)]
    [InlineData(OpeningKind.ShortTermProject, ReturnInterest.ProjectWork, true)]
    [InlineData(OpeningKind.ShortTermProject, ReturnInterest.FullTime, true)]
    [InlineData(OpeningKind.Advisory, ReturnInterest.ProjectWork, true)]
    [InlineData(OpeningKind.Advisory, ReturnInterest.No, false)]
    [InlineData(OpeningKind.ShortTermProject, ReturnInterest.Unspecified, false)]
    public void ReturnInterest_MustFitTheKindOfOpening(OpeningKind kind, ReturnInterest returning, bool matches)
    {
        var opening = Opening(kind, department: "Retail Banking");

        var result = OpeningMatcher.Evaluate(opening, member, Profile(member, returning));

        Assert.Equal(matches ? MatchStanding.Match : MatchStanding.Excluded, result.Standing);
    }

    [Fact]
    public void WithoutAProfile_NobodyMatches() =>
        Assert.Equal(MatchStanding.Excluded, OpeningMatcher.Evaluate(Opening(department: "Retail Banking"), member, null).Standing);

    [Fact]
    public void EveryReason_IsListed_SkillsIgnoringCaseAndWidth()
    {
        var opening = Opening(department: "retail banking", location: "Tokyo", skills: ["Python", "リスク管理", "Go"]);
        var profile = Profile(member, ReturnInterest.ProjectWork, skills: "ＰＹＴＨＯＮ, SQL", interests: "リスク管理の高度化", location: "Tokyo, Minato-ku");

        var result = OpeningMatcher.Evaluate(opening, member, profile);

        Assert.Equal(MatchStanding.Match, result.Standing);
        Assert.Equal(
            [
                new MatchReason(OpeningMatcher.Returns, "ProjectWork"), new MatchReason(OpeningMatcher.Skill, "Python"), new MatchReason(OpeningMatcher.Skill, "リスク管理"),
                new MatchReason(OpeningMatcher.Department, "retail banking"), new MatchReason(OpeningMatcher.Location, "Tokyo"),
            ],
            result.Reasons);
    }

    [Fact]
    public void ShownReasons_KeepOnlyWhatTheAlumnusShowsEmployees_AndTheDepartment()
    {
        var opening = Opening(department: "Retail Banking", location: "Tokyo", skills: ["Python", "リスク管理"]);
        var profile = Profile(member, ReturnInterest.ProjectWork, skills: "Python", interests: "リスク管理", location: "Tokyo");
        var reasons = OpeningMatcher.Evaluate(opening, member, profile).Reasons;

        var nothingShared = OpeningMatcher.ShownReasons(reasons, []);
        var interestsShared = OpeningMatcher.ShownReasons(reasons, [(ProfileField.Interests, "リスク管理"), (ProfileField.OpenToReturning, "ProjectWork")]);
        var allShared = OpeningMatcher.ShownReasons(reasons,
            [(ProfileField.Skills, "Python"), (ProfileField.Interests, "リスク管理"), (ProfileField.Location, "Tokyo"), (ProfileField.OpenToReturning, "ProjectWork")]);

        Assert.Equal([new MatchReason(OpeningMatcher.Department, "Retail Banking")], nothingShared);
        Assert.Equal(
            [new MatchReason(OpeningMatcher.Returns, "ProjectWork"), new MatchReason(OpeningMatcher.Skill, "リスク管理"), new MatchReason(OpeningMatcher.Department, "Retail Banking")],
            interestsShared);
        Assert.Equal(reasons, allShared);
    }

    [Fact]
    public void OpeningThatNamesSkillsDepartmentOrLocation_NeedsOneOfThem()
    {
        var opening = Opening(department: "Markets", location: "Osaka", skills: ["Rust"]);

        var result = OpeningMatcher.Evaluate(opening, member, Profile(member, ReturnInterest.ProjectWork, skills: "Python", location: "Tokyo"));

        Assert.Equal(MatchResult.Excluded, result);
    }

    [Fact]
    public void RemoteOpeningNamingNothing_MatchesOnTheReturnInterestAlone()
    {
        var result = OpeningMatcher.Evaluate(Opening(remote: true), member, Profile(member, ReturnInterest.FullTime));

        Assert.Equal(MatchStanding.Match, result.Standing);
        Assert.Equal([new MatchReason(OpeningMatcher.Returns, "FullTime")], result.Reasons);
    }

    [Fact]
    public void NotRehireEligible_IsExcludedWithoutAReason()
    {
        member.RehireEligible = false;

        var result = OpeningMatcher.Evaluate(Opening(department: "Retail Banking"), member, Profile(member, ReturnInterest.ProjectWork));

        Assert.Same(MatchResult.Excluded, result);
        Assert.False(OpeningMatcher.Reaches(Opening(department: "Retail Banking"), member, Profile(member, ReturnInterest.ProjectWork)));
    }

    [Fact]
    public void DoNotContact_IsExcludedWithoutAReason_EvenFlaggedForANormalOpening()
    {
        member.DoNotContact = true;
        member.ConflictOfInterest = new ConflictFlag("entry-1", "Competitor", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

        var result = OpeningMatcher.Evaluate(Opening(department: "Retail Banking"), member, Profile(member, ReturnInterest.ProjectWork));

        Assert.Same(MatchResult.Excluded, result);
        Assert.False(OpeningMatcher.Reaches(Opening(department: "Retail Banking"), member, Profile(member, ReturnInterest.ProjectWork)));
    }

    [Fact]
    public void RehireEligibilityUnknown_StillMatches()
    {
        member.RehireEligible = null;

        Assert.Equal(MatchStanding.Match, OpeningMatcher.Evaluate(Opening(department: "Retail Banking"), member, Profile(member, ReturnInterest.ProjectWork)).Standing);
    }

    [Theory]
    [InlineData(AlumnusStatus.Departed)]
    [InlineData(AlumnusStatus.Invited)]
    [InlineData(AlumnusStatus.Returned)]
    public void NotAMemberNow_IsExcluded(AlumnusStatus status)
    {
        member.Status = status;

        Assert.Same(MatchResult.Excluded, OpeningMatcher.Evaluate(Opening(department: "Retail Banking"), member, Profile(member, ReturnInterest.ProjectWork)));
    }

    [Fact]
    public void FlaggedForAConflict_SensitiveOpening_IsExcludedSilently()
    {
        member.ConflictOfInterest = new ConflictFlag("entry-1", "Competitor", DateTimeOffset.UnixEpoch);
        var opening = Opening(department: "Retail Banking", confidentiality: Confidentiality.Sensitive);

        Assert.Same(MatchResult.Excluded, OpeningMatcher.Evaluate(opening, member, Profile(member, ReturnInterest.ProjectWork)));
    }

    [Fact]
    public void FlaggedForAConflict_NormalOpening_NeedsApproval_AndReachesOnlyWhenApprovedAtSending()
    {
        member.ConflictOfInterest = new ConflictFlag("entry-1", "Competitor", DateTimeOffset.UnixEpoch);
        var opening = Opening(department: "Retail Banking");
        var profile = Profile(member, ReturnInterest.ProjectWork);

        var result = OpeningMatcher.Evaluate(opening, member, profile);
        var before = OpeningMatcher.Reaches(opening, member, profile);
        opening.ApprovedFlagged = [member.Id];

        Assert.Equal(MatchStanding.NeedsApproval, result.Standing);
        Assert.Contains(new MatchReason(OpeningMatcher.Department, "Retail Banking"), result.Reasons);
        Assert.False(before);
        Assert.True(OpeningMatcher.Reaches(opening, member, profile));
    }

    [Fact]
    public void Segment_AsksForTheReturnInterestsTheKindTakes_SoBatchesLoadProfiles()
    {
        var fullTime = OpeningMatcher.Segment(Opening(OpeningKind.Comeback).Details);
        var project = OpeningMatcher.Segment(Opening(OpeningKind.Advisory).Details);

        Assert.Equal([ReturnInterest.FullTime], fullTime.ReturnInterests);
        Assert.Equal([ReturnInterest.ProjectWork, ReturnInterest.FullTime], project.ReturnInterests);
        Assert.True(project.NeedsProfile);
    }

    [Fact]
    public void SensitiveOpening_IsVisibleOnlyThroughItsOwnLink_AndNeverToTheFlagged()
    {
        var opening = Opening(confidentiality: Confidentiality.Sensitive);
        var flagged = Member();
        flagged.ConflictOfInterest = new ConflictFlag("entry-1", "AuditClient", DateTimeOffset.UnixEpoch);

        Assert.False(opening.IsVisibleTo(member, linkBoundToIt: false));
        Assert.True(opening.IsVisibleTo(member, linkBoundToIt: true));
        Assert.False(opening.IsVisibleTo(flagged, linkBoundToIt: true));
        Assert.True(Opening().IsVisibleTo(flagged, linkBoundToIt: false));
        Assert.False(Opening(status: OpeningStatus.Closed).IsVisibleTo(member, linkBoundToIt: true));
    }

    [Theory]
    [InlineData("AI", "Training, Sales", false)]
    [InlineData("Go", "Google Ads", false)]
    [InlineData("AI", "Generative AI / ML", true)]
    [InlineData("Go", "Rust、Go", true)]
    [InlineData("go", "Ｇｏ言語", true)]
    [InlineData("Machine Learning", "machine learning; statistics", true)]
    [InlineData("管理", "リスク管理の高度化", true)]
    [InlineData("監査", "内部監査\nIT統制", true)]
    [InlineData("UI/UX", "UI/UX", true)]
    [InlineData("CI/CD", "CI/CD, Docker", true)]
    [InlineData("TCP/IP", "TCP/IP", true)]
    [InlineData("PL/SQL", "PL/SQL", true)]
    [InlineData("PL/SQL", "SQL, Python", false)]
    [InlineData("東京都、大阪府", "東京都", true)]
    [InlineData("AI, Data", "Training, Sales", false)]
    public void Skills_MatchWholeWords_ButJapaneseAsASubstring(string wanted, string skills, bool matches)
    {
        var result = OpeningMatcher.Evaluate(Opening(skills: [wanted]), member, Profile(member, ReturnInterest.ProjectWork, skills: skills));

        Assert.Equal(matches ? MatchStanding.Match : MatchStanding.Excluded, result.Standing);
    }

    [Theory]
    [InlineData("US", "Russia", false)]
    [InlineData("Russia", "US", false)]
    [InlineData("US", "Seattle, US", true)]
    [InlineData("Tokyo", "Tokyo, Minato-ku", true)]
    [InlineData("大阪", "大阪府大阪市", true)]
    [InlineData("Tokyo, Japan", "Tokyo, Japan", true)]
    [InlineData("Tokyo, Japan", "Tokyo", true)]
    [InlineData("Tokyo (hybrid)", "Tokyo", true)]
    [InlineData("Tokyo (hybrid)", "Tokyo, Japan", true)]
    [InlineData("東京（リモート可）", "東京都港区", true)]
    [InlineData("Osaka (hybrid)", "Tokyo, Japan", false)]
    [InlineData("Georgia (country)", "Atlanta, Georgia", false)]
    [InlineData("Tokyo (remote OK)", "Tokyo", true)]
    [InlineData("Tokyo, Japan", "Osaka", false)]
    [InlineData("Tokyo, Japan", "Osaka, Japan", false)]
    [InlineData("Seattle, US", "Russia", false)]
    [InlineData("大阪府大阪市", "大阪", true)]
    [InlineData("大阪府大阪市", "東京", false)]
    [InlineData("東京都港区", "東京", true)]
    [InlineData("東京都、大阪府", "東京都", true)]
    [InlineData("Kyoto", "Tokyo", false)]
    public void Location_OverlapsWholeWordsOfWhereTheyLive_EitherWay(string location, string lives, bool matches)
    {
        var result = OpeningMatcher.Evaluate(Opening(location: location), member, Profile(member, ReturnInterest.ProjectWork, location: lives));

        Assert.Equal(matches ? MatchStanding.Match : MatchStanding.Excluded, result.Standing);
    }

    [Fact]
    public void MatchesOnShown_OnlyWhatTheyShowEmployees_OrTheDepartment()
    {
        var profile = Profile(member, ReturnInterest.ProjectWork, skills: "監査");

        Assert.False(OpeningMatcher.MatchesOnShown(Opening(skills: ["監査"]), member, profile, []));
        Assert.True(OpeningMatcher.MatchesOnShown(Opening(skills: ["監査"]), member, profile, [(ProfileField.Skills, "監査")]));
        Assert.True(OpeningMatcher.MatchesOnShown(Opening(department: "Retail Banking", skills: ["監査"]), member, profile, []));
    }
}
