using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Campaigns;

public sealed class CampaignProgressTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);

    private static CampaignEngine Engine(ICampaignStore store) =>
        new(store, [], Mock.Of<IWorkItemStore>(MockBehavior.Strict), null!, new FakeTimeProvider(Now), NullLogger<CampaignEngine>.Instance);

    /// <summary>A planned campaign of <paramref name="people"/> in batches of up to 1,000, and its store.</summary>
    private static (Campaign Campaign, List<CampaignBatch> Batches, Mock<ICampaignStore> Store) Planned(int people)
    {
        var campaign = Campaign.Start(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, "2027-01", AudienceSegment.Everyone, "timer"), Now);
        var batches = new List<CampaignBatch>();
        for (var i = 0; i < people; i++)
        {
            if (campaign.Plan(AlumnusId.New(), Locale.Japanese, null) is { } batch)
            {
                batches.Add(batch);
            }
        }

        batches.AddRange(campaign.FinishPlanning());
        var store = new Mock<ICampaignStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(campaign.Id, It.IsAny<CancellationToken>())).ReturnsAsync(campaign);
        store.Setup(s => s.ListBatchesAsync(campaign.Id, It.IsAny<CancellationToken>())).ReturnsAsync(batches);
        return (campaign, batches, store);
    }

    private static void AssertEachPersonCountedOnce(CampaignProgress p) =>
        Assert.Equal(p.AudienceSize, p.Skipped.Values.Sum() + p.Sent + p.Failed + p.Pending);

    [Fact]
    public async Task BatchGivenBackWithItsSkipped_IsPendingOnlyForThoseNotSkipped()
    {
        var (campaign, batches, store) = Planned(1500);
        batches[0].Skipped = new Dictionary<string, int>(StringComparer.Ordinal) { ["cap"] = 7, ["do-not-contact"] = 3 };

        var progress = (await Engine(store.Object).GetProgressAsync(campaign.Id, CancellationToken.None))!;

        Assert.Equal((10, 1490), (progress.Skipped.Values.Sum(), progress.Pending));
        AssertEachPersonCountedOnce(progress);
    }

    [Fact]
    public async Task FinishedBatchesRecipientsNeitherSentNorSkipped_AreSkippedAsErasedOrStopped()
    {
        var (campaign, batches, store) = Planned(1500);
        (batches[0].Status, batches[0].Sent, batches[0].Failed) = (BatchStatus.Sent, batches[0].Recipients.Count - 3, 1);
        batches[0].Skipped = new Dictionary<string, int>(StringComparer.Ordinal) { ["cap"] = 1 };
        (batches[1].Status, batches[1].Sent) = (BatchStatus.Stopped, 0);

        var progress = (await Engine(store.Object).GetProgressAsync(campaign.Id, CancellationToken.None))!;

        Assert.Equal(1, progress.Skipped[CampaignProgress.ErasedReason]);
        Assert.Equal(batches[1].Recipients.Count, progress.Skipped[CampaignProgress.StoppedReason]);
        Assert.Equal(0, progress.Pending);
        AssertEachPersonCountedOnce(progress);
    }

    [Fact]
    public async Task StoppedDuringPlanning_ThoseWaitingForABatch_AreSkippedAsStopped_NotPendingForever()
    {
        // 1,600 read before the stop: one full Japanese batch went to the store, 584 were still waiting for theirs.
        var campaign = Campaign.Start(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, "2027-01", AudienceSegment.Everyone, "timer"), Now);
        var batches = new List<CampaignBatch>();
        for (var i = 0; i < 1600; i++)
        {
            if (campaign.Plan(AlumnusId.New(), i % 4 == 0 ? Locale.English : Locale.Japanese, i % 100 == 0 ? "cap" : null) is { } batch)
            {
                batches.Add(batch);
            }
        }

        campaign.Stop();
        (batches[0].Status, batches[0].Sent) = (BatchStatus.Sent, batches[0].Recipients.Count);
        var store = new Mock<ICampaignStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(campaign.Id, It.IsAny<CancellationToken>())).ReturnsAsync(campaign);
        store.Setup(s => s.ListBatchesAsync(campaign.Id, It.IsAny<CancellationToken>())).ReturnsAsync(batches);
        var waiting = campaign.Waiting.Values.Sum(w => w.Count);

        var progress = (await Engine(store.Object).GetProgressAsync(campaign.Id, CancellationToken.None))!;

        Assert.Equal((1, 584), (batches.Count, waiting));
        Assert.Equal((CampaignStatus.Stopped, 0), (progress.Status, progress.Pending));
        Assert.Equal(584, progress.Skipped[CampaignProgress.StoppedReason]);
        Assert.Equal(16, progress.Skipped["cap"]);
        AssertEachPersonCountedOnce(progress);
    }

    [Fact]
    public async Task StillPlanning_ThoseWaitingForABatch_ArePending()
    {
        var campaign = Campaign.Start(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, "2027-01", AudienceSegment.Everyone, "timer"), Now);
        for (var i = 0; i < 40; i++)
        {
            Assert.Null(campaign.Plan(AlumnusId.New(), Locale.Japanese, null));
        }

        var store = new Mock<ICampaignStore>(MockBehavior.Strict);
        store.Setup(s => s.GetAsync(campaign.Id, It.IsAny<CancellationToken>())).ReturnsAsync(campaign);
        store.Setup(s => s.ListBatchesAsync(campaign.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var progress = (await Engine(store.Object).GetProgressAsync(campaign.Id, CancellationToken.None))!;

        Assert.Equal((CampaignStatus.Planning, 40), (progress.Status, progress.Pending));
        Assert.False(progress.Skipped.ContainsKey(CampaignProgress.StoppedReason));
        AssertEachPersonCountedOnce(progress);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Newsletter-2027-01")]
    [InlineData("newsletter?2027")]
    [InlineData("newsletter#2027")]
    [InlineData("newsletter\\2027")]
    [InlineData("newsletter/2027")]
    [InlineData("newsletter\u00012027")]
    [InlineData("-newsletter-2027-01")]
    [InlineData("newsletter-2027-01-0123456789abcdef0123456789abcdef0123456789")]
    public async Task MalformedId_IsNoCampaign_WithoutAStorageRead(string id)
    {
        var store = new Mock<ICampaignStore>(MockBehavior.Strict);

        Assert.Null(await Engine(store.Object).GetProgressAsync(id, CancellationToken.None));
        Assert.Null(await Engine(store.Object).GetProgressAsync(new string('a', 1100), CancellationToken.None));
    }

    [Theory]
    [InlineData("welcome")]
    [InlineData("newsletter-2027-01")]
    [InlineData("event-0123456789abcdef0123456789abcdef-invitation")]
    [InlineData("survey-0123456789abcdef0123456789abcdef-v12-w03-20270104-r")]
    [InlineData("collaboration-0123456789abcdef0123456789abcdef-answer")]
    public void EveryKindOfCampaignId_HasTheShape(string id) => Assert.True(Campaign.IsId(id));
}
