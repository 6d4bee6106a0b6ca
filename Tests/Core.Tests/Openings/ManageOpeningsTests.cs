using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Profiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Openings;

public sealed class ManageOpeningsTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<IComplianceApprovals> approvals = new();
    private readonly Mock<ICampaigns> campaigns = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<Alumnus> members = [];
    private readonly List<Profile> stored = [];

    public ManageOpeningsTests()
    {
        alumni.Setup(a => a.ListMembersPageAsync(It.IsAny<string?>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => (members.ToArray(), null));
        profiles.Setup(p => p.ListRangeAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).Returns(() => stored.ToAsyncEnumerable());
    }

    private ManageOpenings Handler() => new(openings.Object, alumni.Object, profiles.Object, Mock.Of<IConsentLedger>(), approvals.Object, campaigns.Object,
        audit.Object, Builders.Creates(), Options.Create(new OpeningsOptions()), new CompanyMailDomains(["example.com"]), new FakeTimeProvider(Now), NullLogger<ManageOpenings>.Instance);

    private Opening Stored(Opening opening)
    {
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(opening);
        return opening;
    }

    /// <summary>A consenting member who left from Retail Banking on <paramref name="lastWorkingDay"/>, with skills shown to employees or not.</summary>
    private Alumnus Member(DateOnly lastWorkingDay, string skills, FieldVisibility shown)
    {
        var member = OpeningBuilders.Member();
        member.LastWorkingDay = lastWorkingDay;
        member.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.JobOffers, ConsentPurpose.EmployeeVisibility };
        members.Add(member);
        stored.Add(OpeningBuilders.Profile(member, ReturnInterest.ProjectWork, skills) with
        {
            Visibility = new Dictionary<ProfileField, FieldVisibility> { [ProfileField.Skills] = shown, [ProfileField.OpenToReturning] = shown },
        });
        return member;
    }

    [Fact]
    public async Task Matches_AreOrderedByTheReasonsShown_NotByReasonsResting_OnHiddenFields()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking", skills: ["リスク管理", "監査"]));
        // More reasons in all (return interest, two skills, department), but only the department is shown; and the later leaver.
        var hidden = Member(new DateOnly(2026, 11, 30), "リスク管理, 監査", FieldVisibility.Alumni);
        var shown = Member(new DateOnly(2026, 6, 30), "リスク管理", FieldVisibility.Employees);

        var outcome = await Handler().MatchesAsync(opening.Id, "recruiter", CancellationToken.None);

        var items = Assert.IsType<AdminOutcome<MatchList>.Done>(outcome).Value.Items;
        Assert.Equal([shown.Id.Value, hidden.Id.Value], items.Select(m => m.AlumnusId));
        Assert.Equal([OpeningMatcher.Returns, OpeningMatcher.Skill, OpeningMatcher.Department], items[0].Reasons.Select(r => r.Kind));
        Assert.Equal([OpeningMatcher.Department], items[1].Reasons.Select(r => r.Kind));
    }

    [Fact]
    public async Task Send_AReopenedOpeningWhoseCampaignWasStopped_IsACampaignStoppedConflict_AndSendsNothing()
    {
        var opening = OpeningBuilders.Opening();
        opening.SentAt = Now.AddDays(-2);
        Stored(opening);
        campaigns.Setup(c => c.GetProgressAsync(opening.CampaignId, It.IsAny<CancellationToken>())).ReturnsAsync(
            new CampaignProgress(opening.CampaignId, CampaignKind.Opening, opening.Id, CampaignStatus.Stopped, Now.AddDays(-2), 3, new Dictionary<string, int>(), 1, 0, 0, 0, 0, 0, 0, 0));

        var outcome = await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        var conflict = Assert.IsType<AdminOutcome<OpeningView>.Conflict>(outcome);
        Assert.Equal((ConflictCode.CampaignStopped, ManageOpenings.CampaignStopped), (conflict.Code, conflict.Reason));
        openings.Verify(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>()), Times.Never);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        audit.VerifyNoOtherCalls();
    }
}
