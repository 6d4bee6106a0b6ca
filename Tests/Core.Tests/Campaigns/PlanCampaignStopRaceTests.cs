using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Campaigns;

/// <summary>An admin's stop written while a planner plans a page: every person is still counted once in the progress.</summary>
public sealed class PlanCampaignStopRaceTests
{
    private static readonly DateTimeOffset Now = new(2027, 6, 1, 1, 0, 0, TimeSpan.Zero);

    private static Campaign Copy(Campaign c, CampaignStatus status, string etag) => Campaign.Restore(
        c.Id, c.Kind, c.SourceId, c.Audience, c.RequestedBy, c.StartedAt, status, c.Continuation, c.Batches, c.AudienceSize, c.Excluded, c.Waiting, etag);

    [Fact]
    public async Task StopWrittenBetweenAPagesBatchesAndItsCheckpoint_TheCheckpointGoesOnTheStoppedCampaign_NobodyCountedTwice()
    {
        // 600 waiting from earlier pages; the next page of 500 completes a batch of 1,000 and leaves 100 waiting.
        var planned = Campaign.Start(new CampaignRequest("newsletter-2027-06", CampaignKind.Newsletter, "2027-06", AudienceSegment.Everyone, "timer"), Now);
        for (var i = 0; i < 600; i++)
        {
            Assert.Null(planned.Plan(AlumnusId.New(), Locale.Japanese, null));
        }

        planned.PageRead("page-2");
        var store = new Mock<ICampaignStore>();
        store.SetupSequence(s => s.GetAsync(planned.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Copy(planned, CampaignStatus.Planning, "e1"))
            .ReturnsAsync(Copy(planned, CampaignStatus.Stopped, "e2"));
        Campaign? written = null;
        store.Setup(s => s.TryUpdateAsync(It.IsAny<Campaign>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Campaign c, CancellationToken _) => c.ETag == "e2" && (written = c) is not null);
        var batches = new List<CampaignBatch>();
        store.Setup(s => s.AddBatchAsync(It.IsAny<CampaignBatch>(), It.IsAny<CancellationToken>())).Callback((CampaignBatch b, CancellationToken _) => batches.Add(b));

        var page = Enumerable.Range(0, 500).Select(_ =>
        {
            var alumnus = Builders.Alumnus(Now.AddDays(-200), AlumnusStatus.Joined);
            alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter };
            return alumnus;
        }).ToArray();
        var alumni = new Mock<IAlumniStore>();
        alumni.Setup(a => a.ListMembersPageAsync("page-2", PlanCampaign.PageSize, It.IsAny<CancellationToken>())).ReturnsAsync((page, "page-3"));
        var mail = new Mock<ICampaignMail>();
        mail.Setup(m => m.Includes(It.IsAny<Alumnus>(), It.IsAny<Profile?>())).Returns(true);
        var composer = new Mock<ICampaignComposer>();
        composer.Setup(c => c.Kind).Returns(CampaignKind.Newsletter);
        composer.Setup(c => c.LoadAsync("2027-06", It.IsAny<CancellationToken>())).ReturnsAsync(mail.Object);
        var time = new FakeTimeProvider(Now);
        var planner = new PlanCampaign(
            store.Object, [composer.Object], alumni.Object, Mock.Of<IProfileStore>(), Mock.Of<IConsentLedger>(), Mock.Of<IWorkItemStore>(),
            new WorkItemRunner(Mock.Of<IWorkItemStore>(), Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance),
            new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach()), time, NullLogger<PlanCampaign>.Instance);

        var (outcome, _) = await planner.HandleAsync(new WorkItem { Kind = WorkKinds.CampaignPlan, SubjectId = planned.Id, DueAt = Now }.ToMessage(), CancellationToken.None);

        Assert.Equal(PlanOutcome.NothingToDo, outcome);
        var batch = Assert.Single(batches);
        Assert.NotNull(written);
        Assert.Equal((CampaignStatus.Stopped, 1, 1100, 100), (written.Status, written.Batches, written.AudienceSize, written.Waiting.Values.Sum(w => w.Count)));

        // The batch's item then finds the campaign stopped: its recipients and those still waiting are stopped, once each.
        batch.Status = BatchStatus.Stopped;
        var progressStore = new Mock<ICampaignStore>();
        progressStore.Setup(s => s.GetAsync(planned.Id, It.IsAny<CancellationToken>())).ReturnsAsync(written);
        progressStore.Setup(s => s.ListBatchesAsync(planned.Id, It.IsAny<CancellationToken>())).ReturnsAsync([batch]);
        var progress = (await new CampaignEngine(progressStore.Object, [], Mock.Of<IWorkItemStore>(), null!, time, NullLogger<CampaignEngine>.Instance)
            .GetProgressAsync(planned.Id, CancellationToken.None))!;
        Assert.Equal(1100, progress.AudienceSize);
        Assert.Equal(1100, progress.Skipped[CampaignProgress.StoppedReason]);
        Assert.Equal(0, progress.Pending);
    }
}
