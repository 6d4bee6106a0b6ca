using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;

namespace AlumniNetwork.Core.Tests.Campaigns;

public sealed class CampaignPlanningTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);

    private static Campaign NewCampaign() =>
        Campaign.Start(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, "2027-01", AudienceSegment.Everyone, "timer"), Now);

    private static List<CampaignBatch> Plan(Campaign campaign, int japanese, int english, int refused = 0)
    {
        var batches = new List<CampaignBatch>();
        var people = Enumerable.Range(0, japanese).Select(_ => Locale.Japanese).Concat(Enumerable.Range(0, english).Select(_ => Locale.English))
            .OrderBy(_ => Random.Shared.Next()).ToArray();
        foreach (var locale in people)
        {
            if (campaign.Plan(AlumnusId.New(), locale, null) is { } batch)
            {
                batches.Add(batch);
            }
        }

        for (var i = 0; i < refused; i++)
        {
            Assert.Null(campaign.Plan(AlumnusId.New(), Locale.Japanese, "no-consent:Newsletter"));
        }

        batches.AddRange(campaign.FinishPlanning());
        return batches;
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1000, 0)]
    [InlineData(1001, 0)]
    [InlineData(600, 400)]
    [InlineData(601, 400)]
    [InlineData(2500, 2500)]
    [InlineData(99_999, 1)]
    [InlineData(70_000, 30_000)]
    public void AnyMixOfLanguages_TakesExactlyTheMinimumNumberOfBatches(int japanese, int english)
    {
        var campaign = NewCampaign();

        var batches = Plan(campaign, japanese, english);

        var total = japanese + english;
        Assert.Equal((total + 999) / 1000, batches.Count);
        Assert.Equal(total, batches.Sum(b => b.Recipients.Count));
        Assert.Equal(total, batches.SelectMany(b => b.Recipients).Distinct().Count());
        Assert.All(batches, b => Assert.InRange(b.Recipients.Count, 1, 1000));
        Assert.Equal(Enumerable.Range(1, batches.Count), batches.Select(b => b.Number));
        Assert.Equal(CampaignStatus.Sending, campaign.Status);
    }

    [Fact]
    public void RefusedPeople_AreCountedByReasonAndInNoBatch()
    {
        var campaign = NewCampaign();

        var batches = Plan(campaign, 10, 0, refused: 3);

        Assert.Equal(13, campaign.AudienceSize);
        Assert.Equal(3, campaign.Excluded["no-consent:Newsletter"]);
        Assert.Equal(10, Assert.Single(batches).Recipients.Count);
    }

    [Fact]
    public void NobodyToSend_PlansNoBatch()
    {
        var campaign = NewCampaign();

        Assert.Empty(Plan(campaign, 0, 0, refused: 2));
        Assert.Equal(CampaignStatus.Sending, campaign.Status);
    }

    [Fact]
    public void StoppedCampaign_CannotBeCompleted()
    {
        var campaign = NewCampaign();
        campaign.Stop();

        campaign.Complete();

        Assert.Equal(CampaignStatus.Stopped, campaign.Status);
    }

    [Theory]
    [InlineData("newsletter-2027-01", 1)]
    [InlineData("event-ab12-invitation", 99_999)]
    public void BatchKey_RoundTrips(string campaignId, int number)
    {
        var key = CampaignBatch.KeyOf(campaignId, number);

        Assert.True(CampaignBatch.TryParseKey(key, out var parsedId, out var parsedNumber));
        Assert.Equal((campaignId, number), (parsedId, parsedNumber));
    }

    [Theory]
    [InlineData("welcome")]
    [InlineData("-b00001")]
    [InlineData("x-b0001")]
    [InlineData("x-c00001")]
    public void NonBatchKeys_DoNotParse(string key) => Assert.False(CampaignBatch.TryParseKey(key, out _, out _));
}
