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
        audit.Object, Options.Create(new OpeningsOptions()), new CompanyMailDomains(["example.com"]), new FakeTimeProvider(Now), NullLogger<ManageOpenings>.Instance);

    private Opening Stored(Opening opening)
    {
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(opening);
        return opening;
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
