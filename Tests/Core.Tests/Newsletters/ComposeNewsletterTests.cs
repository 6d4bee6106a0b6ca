using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Newsletters;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class ComposeNewsletterTests
{
    // First Monday of January 2027, 10:00 in Tokyo.
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2027, 1, 4, 1, 0, 0, TimeSpan.Zero));
    private readonly Mock<INewsletterSection> news = new();
    private readonly Mock<INewsletterIssueStore> issues = new();
    private readonly Mock<ICampaigns> campaigns = new();

    private static NewsletterEntry Entry(string key) => new(NewsletterSectionKind.News, key, "題", "Title", "本文", "Body", null);

    private ComposeNewsletter Handler() => new(
        new NewsletterDraft([news.Object], new CompanyCalendar(Builders.Company()), time), issues.Object, campaigns.Object, NullLogger<ComposeNewsletter>.Instance);

    private void Current(params string[] keys) =>
        news.Setup(s => s.EntriesAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(keys.Select(Entry).ToArray());

    private void Previous(params string[] keys) =>
        issues.Setup(i => i.PreviousAsync("2027-01", It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterIssue("2026-12", time.GetUtcNow().AddMonths(-1), keys.Select(Entry).ToArray()));

    [Fact]
    public async Task SomethingNew_StoresTheIssueAndStartsItsCampaign()
    {
        Current("news-a", "news-b");
        Previous("news-a");
        issues.Setup(i => i.TryAddAsync(It.IsAny<NewsletterIssue>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        Assert.Equal(NewsletterOutcome.Started, await Handler().HandleAsync(CancellationToken.None));

        issues.Verify(i => i.TryAddAsync(It.Is<NewsletterIssue>(n => n.Id == "2027-01" && n.Entries.Count == 2), It.IsAny<CancellationToken>()));
        campaigns.Verify(c => c.StartAsync(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, "2027-01", AudienceSegment.Everyone, "timer"), It.IsAny<CancellationToken>()));
    }

    [Theory]
    [InlineData(new string[0], new[] { "news-a" })]
    [InlineData(new[] { "news-a" }, new[] { "news-a" })]
    [InlineData(new string[0], null)]
    public async Task NothingNewSinceTheLastIssue_SendsNothing(string[] current, string[]? previous)
    {
        Current(current);
        if (previous is not null)
        {
            Previous(previous);
        }

        Assert.Equal(NewsletterOutcome.NothingNew, await Handler().HandleAsync(CancellationToken.None));

        issues.Verify(i => i.TryAddAsync(It.IsAny<NewsletterIssue>(), It.IsAny<CancellationToken>()), Times.Never);
        campaigns.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task IssueComposedBefore_StartsItsCampaignAgainAndComposesNothing()
    {
        var stored = new NewsletterIssue("2027-01", time.GetUtcNow(), [Entry("news-a")]);
        issues.Setup(i => i.GetAsync("2027-01", It.IsAny<CancellationToken>())).ReturnsAsync(stored);
        Current("news-a", "news-b");

        Assert.Equal(NewsletterOutcome.AlreadyComposed, await Handler().HandleAsync(CancellationToken.None));

        issues.Verify(i => i.TryAddAsync(It.IsAny<NewsletterIssue>(), It.IsAny<CancellationToken>()), Times.Never);
        campaigns.Verify(c => c.StartAsync(It.Is<CampaignRequest>(r => r.CampaignId == "newsletter-2027-01"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task IssueMonth_IsTheCompanysLocalMonth()
    {
        time.SetUtcNow(new DateTimeOffset(2027, 1, 31, 16, 0, 0, TimeSpan.Zero)); // 1 February 01:00 in Tokyo
        Current("news-a");
        issues.Setup(i => i.TryAddAsync(It.IsAny<NewsletterIssue>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Handler().HandleAsync(CancellationToken.None);

        issues.Verify(i => i.TryAddAsync(It.Is<NewsletterIssue>(n => n.Id == "2027-02"), It.IsAny<CancellationToken>()));
    }
}
